// Twilio's webhooks as they reach us: the X-Twilio-Signature check (the SDK's validateRequest) on
// the URL Twilio called, and zod schemas of the two form bodies we accept (an inbound message and a
// message status callback). Twilio posts application/x-www-form-urlencoded, parameter names in
// PascalCase; we keep the ones we use and ignore the rest, which Twilio may extend at any time.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';
import { z } from 'zod';

/** A parsed form body, every parameter as Twilio sent it (a repeated name becomes a list). */
export type WebhookParams = Record<string, string | string[]>;

export function formParams(body: string): WebhookParams {
  const params: WebhookParams = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = params[k];
    params[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return params;
}

/**
 * The URL Twilio signed: the public URL configured in Twilio (TWILIO_PUBLIC_URL) with this request's
 * path and query when the app sits behind a proxy or tunnel (the URL the app sees differs from the
 * one Twilio called); otherwise this request's URL with the host the caller asked for (its Host
 * header), because frameworks rebuild `request.url` from their own listen address (Next.js says
 * `localhost` for a request to 127.0.0.1).
 */
export function webhookUrl(requestUrl: string, publicUrl: string | undefined, host?: string | null): string {
  const u = new URL(requestUrl);
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}${u.pathname}${u.search}`;
  if (host) return `${u.protocol}//${host}${u.pathname}${u.search}`;
  return requestUrl;
}

export interface SignatureCheck {
  authToken: string;
  /** The X-Twilio-Signature header (null when absent). */
  signature: string | null;
  /** The URL Twilio called (webhookUrl). */
  url: string;
  params: WebhookParams;
}

/** True when the request was signed with `authToken` (HMAC-SHA1 of the URL and sorted params). */
export function isValidTwilioSignature(check: SignatureCheck): boolean {
  if (!check.signature) return false;
  return validateRequest(check.authToken, check.signature, check.url, check.params);
}

/**
 * X-Twilio-Signature for a POST of `params` to `url`, computed as Twilio does (the SDK's own
 * function): for the local dev phone, which posts to our webhook through the same check.
 */
export function signTwilioWebhook(authToken: string, url: string, params: WebhookParams): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'expected an E.164 number such as +15555550100');
const accountSid = z.string().regex(/^AC[0-9a-f]{32}$/, 'expected AC followed by 32 hex digits');
const messageSid = z.string().regex(/^(SM|MM)[0-9a-f]{32}$/, 'expected SM or MM followed by 32 hex digits');
// A parameter Twilio sends once; if it ever came twice, the first value counts.
const single = <T extends z.ZodType>(s: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), s);
const count = z
  .string()
  .regex(/^\d{1,3}$/, 'expected a count')
  .transform(Number);

/** An inbound message (the Messaging webhook "A message comes in"). */
export const inboundSmsSchema = z.object({
  MessageSid: single(messageSid),
  AccountSid: single(accountSid),
  From: single(e164),
  To: single(e164),
  // Twilio accepts at most 1600 characters in one message; an MMS with only a picture has no text.
  Body: single(z.string().max(1600)).default(''),
  NumMedia: count.optional(),
  NumSegments: count.optional(),
  MessagingServiceSid: single(z.string().regex(/^MG[0-9a-f]{32}$/)).optional(),
});
export type InboundSms = z.infer<typeof inboundSmsSchema>;

/** Every MessageStatus Twilio reports (outbound lifecycle). */
export const TWILIO_MESSAGE_STATUSES = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'receiving',
  'received',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'canceled',
  'partially_delivered',
] as const;
export type TwilioMessageStatus = (typeof TWILIO_MESSAGE_STATUSES)[number];

/** A status callback (the StatusCallback URL given when the message was sent). */
export const statusCallbackSchema = z.object({
  MessageSid: single(messageSid),
  AccountSid: single(accountSid),
  MessageStatus: single(z.enum(TWILIO_MESSAGE_STATUSES)),
  // Present on failed/undelivered: 30003 unreachable, 30005 unknown number, 30007 filtered, ...
  ErrorCode: single(z.string().regex(/^\d{1,10}$/)).optional(),
  From: single(e164).optional(),
  To: single(e164).optional(),
});
export type StatusCallback = z.infer<typeof statusCallbackSchema>;

/** Our stored statuses (sms_messages.status, alert_deliveries.status) for outbound messages. */
export type StoredSmsStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered';

/**
 * Twilio's lifecycle reduced to ours: everything before the carrier has it is queued; read (RCS,
 * WhatsApp) implies delivered; canceled (a scheduled message) never went out: failed.
 */
export function storedStatus(status: TwilioMessageStatus): StoredSmsStatus | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
    case 'partially_delivered':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    case 'receiving':
    case 'received':
      // Inbound statuses: never a callback for a message we sent.
      return null;
  }
}

/** The first error of a zod parse, for a 400 answer Twilio's debugger shows. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}
