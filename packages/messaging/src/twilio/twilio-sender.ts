// Sends through Twilio's Messages API with the official SDK: from a Messaging Service (it picks the
// number, handles carrier opt-outs and queues), with a StatusCallback to /api/twilio/status that
// quotes our row id, so the callbacks can find the row even if we never stored the sid.
import twilio from 'twilio';
import type { SendRequest, SendResult, SmsSender } from './sms-sender.ts';
import { SmsSendError } from './sms-sender.ts';
import { storedStatus, TWILIO_MESSAGE_STATUSES, type TwilioMessageStatus } from './webhook.ts';

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** MG...: the Messaging Service that sends; without it, `from` of each request is the sender. */
  messagingServiceSid?: string | undefined;
  /** TWILIO_PUBLIC_URL: where Twilio posts status callbacks (null: no callbacks). */
  publicUrl: string | null;
  /**
   * Another base URL for Twilio's REST API (scheme://host[:port]) instead of https://api.twilio.com:
   * a local double in tests, or an egress proxy. The SDK's region/edge only change the host name.
   */
  apiBaseUrl?: string | undefined;
  /** Per request; the SDK's default is 30 s, longer than an activity wants to wait. */
  timeoutMs?: number;
}

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/** The SDK's own HTTP client, with every request's scheme and host swapped for `baseUrl`'s. */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, keepAlive: true });
  }

  override request<T>(opts: RequestOptions & { data?: T }) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https?:\/\/[^/]+/, this.baseUrl) });
  }
}

/** Connection errors raised before the request could reach Twilio: nothing was sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function statusCallbackUrl(publicUrl: string, messageId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/twilio/status?m=${encodeURIComponent(messageId)}`;
}

export class TwilioSmsSender implements SmsSender {
  readonly name = 'twilio';
  private readonly client: ReturnType<typeof twilio>;

  constructor(private readonly opts: TwilioSenderOptions) {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.client = twilio(opts.accountSid, opts.authToken, {
      timeout: timeoutMs,
      ...(opts.apiBaseUrl ? { httpClient: new RebasedRequestClient(opts.apiBaseUrl, timeoutMs) } : {}),
    });
  }

  async send(req: SendRequest): Promise<SendResult> {
    let message: Awaited<ReturnType<typeof this.client.messages.create>>;
    try {
      message = await this.client.messages.create({
        to: req.to,
        body: req.body,
        // Without a service and without a number Twilio refuses it (21603): a 'refused' failure.
        ...(this.opts.messagingServiceSid
          ? { messagingServiceSid: this.opts.messagingServiceSid }
          : req.from
            ? { from: req.from }
            : {}),
        ...(this.opts.publicUrl
          ? { statusCallback: statusCallbackUrl(this.opts.publicUrl, req.messageId) }
          : {}),
      });
    } catch (err) {
      throw classify(err);
    }
    const known = (TWILIO_MESSAGE_STATUSES as readonly string[]).includes(message.status);
    return {
      sid: message.sid,
      status: (known && storedStatus(message.status as TwilioMessageStatus)) || 'queued',
      from: message.from || null,
    };
  }
}

function classify(err: unknown): SmsSendError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  // The SDK's RestException: Twilio answered with an error document.
  if (typeof e.status === 'number') {
    const code = e.code === undefined || e.code === null ? null : String(e.code);
    const what = `Twilio ${e.status}${code ? ` error ${code}` : ''}: ${message}`;
    if (e.status >= 500) return new SmsSendError('in_doubt', what, code, { cause: err });
    // Bad credentials, a suspended account or a rate limit: Twilio did not take the message.
    if (e.status === 401 || e.status === 403 || e.status === 429) {
      return new SmsSendError('not_sent', what, code, { cause: err });
    }
    return new SmsSendError('refused', what, code, { cause: err });
  }
  if (typeof e.code === 'string' && NOT_CONNECTED.has(e.code)) {
    return new SmsSendError('not_sent', `cannot reach Twilio: ${e.code}`, null, { cause: err });
  }
  return new SmsSendError('in_doubt', `Twilio request failed: ${message}`, null, { cause: err });
}
