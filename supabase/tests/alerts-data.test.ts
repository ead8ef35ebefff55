// Alerts as data: how rule alerts tie to their rule, how old market-wide alerts are purged, and the
// daily reference (prior close, 20-day average volume) the screener reads with `--sink db`.
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs, createUser, pgError, USER_A, USER_B } from './support/act-as.ts';

const db = useTestDatabase();

beforeAll(async () => {
  await createUser(db.sql, USER_A);
  await createUser(db.sql, USER_B);
});

let seq = 0;
async function alert(
  over: { user_id?: string | null; rule_id?: string | null; type?: string; ageDays?: number } = {},
): Promise<string | undefined> {
  seq += 1;
  const [row] = await db.sql<{ id: string }[]>`
    insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, dedupe_key, created_at)
    values (${over.user_id ?? null}, ${over.rule_id ?? null}, 'NVDA', ${over.type ?? 'gap_up'}, ${seq}, 1, 'pre', 0.5,
            ${`k${seq}`}, now() - make_interval(days => ${over.ageDays ?? 0}))
    returning id::text`;
  return row?.id;
}

async function rule(user: string): Promise<string> {
  const [r] = await db.sql<{ id: string }[]>`
    insert into public.rules (user_id, name, definition) values (${user}, ${`rule ${Math.random()}`}, '{}') returning id`;
  return r!.id;
}

describe('rule alerts', () => {
  it('skips (rather than fails the batch on) an alert of a rule deleted since the screener compiled it', async () => {
    const r = await rule(USER_A);
    await db.sql`delete from public.rules where id = ${r}`;
    const res =
      await db.sql`insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, dedupe_key)
      values (${USER_A}, ${r}, 'NVDA', 'rule', 1, 1, 'pre', 0.5, 'gone:1'), (null, null, 'NVDA', 'halt', 1, 1, 'pre', 1, 'gone:2')`;
    // The market-wide alert of the same batch went in.
    expect(res.count).toBe(1);
  });

  it("refuses a rule alert addressed to someone other than the rule's owner", async () => {
    const r = await rule(USER_A);
    const err = await pgError(alert({ user_id: USER_B, rule_id: r, type: 'rule' }));
    expect(err.code).toBe('23514');
    expect(err.message).toMatch(/names rule .* owned by/);
  });

  it('keeps the alert when its rule is deleted later, without the rule id', async () => {
    const r = await rule(USER_A);
    const id = await alert({ rule_id: r, type: 'rule' });
    await db.sql`delete from public.rules where id = ${r}`;
    const [row] = await db.sql`select user_id, rule_id from public.alerts where id = ${id!}`;
    expect(row).toEqual({ user_id: USER_A, rule_id: null });
  });
});

describe('retention', () => {
  it('deletes old market-wide alerts in batches and keeps recent, owned and referenced ones', async () => {
    await db.sql`delete from public.alerts`;
    for (let i = 0; i < 5; i++) await alert({ ageDays: 40 });
    const recent = await alert({ ageDays: 2 });
    const owned = await alert({ user_id: USER_A, ageDays: 40 });
    const traded = await alert({ ageDays: 40 });
    await db.sql`insert into public.trades (user_id, symbol, side, quantity, entry, alert_id)
      values (${USER_A}, 'NVDA', 'long', 1, 10, ${traded!})`;
    const delivered = await alert({ ageDays: 40 });
    await db.sql`insert into public.alert_deliveries (alert_id, user_id, channel) values (${delivered!}, ${USER_A}, 'sms')`;

    // Two batches of two and one of one: 5 old market-wide alerts.
    const batches: number[] = [];
    for (;;) {
      const [r] = await db.sql<{ n: number }[]>`select public.purge_old_alerts_batch(30, 2) as n`;
      batches.push(r!.n);
      if (r!.n === 0) break;
    }
    expect(batches).toEqual([2, 2, 1, 0]);
    const left = (await db.sql<{ id: string }[]>`select id::text from public.alerts order by alerts.id`).map(
      (r) => r.id,
    );
    expect(left).toEqual([recent, owned, traded, delivered]);
  });

  it('the procedure commits batch by batch until nothing is left', async () => {
    await db.sql`delete from public.alerts where user_id is null and id not in (
      select alert_id from public.trades where alert_id is not null
      union select alert_id from public.alert_deliveries)`;
    for (let i = 0; i < 7; i++) await alert({ ageDays: 31 });
    await db.sql`call public.purge_old_alerts(30, 3)`;
    const [r] = await db.sql`select count(*)::int as n from public.alerts
      where user_id is null and created_at < now() - interval '30 days'`;
    // The two kept for the trade and the delivery log.
    expect(r!.n).toBe(2);
  });

  it('refuses nonsense arguments and is not callable by signed-in users', async () => {
    expect((await pgError(db.sql`select public.purge_old_alerts_batch(0, 10)`)).code).toBe('22023');
    const err = await pgError(
      actAs(db.sql, USER_A, (tx) => tx`select public.purge_old_alerts_batch(30, 10)`),
    );
    expect(err.code).toBe('42501');
  });
});

describe('daily_reference', () => {
  beforeAll(async () => {
    // NVDA: 22 consecutive weekdays from Mon 2026-01-05, bar i (1..22) closes at 100 + i with
    // volume i * 100. AMD: 3 bars. OLD: one bar 60 days back, outside the 45-day look-back.
    await db.sql`
      insert into public.daily_bars (symbol, trade_date, open, high, low, close, volume)
      select 'NVDA', d, 100 + i, 100 + i, 100 + i, 100 + i, i * 100
      from (select d::date, row_number() over (order by d) as i
            from generate_series('2026-01-05'::date, '2026-02-27'::date, interval '1 day') d
            where extract(isodow from d) < 6) days
      where i <= 22`;
    await db.sql`
      insert into public.daily_bars (symbol, trade_date, open, high, low, close, volume) values
        ('AMD', '2026-02-02', 10, 11, 9, 10.5, 1000), ('AMD', '2026-02-03', 10, 11, 9, 10.25, 2000),
        ('AMD', '2026-02-04', 10, 11, 9, 10.125, 3000), ('OLD', '2025-12-05', 5, 5, 5, 5, 1)`;
  });

  it('gives the prior close and the mean volume of the last 20 bars before the date', async () => {
    // Bar 22 is Tue 2026-02-03. As of Wed 2026-02-04: prior = bar 22 (close 122); bars 3..22 have
    // volumes 300..2200, mean (300 + 2200) / 2 = 1250. AMD as of 02-04: bars of 02-02 and 02-03,
    // mean (1000 + 2000) / 2 = 1500, close 10.25.
    const rows = await db.sql`
      select symbol, prior_date::text, prior_close::text, avg_volume_20::text, volume_days
      from public.daily_reference('2026-02-04') order by symbol`;
    expect(rows).toEqual([
      {
        symbol: 'AMD',
        prior_date: '2026-02-03',
        prior_close: '10.250000000',
        avg_volume_20: '1500.00',
        volume_days: 2,
      },
      {
        symbol: 'NVDA',
        prior_date: '2026-02-03',
        prior_close: '122.000000000',
        avg_volume_20: '1250.00',
        volume_days: 20,
      },
    ]);
  });

  it('never looks at the day itself, and filters by symbol', async () => {
    // As of bar 22's own date: prior = bar 21 (close 121), bars 2..21, mean (200 + 2100) / 2 = 1150.
    const rows = await db.sql`
      select symbol, prior_close::text, avg_volume_20::text from public.daily_reference('2026-02-03', ${['NVDA']})`;
    expect(rows).toEqual([{ symbol: 'NVDA', prior_close: '121.000000000', avg_volume_20: '1150.00' }]);
  });

  it('is readable by a signed-in user (market data) and by no one anonymous', async () => {
    const signedIn = await actAs(
      db.sql,
      USER_A,
      (tx) => tx`select * from public.daily_reference('2026-02-04')`,
    );
    expect(signedIn).toHaveLength(2);
    const anon = await actAs(db.sql, null, (tx) => tx`select * from public.daily_reference('2026-02-04')`);
    expect(anon).toHaveLength(0);
  });
});
