// The one way a message leaves: store first, then send, at most once per idempotency key.
//
// 1. Insert the outbound row keyed on its idempotency key (ON CONFLICT DO NOTHING, then read the
//    existing row): a retried activity finds the row of its first attempt.
// 2. A row that already has a provider sid, a final status, or a send attempt is a duplicate:
//    nothing is sent again.
// 3. Refuse recipients who answered STOP (profiles.sms_opt_in = 'opted_out'): the row is marked
//    failed ('opted_out') and SmsOptedOutError is thrown.
// 4. Claim the row (send_attempted_at, set once with a conditional UPDATE, so two concurrent
//    attempts cannot both send), then call the provider, then store its sid and status.
//
// The crash window: if the process dies after the provider accepted the message and before step 4
// stored the sid, the row stays "in doubt" (send_attempted_at set, no sid). We choose at most once:
// such a row is never resent, because a duplicate trade alert or confirmation is worse than a late
// one, and Twilio's API has no idempotency key to ask "did you get this one?". The loss is bounded
// anyway: the StatusCallback URL quotes the row id (?m=<id>), so Twilio's queued/sent/delivered
// callbacks fill in the sid and status of a row whose send did go through (/api/twilio/status).
// Failures that prove nothing was sent (connection refused, bad credentials, rate limit) release
// the claim, so the caller's retry sends; a definite refusal (invalid number) marks the row failed.
import type { Sql } from 'postgres';
import type { OutboundSms, SentSms, SmsOutbox } from './outbox-types.ts';
import { SmsSendError, type SmsSender } from './sms-sender.ts';

export interface OutboxLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SmsOutboxOptions {
  sql: Sql;
  sender: SmsSender;
  /**
   * Our number, stored as from_number until the provider reports the one it sent from (a Messaging
   * Service may pick another of its numbers). Null: a Messaging Service picks it and nothing is
   * configured (TWILIO_FROM_NUMBER unset); the row's from_number stays null until Twilio says.
   */
  from: string | null;
  logger: OutboxLogger;
}

/** The recipient answered STOP: carriers forbid texting them until they send START. */
export class SmsOptedOutError extends Error {
  override readonly name = 'SmsOptedOutError';
  constructor(
    readonly to: string,
    readonly idempotencyKey: string,
  ) {
    super(`not sending "${idempotencyKey}" to ${maskPhone(to)}: the recipient opted out of SMS (STOP)`);
  }
}

interface OutRow {
  id: string;
  status: SentSms['status'];
  provider_sid: string | null;
  send_attempted_at: Date | null;
}

/** +1555***0100: enough to tell numbers apart in logs without writing them out. */
export function maskPhone(phone: string): string {
  return phone.length > 8 ? `${phone.slice(0, 5)}***${phone.slice(-4)}` : '***';
}

export function createSmsOutbox({ sql, sender, from, logger }: SmsOutboxOptions): SmsOutbox {
  const duplicate = (row: OutRow): SentSms => ({
    messageId: row.id,
    providerSid: row.provider_sid,
    status: row.status,
    duplicate: true,
  });

  return {
    async send(msg: OutboundSms): Promise<SentSms> {
      const inserted = await sql<OutRow[]>`
        insert into public.sms_messages
          (user_id, direction, from_number, to_number, body, status, idempotency_key, alert_id)
        values (${msg.userId}, 'out', ${from}, ${msg.to}, ${msg.body}, 'queued', ${msg.idempotencyKey},
                ${msg.alertId ?? null})
        on conflict (idempotency_key) do nothing
        returning id, status, provider_sid, send_attempted_at`;
      const row =
        inserted[0] ??
        (
          await sql<OutRow[]>`
            select id, status, provider_sid, send_attempted_at from public.sms_messages
            where idempotency_key = ${msg.idempotencyKey}`
        )[0];
      if (!row) throw new Error(`sms_messages row for "${msg.idempotencyKey}" vanished after its insert`);
      const log = { messageId: row.id, key: msg.idempotencyKey, to: maskPhone(msg.to), sender: sender.name };
      if (row.provider_sid || row.send_attempted_at || row.status !== 'queued') {
        if (!row.provider_sid && row.status === 'queued') {
          logger.warn(log, 'sms in doubt: an earlier attempt may have been sent; not sending it again');
        }
        return duplicate(row);
      }

      // STOP from this number, or from this user's profile, wins over any message we want to send.
      const [optedOut] = await sql<{ id: string }[]>`
        select id from public.profiles
        where sms_opt_in = 'opted_out' and (phone = ${msg.to} or id = ${msg.userId})
        limit 1`;
      if (optedOut) {
        await sql`
          update public.sms_messages set status = 'failed', error_code = 'opted_out'
          where id = ${row.id} and status = 'queued'`;
        logger.warn(log, 'sms refused: recipient opted out');
        throw new SmsOptedOutError(msg.to, msg.idempotencyKey);
      }

      const claimed = await sql`
        update public.sms_messages set send_attempted_at = now()
        where id = ${row.id} and send_attempted_at is null and provider_sid is null
        returning id`;
      if (claimed.length === 0) {
        // Another attempt claimed it between our read and now: it sends, we do not.
        const [now] = await sql<OutRow[]>`
          select id, status, provider_sid, send_attempted_at from public.sms_messages where id = ${row.id}`;
        return duplicate(now ?? row);
      }

      let result: Awaited<ReturnType<SmsSender['send']>>;
      try {
        result = await sender.send({ messageId: row.id, to: msg.to, from, body: msg.body });
      } catch (err) {
        if (!(err instanceof SmsSendError) || err.kind === 'in_doubt') {
          logger.warn({ ...log, err }, 'sms send in doubt: kept as attempted, will not be resent');
          throw err;
        }
        if (err.kind === 'not_sent') {
          await sql`update public.sms_messages set send_attempted_at = null where id = ${row.id}`;
          throw err;
        }
        // Refused for good: record why; the caller sees a failed message, not an exception.
        await sql`
          update public.sms_messages set status = 'failed', error_code = ${(err.code ?? 'refused').slice(0, 32)}
          where id = ${row.id} and status = 'queued'`;
        logger.warn({ ...log, code: err.code, reason: err.message }, 'sms refused by the provider');
        return { messageId: row.id, providerSid: null, status: 'failed', duplicate: false };
      }

      // A short code or alphanumeric sender id is not a phone number: keep ours then.
      const sentFrom = result.from && /^\+[1-9][0-9]{6,14}$/.test(result.from) ? result.from : null;
      // A status callback can beat this update (it finds the row by ?m=<id>): only move forward.
      const [stored] = await sql<{ status: SentSms['status']; provider_sid: string }[]>`
        update public.sms_messages
        set provider_sid = coalesce(provider_sid, ${result.sid}),
            from_number = coalesce(${sentFrom}, from_number),
            status = case
              when public.message_status_rank(status) < public.message_status_rank(${result.status})
              then ${result.status} else status end
        where id = ${row.id}
        returning status, provider_sid`;
      logger.info({ ...log, sid: result.sid, status: stored?.status }, 'sms sent');
      return {
        messageId: row.id,
        providerSid: stored?.provider_sid ?? result.sid,
        status: stored?.status ?? result.status,
        duplicate: false,
      };
    },
  };
}
