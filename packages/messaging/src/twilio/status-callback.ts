// Twilio's status callbacks applied to what we stored: the outbound sms_messages row (its status,
// and the number it went from once Twilio reports one) and, for an alert sent by SMS, its
// alert_deliveries row (channel 'sms', provider_id = MessageSid). Callbacks arrive out of order and
// more than once, so every update only moves a status forward (public.message_status_rank; the
// enforce_forward_status triggers refuse the rest anyway).
import type { Sql } from 'postgres';
import type { StoredSmsStatus } from './webhook.ts';

export interface StatusUpdate {
  sid: string;
  status: StoredSmsStatus;
  /** Twilio's ErrorCode on failed/undelivered. */
  errorCode: string | null;
  /** The row id our StatusCallback URL quotes (?m=), when present. */
  messageId: string | null;
  /** The number Twilio sent from (From): a Messaging Service picks it after accepting the message. */
  from: string | null;
}

export interface StatusUpdateResult {
  /** The sms_messages row moved forward. */
  message: boolean;
  /** The alert_deliveries row moved forward. */
  delivery: boolean;
  /** The callback gave an in-doubt row (sent, but its sid never stored) its sid. */
  healed: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function applyStatusCallback(sql: Sql, u: StatusUpdate): Promise<StatusUpdateResult> {
  let healed = false;
  if (u.messageId && UUID.test(u.messageId)) {
    // The outbox crashed between Twilio's acceptance and storing the sid (see sms-outbox.ts): the
    // callback is how the row learns it, and the alert delivery with it.
    const rows = await sql`
      update public.sms_messages set provider_sid = ${u.sid}
      where id = ${u.messageId} and direction = 'out' and provider_sid is null
        and not exists (select 1 from public.sms_messages o where o.provider_sid = ${u.sid})
      returning id`;
    healed = rows.length > 0;
    if (healed) {
      await sql`
        update public.alert_deliveries d set provider_id = ${u.sid}
        from public.sms_messages m
        where m.id = ${u.messageId} and d.alert_id = m.alert_id and d.user_id = m.user_id
          and d.channel = 'sms' and d.provider_id is null
          and not exists (
            select 1 from public.alert_deliveries o where o.channel = 'sms' and o.provider_id = ${u.sid})`;
    }
  }
  const code = u.errorCode ? u.errorCode.slice(0, 32) : null;
  const message = await sql`
    update public.sms_messages
    set status = ${u.status}, error_code = coalesce(${code}, error_code)
    where provider_sid = ${u.sid} and direction = 'out'
      and public.message_status_rank(status) < public.message_status_rank(${u.status})
    returning id`;
  if (u.from) {
    // The sender Twilio reports is what the trader saw, whatever we configured or guessed.
    await sql`
      update public.sms_messages set from_number = ${u.from}
      where provider_sid = ${u.sid} and direction = 'out' and from_number is distinct from ${u.from}`;
  }
  const delivery = await sql`
    update public.alert_deliveries
    set status = ${u.status}, error = coalesce(${code ? `Twilio error ${code}` : null}, error)
    where channel = 'sms' and provider_id = ${u.sid}
      and public.message_status_rank(status) < public.message_status_rank(${u.status})
    returning id`;
  return { message: message.length > 0, delivery: delivery.length > 0, healed };
}
