// What the outbox asks of a provider: send one message, or say precisely how it failed, because the
// outbox's at-most-once rule depends on it (see sms-outbox.ts).
import type { StoredSmsStatus } from './webhook.ts';

export interface SendRequest {
  /** sms_messages.id of the outbound row: quoted in the status callback URL. */
  messageId: string;
  to: string;
  /** Our number (TWILIO_FROM_NUMBER, the dev assistant's); null: the Messaging Service picks one. */
  from: string | null;
  body: string;
}

export interface SendResult {
  /** The provider's message sid. */
  sid: string;
  status: StoredSmsStatus;
  /** The sending number when the provider says (null: chosen later by a Messaging Service). */
  from: string | null;
}

export interface SmsSender {
  /** 'twilio' | 'dev-phone': logged with each send. */
  readonly name: string;
  send(req: SendRequest): Promise<SendResult>;
}

/**
 * - `refused`: the provider answered and will not send it (invalid number, opted out at the
 *   carrier): the message is failed for good.
 * - `not_sent`: nothing reached the provider, or it refused the request itself (connection refused,
 *   bad credentials, rate limit): safe to try again.
 * - `in_doubt`: the request may have been accepted (timeout, connection reset, 5xx): never resent.
 */
export type SendFailureKind = 'refused' | 'not_sent' | 'in_doubt';

export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    /** The provider's error code (Twilio: 21211 invalid To, 21610 unsubscribed, ...) when known. */
    readonly code: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
