// The two Twilio webhooks as fetch-API handlers (Request -> Response), so the Next.js route handlers
// stay thin and tests and benchmarks can serve the very same code from a plain HTTP server.
// Both authenticate by signature alone (no session): 403 without a valid X-Twilio-Signature.
import type { Sql } from 'postgres';
import { type InboundDeps, type InboundOutcome, processInboundSms } from './inbound-sms.ts';
import { applyStatusCallback } from './status-callback.ts';
import { twimlResponse } from './twiml.ts';
import {
  describeIssues,
  formParams,
  inboundSmsSchema,
  isValidTwilioSignature,
  statusCallbackSchema,
  storedStatus,
  type WebhookParams,
  webhookUrl,
} from './webhook.ts';

export interface WebhookAuth {
  /** TWILIO_AUTH_TOKEN (locally: the dev phone's fixed token). */
  authToken: string;
  /** TWILIO_PUBLIC_URL: the URL Twilio calls, when it is not the one this process sees. */
  publicUrl: string | undefined;
  /** TWILIO_ACCOUNT_SID: when set, a webhook for another account is refused too. */
  accountSid: string | undefined;
}

type Checked = { ok: true; params: WebhookParams } | { ok: false; response: Response };

const FORM = 'application/x-www-form-urlencoded';

async function checkedForm(req: Request, auth: WebhookAuth): Promise<Checked> {
  if (!(req.headers.get('content-type') ?? '').toLowerCase().startsWith(FORM)) {
    return { ok: false, response: new Response(`expected ${FORM}`, { status: 415 }) };
  }
  const params = formParams(await req.text());
  const url = webhookUrl(req.url, auth.publicUrl, req.headers.get('host'));
  const valid = isValidTwilioSignature({
    authToken: auth.authToken,
    signature: req.headers.get('x-twilio-signature'),
    url,
    params,
  });
  if (!valid) {
    // The URL is no secret, and behind a proxy it is what to compare with Twilio's (TWILIO_PUBLIC_URL).
    return { ok: false, response: new Response(`invalid X-Twilio-Signature for ${url}`, { status: 403 }) };
  }
  if (auth.accountSid && params.AccountSid !== auth.accountSid) {
    return { ok: false, response: new Response('webhook for another Twilio account', { status: 403 }) };
  }
  return { ok: true, params };
}

export interface InboundHandlerDeps extends InboundDeps {
  auth: WebhookAuth;
  /** Told what happened to each message (tests, metrics). */
  onOutcome?: (outcome: InboundOutcome) => void;
}

// POST /api/twilio/sms: store, answer keywords, hand the rest to the conversation; TwiML back.
export async function handleInboundWebhook(req: Request, deps: InboundHandlerDeps): Promise<Response> {
  const checked = await checkedForm(req, deps.auth);
  if (!checked.ok) return checked.response;
  const parsed = inboundSmsSchema.safeParse(checked.params);
  if (!parsed.success) {
    // Twilio shows the body of a 4xx answer in its debugger (error 11200).
    return new Response(`bad inbound message: ${describeIssues(parsed.error)}`, { status: 400 });
  }
  const outcome = await processInboundSms(deps, parsed.data);
  deps.onOutcome?.(outcome);
  // The conversation answers by its own outbound SMS (through the outbox), not in this response.
  const reply = outcome.kind === 'unknown_number' || outcome.kind === 'keyword' ? outcome.reply : null;
  return twimlResponse(reply);
}

export interface StatusHandlerDeps {
  sql: Sql;
  auth: WebhookAuth;
}

// POST /api/twilio/status?m=<sms_messages.id>: move the stored status forward.
export async function handleStatusWebhook(req: Request, deps: StatusHandlerDeps): Promise<Response> {
  const checked = await checkedForm(req, deps.auth);
  if (!checked.ok) return checked.response;
  const parsed = statusCallbackSchema.safeParse(checked.params);
  if (!parsed.success) {
    return new Response(`bad status callback: ${describeIssues(parsed.error)}`, { status: 400 });
  }
  const status = storedStatus(parsed.data.MessageStatus);
  // An inbound status (received) is not about a message we sent: acknowledged, nothing to store.
  if (status === null) return new Response(null, { status: 204 });
  await applyStatusCallback(deps.sql, {
    sid: parsed.data.MessageSid,
    status,
    errorCode: parsed.data.ErrorCode ?? null,
    messageId: new URL(req.url).searchParams.get('m'),
    from: parsed.data.From ?? null,
  });
  return new Response(null, { status: 204 });
}
