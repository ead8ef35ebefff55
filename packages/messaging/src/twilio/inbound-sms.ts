// What happens to an inbound SMS once its signature and form are checked (twilio-webhook route):
// store it once (idempotent on MessageSid: Twilio re-delivers a webhook it thinks failed), answer
// carrier keywords here, and hand everything else to the trader's conversation workflow. The
// message is stored before the hand-off, so a hand-off that fails or is slow loses nothing: the
// row keeps handed_off_at null and the workflow worker's sweeper signals it later.
import type { Sql } from 'postgres';
import { carrierKeyword, type SmsOptIn } from './keywords.ts';
import { maskPhone } from './sms-outbox.ts';
import type { InboundSms } from './webhook.ts';

export const UNKNOWN_NUMBER_REPLY =
  'TradeAssist: this number is not linked to an account. Add and verify it in TradeAssist settings to text the assistant.';

/** What the conversation workflow receives (InboundSmsSignal) plus who it belongs to. */
export interface Handoff {
  messageId: string;
  providerSid: string;
  body: string;
  receivedAt: string;
  phone: string;
  userId: string;
}

export interface InboundLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface InboundDeps {
  sql: Sql;
  /** Signal-with-start of the conversation workflow. */
  handoff: (h: Handoff) => Promise<void>;
  /** How long the webhook waits for the hand-off before answering anyway. */
  handoffWaitMs: number;
  /** Keeps a hand-off that outlived the wait running after the response (Next's `after`). */
  defer: (work: Promise<unknown>) => void;
  logger: InboundLogger;
}

export type InboundOutcome =
  /** This MessageSid was stored before: nothing done again. */
  | { kind: 'replay' }
  /** No verified profile has this number: refused (nothing stored), or a keyword answered. */
  | { kind: 'unknown_number'; reply: string }
  | { kind: 'keyword'; messageId: string; keyword: 'stop' | 'start' | 'help'; optIn: SmsOptIn; reply: string }
  /** The trader opted out (STOP): stored, not passed on; nothing can be sent back anyway. */
  | { kind: 'opted_out'; messageId: string }
  | { kind: 'handed_off'; messageId: string }
  /** Stored; the hand-off is still running or failed (the sweeper retries it). */
  | { kind: 'handoff_pending'; messageId: string };

interface Profile {
  id: string;
  phone_verified: boolean;
  sms_opt_in: SmsOptIn;
}

export async function processInboundSms(deps: InboundDeps, sms: InboundSms): Promise<InboundOutcome> {
  const { sql, logger } = deps;
  const receivedAt = new Date();
  const log = { sid: sms.MessageSid, from: maskPhone(sms.From) };
  const [profile] = await sql<Profile[]>`
    select id, phone_verified, sms_opt_in from public.profiles where phone = ${sms.From}`;

  // An unverified number could be anyone's: it must not act on the account that typed it in.
  if (!profile?.phone_verified) {
    // HELP and STOP still get their carrier answer; there is no state of ours to change.
    const kw = carrierKeyword(sms.Body, 'pending');
    logger.info({ ...log, keyword: kw?.keyword ?? null }, 'sms from an unknown number');
    return { kind: 'unknown_number', reply: kw?.reply ?? UNKNOWN_NUMBER_REPLY };
  }

  const keyword = carrierKeyword(sms.Body, profile.sms_opt_in);
  const handled = keyword !== null || profile.sms_opt_in === 'opted_out';
  const stored = await sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into public.sms_messages
        (user_id, direction, from_number, to_number, body, provider_sid, status, created_at, handed_off_at)
      values (${profile.id}, 'in', ${sms.From}, ${sms.To}, ${sms.Body}, ${sms.MessageSid}, 'received',
              ${receivedAt}, ${handled ? receivedAt : null})
      on conflict (provider_sid) do nothing
      returning id`;
    if (row && keyword?.changed) {
      await tx`
        update public.profiles set sms_opt_in = ${keyword.optIn}, sms_opt_in_changed_at = ${receivedAt}
        where id = ${profile.id}`;
    }
    return row;
  });
  if (!stored) {
    logger.info(log, 'sms webhook replayed: already stored');
    return { kind: 'replay' };
  }
  if (keyword) {
    logger.info({ ...log, keyword: keyword.keyword, optIn: keyword.optIn }, 'sms carrier keyword');
    return {
      kind: 'keyword',
      messageId: stored.id,
      keyword: keyword.keyword,
      optIn: keyword.optIn,
      reply: keyword.reply,
    };
  }
  if (profile.sms_opt_in === 'opted_out') {
    logger.info(log, 'sms from an opted-out number: stored, not passed on');
    return { kind: 'opted_out', messageId: stored.id };
  }

  const work = deps
    .handoff({
      messageId: stored.id,
      providerSid: sms.MessageSid,
      body: sms.Body,
      receivedAt: receivedAt.toISOString(),
      phone: sms.From,
      userId: profile.id,
    })
    .then(async () => {
      await sql`update public.sms_messages set handed_off_at = now() where id = ${stored.id} and handed_off_at is null`;
      return true;
    })
    .catch((err: unknown) => {
      logger.warn(
        { ...log, messageId: stored.id, err },
        'sms hand-off failed: stored; the sweeper will retry',
      );
      return false;
    });
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    work,
    new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), deps.handoffWaitMs);
    }),
  ]);
  clearTimeout(timer);
  if (waited === 'late') deps.defer(work);
  return waited === true
    ? { kind: 'handed_off', messageId: stored.id }
    : { kind: 'handoff_pending', messageId: stored.id };
}
