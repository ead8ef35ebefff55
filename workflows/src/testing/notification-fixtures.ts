// Test support for the notification tests: traders with profiles and watchlists, alerts, and an
// SmsOutbox double that keeps the contract (idempotent on its key; counts what reached "the
// carrier"). The real outbox (packages/messaging/src/twilio) stores rows in sms_messages; the
// notifier only relies on the contract, which is what this double checks.
import { randomUUID } from 'node:crypto';
import type { OutboundSms, SentSms, SmsOutbox } from '@tradeassist/messaging/twilio/outbox-types';
import type { Sql } from 'postgres';

export interface TraderOptions {
  phone?: string | null;
  verified?: boolean;
  optIn?: 'opted_in' | 'opted_out' | 'pending';
  channels?: Record<string, string[]>;
  watch?: string[];
  minScore?: number;
  quietHours?: [string, string] | null;
  pushEndpoints?: string[];
}

let phoneSeq = 0;

export async function createTrader(
  sql: Sql,
  o: TraderOptions = {},
): Promise<{ id: string; phone: string | null }> {
  const id = randomUUID();
  const phone = o.phone === undefined ? `+1555${String(2000000 + ++phoneSeq).slice(-7)}` : o.phone;
  await sql`insert into auth.users (id, email) values (${id}, ${`${id}@test.local`})`;
  await sql`
    update public.profiles set
      phone = ${phone},
      phone_verified = ${o.verified ?? phone !== null},
      sms_opt_in = ${o.optIn ?? 'opted_in'},
      channels = ${sql.json(o.channels ?? { default: ['web', 'push', 'sms'] })},
      min_score = ${o.minScore ?? 0},
      quiet_hours_start = ${o.quietHours?.[0] ?? null},
      quiet_hours_end = ${o.quietHours?.[1] ?? null}
    where id = ${id}`;
  for (const symbol of o.watch ?? []) {
    await sql`
      insert into public.watchlist_symbols (watchlist_id, user_id, symbol)
      select w.id, w.user_id, ${symbol} from public.watchlists w where w.user_id = ${id} and w.is_default`;
  }
  for (const endpoint of o.pushEndpoints ?? []) {
    await sql`
      insert into public.push_subscriptions (user_id, endpoint, p256dh, auth)
      values (${id}, ${endpoint}, ${`B${'A'.repeat(86)}`}, ${'a'.repeat(22)})`;
  }
  return { id, phone };
}

let alertSeq = 0;

export async function insertAlert(
  sql: Sql,
  a: {
    symbol: string;
    type?: string;
    score?: number;
    userId?: string | null;
    ruleId?: string | null;
    price?: string;
  },
): Promise<string> {
  const n = ++alertSeq;
  const [row] = await sql<{ id: string }[]>`
    insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, details, dedupe_key)
    values (${a.userId ?? null}, ${a.ruleId ?? null}, ${a.symbol}, ${a.type ?? 'gap_up'}, ${String(1_700_577_000_000_000_000n + BigInt(n))},
            ${a.price ?? '482.15'}, 'regular', ${a.score ?? 0.8}, ${sql.json({ pct: 6, rvol: 4.1 })},
            ${`test:${randomUUID()}`})
    returning id`;
  return row!.id;
}

export interface RecordingOutbox extends SmsOutbox {
  /** Messages that reached the carrier (a duplicate key never does). */
  readonly delivered: OutboundSms[];
}

export function recordingOutbox(): RecordingOutbox {
  const delivered: OutboundSms[] = [];
  const byKey = new Map<string, SentSms>();
  return {
    delivered,
    async send(m) {
      const prior = byKey.get(m.idempotencyKey);
      if (prior) return { ...prior, duplicate: true };
      delivered.push(m);
      const sent: SentSms = {
        messageId: randomUUID(),
        providerSid: `SM${randomUUID().replace(/-/g, '')}`,
        status: 'queued',
        duplicate: false,
      };
      byKey.set(m.idempotencyKey, sent);
      return sent;
    },
  };
}
