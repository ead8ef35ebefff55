// A local stand-in for Twilio's Programmable Messaging, for tests: Twilio is not reachable here.
//
// - REST: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic auth (the account
//   sid and auth token), a form body (To, From or MessagingServiceSid, Body, StatusCallback), and
//   Twilio's answers: 201 with a Message resource (sid SM + 32 hex; status `accepted` through a
//   Messaging Service, `queued` from a number), 401 `{code: 20003}` without valid credentials, 400
//   with `{code, message, more_info, status}` for an invalid To (21211), a missing To (21604), a
//   missing Body (21602), a missing sender (21603) or a body over 1600 characters (21617).
// - Status callbacks: after a send with a StatusCallback, the double POSTs queued -> sent ->
//   delivered (or undelivered/failed with an ErrorCode for numbers scripted to fail) to it, signed
//   with X-Twilio-Signature like Twilio does, one after the other.
// - Signing: `signTwilioRequest` computes X-Twilio-Signature the way Twilio documents it
//   (base64 HMAC-SHA1, keyed by the auth token, of the full URL followed by every POST parameter
//   name and value, sorted by name), written from the documentation rather than with the SDK, so it
//   cross-checks the SDK's validateRequest that the app uses.
// - Faults: `failNext` answers the next send with an error status (500, 503, 429), or accepts it
//   and drops the connection instead of answering: how a crash or timeout looks from the client.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const DOUBLE_ACCOUNT_SID = `AC${'d0'.repeat(16)}`;
export const DOUBLE_AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
export const DOUBLE_MESSAGING_SERVICE_SID = `MG${'5e'.repeat(16)}`;

export type TwilioParams = Record<string, string | string[]>;

/** X-Twilio-Signature of a POST to `url` with form parameters `params`. */
export function signTwilioRequest(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    // A repeated parameter contributes each of its (distinct, sorted) values.
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function formBody(params: TwilioParams): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  return form.toString();
}

export const newSid = (prefix: 'SM' | 'MM' = 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;

/** The parameters Twilio posts to the messaging webhook for one inbound SMS (US numbers). */
export function inboundSmsParams(m: {
  from: string;
  to: string;
  body: string;
  accountSid?: string;
  messageSid?: string;
  messagingServiceSid?: string;
}): Record<string, string> {
  const sid = m.messageSid ?? newSid();
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: 'NY',
    SmsStatus: 'received',
    FromCity: '',
    Body: m.body,
    FromCountry: 'US',
    To: m.to,
    ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: m.accountSid ?? DOUBLE_ACCOUNT_SID,
    From: m.from,
    ApiVersion: '2010-04-01',
  };
}

/**
 * POSTs a webhook the way Twilio does: form-encoded, signed for `signedUrl` (the URL configured in
 * Twilio; defaults to `url`, the one actually called, which differs behind a proxy).
 */
export async function postTwilioWebhook(
  url: string,
  authToken: string,
  params: TwilioParams,
  opts: { signedUrl?: string; signature?: string } = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': opts.signature ?? signTwilioRequest(authToken, opts.signedUrl ?? url, params),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: formBody(params),
    signal: AbortSignal.timeout(30_000),
  });
}

export interface SentMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: string;
}

export interface CallbackAttempt {
  url: string;
  params: Record<string, string>;
  /** HTTP status of our app's answer (0: no answer). */
  responseStatus: number;
}

export type Fault = { status: 429 | 500 | 503 } | { drop: true };

export interface TwilioDoubleOptions {
  accountSid?: string;
  authToken?: string;
  /** Send status callbacks after each message (default true). */
  callbacks?: boolean;
  /** Pause before each callback, ms (default 0). */
  callbackDelayMs?: number;
}

export interface TwilioDouble {
  /** Base URL standing in for https://api.twilio.com. */
  url: string;
  accountSid: string;
  authToken: string;
  /** Every message accepted, in order. */
  messages: SentMessage[];
  /** Every Messages.json request, accepted or not. */
  requests: number;
  callbacks: CallbackAttempt[];
  /** Numbers whose messages end undelivered/failed with an ErrorCode (30003 unreachable, ...). */
  failDelivery(to: string, status: 'undelivered' | 'failed', errorCode: string): void;
  /** The next Messages.json request gets this fault instead of being processed. */
  failNext(fault: Fault): void;
  /** Resolves when every status callback scheduled so far has been posted. */
  callbacksIdle(): Promise<void>;
  close(): Promise<void>;
}

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
export const INVALID_TO_NUMBER = '+15005550001';

export async function startTwilioDouble(options: TwilioDoubleOptions = {}): Promise<TwilioDouble> {
  const accountSid = options.accountSid ?? DOUBLE_ACCOUNT_SID;
  const authToken = options.authToken ?? DOUBLE_AUTH_TOKEN;
  const messages: SentMessage[] = [];
  const callbacks: CallbackAttempt[] = [];
  const failures = new Map<string, { status: 'undelivered' | 'failed'; errorCode: string }>();
  const faults: Fault[] = [];
  let requests = 0;
  let callbackChain: Promise<void> = Promise.resolve();

  const postCallback = async (url: string, params: Record<string, string>) => {
    if (options.callbackDelayMs) await new Promise((r) => setTimeout(r, options.callbackDelayMs));
    let responseStatus = 0;
    try {
      const r = await postTwilioWebhook(url, authToken, params);
      await r.arrayBuffer();
      responseStatus = r.status;
    } catch {
      // Twilio gives up on a callback it cannot deliver (and logs 11200 in the console).
    }
    callbacks.push({ url, params, responseStatus });
  };

  const scheduleCallbacks = (m: SentMessage) => {
    if (!m.statusCallback || options.callbacks === false) return;
    const url = m.statusCallback;
    const failure = failures.get(m.to);
    const path: { status: string; errorCode?: string }[] = [
      { status: 'queued' },
      ...(failure?.status === 'failed' ? [] : [{ status: 'sent' }]),
      failure ? { status: failure.status, errorCode: failure.errorCode } : { status: 'delivered' },
    ];
    for (const step of path) {
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        ...(m.from ? { From: m.from } : {}),
        ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
        MessageSid: m.sid,
        MessageStatus: step.status,
        SmsSid: m.sid,
        SmsStatus: step.status,
        To: m.to,
        ...(step.errorCode ? { ErrorCode: step.errorCode } : {}),
      };
      callbackChain = callbackChain.then(() => postCallback(url, params));
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://double').pathname;
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (!match) return twilioError(res, 404, 20404, `The requested resource ${path} was not found`);
    if (req.method !== 'POST') return twilioError(res, 405, 20004, 'Method not allowed');
    const body = await readBody(req);
    requests++;
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [user, pass] = auth ? Buffer.from(auth, 'base64').toString('utf8').split(':') : [];
    if (user !== accountSid || pass !== authToken) return twilioError(res, 401, 20003, 'Authenticate');
    if (match[1] !== accountSid) {
      return twilioError(res, 404, 20404, `The requested resource ${path} was not found`);
    }
    const fault = faults.shift();
    if (fault && !('drop' in fault)) {
      return twilioError(res, fault.status, fault.status === 429 ? 20429 : 20500, 'Service unavailable');
    }

    const form = new URLSearchParams(body);
    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const text = form.get('Body');
    if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
    // +15005550001 is the number Twilio's test credentials treat as invalid: kept here for the same use.
    if (!E164.test(to) || to === INVALID_TO_NUMBER) {
      return twilioError(res, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    }
    if (!from && !service) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!text && !form.get('MediaUrl') && !form.get('ContentSid')) {
      return twilioError(res, 400, 21602, 'Message body is required.');
    }
    if (text && text.length > 1600) {
      return twilioError(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    }
    const now = new Date();
    const message: SentMessage = {
      sid: newSid(),
      to,
      // A Messaging Service picks the number after it accepts the message.
      from: service ? null : from,
      messagingServiceSid: service,
      body: text ?? '',
      statusCallback: form.get('StatusCallback'),
      status: service ? 'accepted' : 'queued',
    };
    messages.push(message);
    if (fault) {
      // Accepted (and its callbacks will come), but the answer is lost: the client cannot tell
      // whether it was sent, exactly as when it crashes or times out after sending the request.
      scheduleCallbacks(message);
      req.socket.destroy();
      return;
    }
    const segments = text ? Math.ceil(text.length / (text.length > 160 ? 153 : 160)) : 1;
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        account_sid: accountSid,
        api_version: '2010-04-01',
        body: message.body,
        date_created: rfc2822(now),
        date_sent: null,
        date_updated: rfc2822(now),
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: message.from,
        messaging_service_sid: service,
        num_media: '0',
        num_segments: String(segments),
        price: null,
        price_unit: 'USD',
        sid: message.sid,
        status: message.status,
        subresource_uris: {
          media: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}/Media.json`,
        },
        to,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
      }),
    );
    scheduleCallbacks(message);
  };

  const callbacksIdle = async () => {
    // Callbacks scheduled while waiting extend the chain: wait until it stops growing.
    for (;;) {
      const chain = callbackChain;
      await chain;
      if (chain === callbackChain) return;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) twilioError(res, 500, 20500, `double failed: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    get requests() {
      return requests;
    },
    callbacks,
    failDelivery(to, status, errorCode) {
      failures.set(to, { status, errorCode });
    },
    failNext(fault) {
      faults.push(fault);
    },
    callbacksIdle,
    async close() {
      await callbacksIdle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
