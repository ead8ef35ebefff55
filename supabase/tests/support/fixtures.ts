// One of everything a user owns, written as the superuser (as the workers would), so the RLS tests
// have a victim row in every table.
import type { Sql } from 'postgres';

export interface UserRows {
  watchlistId: string;
  ruleId: string;
  ruleAlertId: string;
  tradeId: string;
  triggerId: string;
  smsId: string;
}

/** `n` keeps phone numbers, SIDs and dedupe keys distinct between users. */
export async function seedUserRows(sql: Sql, userId: string, n: number): Promise<UserRows> {
  const [wl] = await sql<{ id: string }[]>`
    select id from public.watchlists where user_id = ${userId} and is_default`;
  if (!wl) throw new Error(`user ${userId} has no default watchlist (handle_new_user trigger?)`);
  await sql`insert into public.watchlist_symbols (watchlist_id, user_id, symbol) values (${wl.id}, ${userId}, 'NVDA')`;
  await sql`insert into public.mutes (user_id, symbol) values (${userId}, 'TSLA')`;
  const [rule] = await sql<{ id: string }[]>`
    insert into public.rules (user_id, name, definition) values (${userId}, 'Big gap', '{"when": "gap_pct > 8"}')
    returning id`;
  const [alert] = await sql<{ id: string }[]>`
    insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, dedupe_key)
    values (${userId}, ${rule!.id}, 'NVDA', 'rule', 1700577000123456789, 482.15, 'pre', 0.9, ${`rule:${n}`})
    returning id::text`;
  await sql`insert into public.alert_deliveries (alert_id, user_id, channel, provider_id)
    values (${alert!.id}, ${userId}, 'sms', ${`SM${n}`})`;
  const [trade] = await sql<{ id: string }[]>`
    insert into public.trades (user_id, symbol, side, quantity, entry, stop, target)
    values (${userId}, 'NVDA', 'long', 100, 480, 470, 500) returning id`;
  await sql`insert into public.trade_events (trade_id, user_id, kind, data)
    values (${trade!.id}, ${userId}, 'opened', '{"via": "sms"}')`;
  const [trig] = await sql<{ id: string }[]>`
    insert into public.price_triggers (trade_id, user_id, symbol, level, direction, kind)
    values (${trade!.id}, ${userId}, 'NVDA', 470, 'below', 'stop') returning id`;
  const [sms] = await sql<{ id: string }[]>`
    insert into public.sms_messages (user_id, direction, from_number, to_number, body, provider_sid, status)
    values (${userId}, 'in', ${`+1555000000${n}`}, '+15559990000', 'long NVDA 100 @ 480 stop 470', ${`SMin${n}`}, 'received')
    returning id`;
  await sql`insert into public.push_subscriptions (user_id, endpoint, p256dh, auth)
    values (${userId}, ${`https://push.example.test/send/${n}`}, ${`B${'A'.repeat(86)}`}, ${'A'.repeat(22)})`;
  return {
    watchlistId: wl.id,
    ruleId: rule!.id,
    ruleAlertId: alert!.id,
    tradeId: trade!.id,
    triggerId: trig!.id,
    smsId: sms!.id,
  };
}

/** Market data and operational rows: not owned by anyone. */
export async function seedSharedRows(sql: Sql): Promise<void> {
  await sql`insert into public.alerts (symbol, type, ts_event, price, session, score, dedupe_key)
    values ('AMD', 'gap_up', 1700577000000000000, 120.5, 'pre', 0.7, 'AMD:gap_up:2023-11-21')`;
  await sql`insert into public.instruments (symbol, instrument_id, exchange, name) values ('NVDA', 11667, 'XNAS', 'NVIDIA Corp')`;
  await sql`insert into public.daily_bars (symbol, trade_date, open, high, low, close, volume)
    values ('NVDA', '2023-11-20', 450, 456, 448, 455, 40000000)`;
  await sql`insert into public.worker_heartbeats (worker_id, kind, shard, shard_count) values ('screener-0', 'screener', 0, 1)`;
}
