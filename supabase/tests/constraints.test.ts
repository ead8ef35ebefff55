// Bad input is refused by the database itself, with an error that names the rule it broke, so a
// bug in any writer (SMS parser, dashboard, workflow) cannot store a trade or message that lies.
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, inRolledBack, pgError, USER_A } from './support/act-as.ts';

const db = useTestDatabase();

beforeAll(async () => {
  await createUser(db.sql, USER_A, '15551110001');
});

interface Trade {
  symbol?: string;
  side?: 'long' | 'short';
  quantity?: string;
  entry?: string;
  stop?: string | null;
  target?: string | null;
  status?: string;
  exit_price?: string | null;
  closed_at?: string | null;
  current_stop?: string | null;
}

function insertTrade(t: Trade) {
  const row = {
    user_id: USER_A,
    symbol: 'NVDA',
    side: 'long',
    quantity: '100',
    entry: '480',
    stop: '470',
    target: '500',
    ...t,
  };
  return db.sql`insert into public.trades ${db.sql(row)} returning id`;
}

async function refusedBy(p: Promise<unknown>): Promise<string | undefined> {
  const err = await pgError(p);
  expect(err.code).toBe('23514');
  expect(err.message).toContain(err.constraint_name);
  return err.constraint_name;
}

describe('trades', () => {
  it('takes a well-formed long and short trade, including fractional shares and BRK.B', async () => {
    await insertTrade({});
    await insertTrade({
      symbol: 'BRK.B',
      side: 'short',
      quantity: '0.5',
      entry: '350',
      stop: '355.25',
      target: '340',
    });
  });

  it.each(['nvda', 'NVDA!', '', 'TOOLONGSYMBOL1', '1ABC'])('refuses the symbol %j', async (symbol) => {
    expect(await refusedBy(insertTrade({ symbol }))).toBe('trades_symbol_format');
  });

  it.each(['0', '-5'])('refuses quantity %s', async (quantity) => {
    expect(await refusedBy(insertTrade({ quantity }))).toBe('trades_quantity_positive');
  });

  it('refuses a stop on the wrong side of the entry', async () => {
    // long 480 with a stop at 490 would be stopped out on entry; short 480 with a stop at 470 too.
    expect(await refusedBy(insertTrade({ stop: '490' }))).toBe('trades_stop_side');
    expect(await refusedBy(insertTrade({ stop: '480' }))).toBe('trades_stop_side');
    expect(await refusedBy(insertTrade({ side: 'short', stop: '470', target: '450' }))).toBe(
      'trades_stop_side',
    );
  });

  it('refuses a target on the wrong side of the entry', async () => {
    expect(await refusedBy(insertTrade({ target: '470', stop: null }))).toBe('trades_target_side');
    expect(await refusedBy(insertTrade({ side: 'short', stop: '490', target: '495' }))).toBe(
      'trades_target_side',
    );
  });

  it('lets the stop trail past the entry (current_stop) but not past the target', async () => {
    const [t] = await insertTrade({});
    await db.sql`update public.trades set current_stop = 485 where id = ${t!.id}`;
    expect(await refusedBy(db.sql`update public.trades set current_stop = 501 where id = ${t!.id}`)).toBe(
      'trades_current_stop_side',
    );
  });

  it('refuses a closed trade without an exit, and an exit on an open trade', async () => {
    const [t] = await insertTrade({});
    expect(
      await refusedBy(
        db.sql`update public.trades set status = 'closed', closed_at = now() where id = ${t!.id}`,
      ),
    ).toBe('trades_closed_has_exit');
    expect(await refusedBy(db.sql`update public.trades set exit_price = 490 where id = ${t!.id}`)).toBe(
      'trades_exit_only_when_closed',
    );
    await db.sql`update public.trades set status = 'closed', closed_at = now(), exit_price = 490,
      realized_pnl = 1000, r_multiple = 1 where id = ${t!.id}`;
  });

  it('records partial exits up to the position size', async () => {
    const [t] = await insertTrade({});
    await db.sql`update public.trades set exited_quantity = 50 where id = ${t!.id}`;
    expect(await refusedBy(db.sql`update public.trades set exited_quantity = 101 where id = ${t!.id}`)).toBe(
      'trades_exited_quantity_range',
    );
  });

  it('keeps prices exact (numeric, never float)', async () => {
    const [t] = await insertTrade({ entry: '0.1', stop: '0.05', target: '0.3', quantity: '3' });
    const [row] = await db.sql<
      { cost: string }[]
    >`select (entry * quantity)::text as cost from public.trades where id = ${t!.id}`;
    // 0.1 * 3 = 0.3 exactly (a double would give 0.30000000000000004).
    expect(row!.cost).toBe('0.300000000000000');
  });
});

describe('forward-only statuses', () => {
  async function delivery(): Promise<string> {
    const [a] = await db.sql<{ id: string }[]>`
      insert into public.alerts (symbol, type, ts_event, price, session, score, dedupe_key)
      values ('AMD', 'gap_up', 1, 120, 'pre', 0.5, ${`k${Math.random()}`}) returning id::text`;
    const [d] = await db.sql<{ id: string }[]>`
      insert into public.alert_deliveries (alert_id, user_id, channel) values (${a!.id}, ${USER_A}, 'sms')
      returning id::text`;
    return d!.id;
  }
  const setStatus = (id: string, status: string) =>
    db.sql`update public.alert_deliveries set status = ${status} where id = ${id}`;

  it('moves queued -> sent -> delivered, and refuses going back', async () => {
    const id = await delivery();
    await setStatus(id, 'sent');
    await setStatus(id, 'delivered');
    const err = await pgError(setStatus(id, 'sent'));
    expect(err.code).toBe('23514');
    expect(err.message).toBe('alert_deliveries: status cannot move from delivered to sent (row ' + id + ')');
    expect((await pgError(setStatus(id, 'queued'))).code).toBe('23514');
    // One terminal state never turns into another (a late 'failed' after 'delivered').
    expect((await pgError(setStatus(id, 'failed'))).code).toBe('23514');
    // Re-applying the same status (a duplicate callback) is harmless.
    await setStatus(id, 'delivered');
  });

  it('lets an out-of-order callback be skipped with the rank guard instead of raising', async () => {
    const id = await delivery();
    await setStatus(id, 'delivered');
    const res = await db.sql`update public.alert_deliveries set status = 'sent'
      where id = ${id} and public.message_status_rank(status) < public.message_status_rank('sent')`;
    expect(res.count).toBe(0);
  });

  it('refuses a duplicate delivery of one alert to one user on one channel', async () => {
    const id = await delivery();
    const err = await pgError(db.sql`insert into public.alert_deliveries (alert_id, user_id, channel)
      select alert_id, user_id, channel from public.alert_deliveries where id = ${id}`);
    expect(err.code).toBe('23505');
    expect(err.constraint_name).toBe('alert_deliveries_alert_user_channel_key');
  });
});

describe('sms_messages', () => {
  const inbound = (sid: string) => ({
    user_id: USER_A,
    direction: 'in',
    from_number: '+15551110001',
    to_number: '+15559990000',
    body: 'long NVDA 100 @ 480',
    provider_sid: sid,
    status: 'received',
  });

  it('refuses a duplicate provider_sid (a retried Twilio webhook) and lets the handler skip it', async () => {
    await db.sql`insert into public.sms_messages ${db.sql(inbound('SM0123456789abcdef0123456789abcdef'))}`;
    const err = await pgError(
      db.sql`insert into public.sms_messages ${db.sql(inbound('SM0123456789abcdef0123456789abcdef'))}`,
    );
    expect(err.code).toBe('23505');
    expect(err.constraint_name).toBe('sms_messages_provider_sid_key');
    const again =
      await db.sql`insert into public.sms_messages ${db.sql(inbound('SM0123456789abcdef0123456789abcdef'))}
      on conflict (provider_sid) do nothing`;
    expect(again.count).toBe(0);
  });

  it('refuses phone numbers that are not E.164', async () => {
    const err = await pgError(
      db.sql`insert into public.sms_messages ${db.sql({ ...inbound('SMx1'), from_number: '555-1234' })}`,
    );
    expect(err.constraint_name).toBe('sms_messages_from_e164');
  });

  it('leaves the sender of an outbound message open until Twilio reports it, never of an inbound one', async () => {
    await db.sql`insert into public.sms_messages (user_id, direction, from_number, to_number, body, status)
      values (${USER_A}, 'out', null, '+15551110001', 'AMD new high 171.20', 'queued')`;
    const err = await pgError(
      db.sql`insert into public.sms_messages ${db.sql({ ...inbound('SMx2'), from_number: null })}`,
    );
    expect(err.constraint_name).toBe('sms_messages_inbound_has_from');
  });

  it('moves an outbound message forward only', async () => {
    const [m] = await db.sql<{ id: string }[]>`insert into public.sms_messages
      (user_id, direction, from_number, to_number, body, status)
      values (${USER_A}, 'out', '+15559990000', '+15551110001', 'NVDA gap up +6.0% 482.15', 'queued') returning id`;
    await db.sql`update public.sms_messages set status = 'sent', provider_sid = 'SMout1' where id = ${m!.id}`;
    await db.sql`update public.sms_messages set status = 'undelivered' where id = ${m!.id}`;
    const err = await pgError(db.sql`update public.sms_messages set status = 'sent' where id = ${m!.id}`);
    expect(err.message).toMatch(/sms_messages: status cannot move from undelivered to sent/);
  });
});

describe('profiles and preferences', () => {
  const update = (set: Record<string, unknown>) =>
    db.sql`update public.profiles set ${db.sql(set)} where id = ${USER_A}`;

  it('was created on sign-up with the phone in E.164, the default timezone and a default watchlist', async () => {
    const [p] = await db.sql`select phone, timezone, sms_opt_in from public.profiles where id = ${USER_A}`;
    expect(p).toEqual({ phone: '+15551110001', timezone: 'America/New_York', sms_opt_in: 'pending' });
    const lists = await db.sql`select name from public.watchlists where user_id = ${USER_A} and is_default`;
    expect(lists).toHaveLength(1);
  });

  it("signs up a second account with an already used phone, leaving that profile's phone empty", async () => {
    const other = '00000000-0000-4000-8000-0000000000ee';
    await createUser(db.sql, other, '+15551110001');
    const [p] = await db.sql`select phone from public.profiles where id = ${other}`;
    expect(p).toEqual({ phone: null });
  });

  it('refuses a bad phone, timezone, opt-in state, half a quiet-hours window or a bad channel map', async () => {
    expect((await pgError(update({ phone: '5551234' }))).constraint_name).toBe('profiles_phone_e164');
    expect((await pgError(update({ timezone: 'Mars/Olympus' }))).constraint_name).toBe(
      'profiles_timezone_iana',
    );
    expect((await pgError(update({ timezone: 'UTC+5' }))).constraint_name).toBe('profiles_timezone_iana');
    expect((await pgError(update({ sms_opt_in: 'maybe' }))).code).toBe('23514');
    expect((await pgError(update({ quiet_hours_start: '22:00' }))).constraint_name).toBe(
      'profiles_quiet_hours_pair',
    );
    for (const channels of [
      { default: ['fax'] },
      { gap_up: ['sms', 'sms'] },
      { not_a_type: ['web'] },
      { default: 'web' },
      [],
    ]) {
      const err = await pgError(
        db.sql`update public.profiles set channels = ${db.sql.json(channels as never)} where id = ${USER_A}`,
      );
      expect(err.constraint_name, JSON.stringify(channels)).toBe('profiles_channels_shape');
    }
  });

  it('accepts quiet hours across midnight and per-type channels', async () => {
    await update({ quiet_hours_start: '22:00', quiet_hours_end: '07:00', timezone: 'Europe/London' });
    await db.sql`update public.profiles set channels = ${db.sql.json({ default: ['web'], gap_up: ['web', 'sms'], halt: [] })}
      where id = ${USER_A}`;
  });

  it('mutes: one row per symbol (or all), expiring, checked by is_muted()', async () => {
    await db.sql`insert into public.mutes (user_id, symbol, until) values (${USER_A}, 'TSLA', now() + interval '30 minutes')`;
    // Muting again replaces the first mute instead of stacking a second one.
    await db.sql`insert into public.mutes (user_id, symbol, until) values (${USER_A}, 'TSLA', now() - interval '1 minute')
      on conflict (user_id, symbol) do update set until = excluded.until`;
    const [r1] =
      await db.sql`select public.is_muted(${USER_A}, 'TSLA') as tsla, public.is_muted(${USER_A}, 'NVDA') as nvda`;
    expect(r1).toEqual({ tsla: false, nvda: false });
    await db.sql`insert into public.mutes (user_id, symbol, until) values (${USER_A}, null, null)`;
    const [r2] = await db.sql`select public.is_muted(${USER_A}, 'NVDA') as nvda`;
    expect(r2).toEqual({ nvda: true });
    const err = await pgError(db.sql`insert into public.mutes (user_id, symbol) values (${USER_A}, null)`);
    expect(err.constraint_name).toBe('mutes_user_symbol_key');
  });
});

describe('other tables', () => {
  it('refuses bad symbols everywhere a symbol is stored', async () => {
    const [wl] = await db.sql<{ id: string }[]>`select id from public.watchlists where user_id = ${USER_A}`;
    const cases: [Promise<unknown>, string][] = [
      [
        db.sql`insert into public.watchlist_symbols (watchlist_id, user_id, symbol) values (${wl!.id}, ${USER_A}, 'aapl')`,
        'watchlist_symbols_symbol_format',
      ],
      [
        db.sql`insert into public.price_triggers (user_id, symbol, level, direction, kind) values (${USER_A}, 'a b', 1, 'above', 'custom')`,
        'price_triggers_symbol_format',
      ],
      [db.sql`insert into public.instruments (symbol) values ('$SPX')`, 'instruments_symbol_format'],
      [
        db.sql`insert into public.daily_bars (symbol, trade_date, open, high, low, close, volume) values ('x', '2026-01-02', 1, 1, 1, 1, 0)`,
        'daily_bars_symbol_format',
      ],
    ];
    for (const [p, constraint] of cases) expect(await refusedBy(p)).toBe(constraint);
  });

  it('refuses a bar whose high is below its close', async () => {
    expect(
      await refusedBy(db.sql`insert into public.daily_bars (symbol, trade_date, open, high, low, close, volume)
        values ('NVDA', '2026-01-02', 100, 101, 99, 102, 5)`),
    ).toBe('daily_bars_ohlc_range');
  });

  it('price triggers: stop/target need a trade, one live stop per trade, fired means inactive', async () => {
    const [t] = await insertTrade({});
    expect(
      await refusedBy(db.sql`insert into public.price_triggers (user_id, symbol, level, direction, kind)
        values (${USER_A}, 'NVDA', 470, 'below', 'stop')`),
    ).toBe('price_triggers_trade_kinds');
    await inRolledBack(db.sql, async (tx) => {
      await tx`insert into public.price_triggers (trade_id, user_id, symbol, level, direction, kind)
        values (${t!.id}, ${USER_A}, 'NVDA', 470, 'below', 'stop')`;
      const dup =
        await pgError(tx`insert into public.price_triggers (trade_id, user_id, symbol, level, direction, kind)
        values (${t!.id}, ${USER_A}, 'NVDA', 475, 'below', 'stop')`);
      expect(dup.code).toBe('23505');
    });
    expect(
      await refusedBy(db.sql`insert into public.price_triggers (trade_id, user_id, symbol, level, direction, kind, fired_at)
        values (${t!.id}, ${USER_A}, 'NVDA', 500, 'above', 'target', now())`),
    ).toBe('price_triggers_fired_inactive');
  });

  it('rules: refuses unknown channels and non-object definitions', async () => {
    const rule = (set: Record<string, unknown>) =>
      db.sql`insert into public.rules ${db.sql({ user_id: USER_A, name: `r${Math.random()}`, definition: db.sql.json({}), ...set })}`;
    expect(await refusedBy(rule({ channels: ['web', 'fax'] }))).toBe('rules_channels_valid');
    expect(await refusedBy(rule({ channels: ['web', 'web'] }))).toBe('rules_channels_valid');
    expect(await refusedBy(rule({ definition: db.sql.json([1]) }))).toBe('rules_definition_object');
  });

  it('worker heartbeats: the shard lies within the shard count', async () => {
    expect(
      await refusedBy(
        db.sql`insert into public.worker_heartbeats (worker_id, kind, shard, shard_count) values ('s', 'screener', 2, 2)`,
      ),
    ).toBe('worker_heartbeats_shard_range');
  });
});
