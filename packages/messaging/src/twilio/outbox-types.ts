// The outbound SMS contract shared by the workflows (replies, questions, alerts, digests, summaries)
// and the web app (phone verification): every send goes through an SmsOutbox, which stores the
// message in sms_messages keyed on its idempotency key before it sends, so a retried activity or a
// re-run request never sends the same message twice.

export interface OutboundSms {
  /** profiles.id of the recipient (null only for replies to unknown numbers). */
  userId: string | null;
  /** E.164 number. */
  to: string;
  body: string;
  /** Stable for one logical message: `reply-<inbound message id>`, `alert-<alert id>-<user id>`, ... */
  idempotencyKey: string;
  /** The alert this message is about, if any (sms_messages.alert_id). */
  alertId?: string | null;
}

export interface SentSms {
  /** sms_messages.id of the outbound row. */
  messageId: string;
  /** The provider's message sid (Twilio 'SM...', or the dev phone's own) once sent. */
  providerSid: string | null;
  status: 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered';
  /** True when this key was sent before and nothing new went out. */
  duplicate: boolean;
}

export interface SmsOutbox {
  send(message: OutboundSms): Promise<SentSms>;
}
