import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTrader } from '../testing/notification-fixtures.ts';
import { createRetentionActivities, type PurgeInput, type RetentionDeps } from './retention.activities.ts';

const db = useTestDatabase();
const ALERTS: PurgeInput = { table: 'alerts' };
const INTRADAY_BARS: PurgeInput = { table: 'intraday_bars' };

let seq = 0;
/** A market-wide alert (user_id null) created `ageDays` ago; returns its id. */
async function alert(ageDays: number, userId: string | null = null): Promise<string> {
  seq += 1;
  const [row] = await db.sql<{ id: string }[]>`
    insert into public.alerts (user_id, symbol, type, ts_event, price, session, score, dedupe_key, created_at)
    values (${userId}, 'NVDA', 'gap_up', ${seq}, 482.15, 'regular', 0.5, ${`retention:${seq}`},
            now() - make_interval(days => ${ageDays}))
    returning id::text`;
  return row!.id;
}

/** `count` consecutive 1-minute bars of `symbol`, the first one `ageDays` days ago. */
async function bars(symbol: string, ageDays: number, count: number): Promise<void> {
  await db.sql`
    insert into public.intraday_bars (symbol, ts, open, high, low, close, volume, vwap, trade_count)
    select ${symbol}, date_trunc('minute', now() - make_interval(days => ${ageDays})) + make_interval(mins => i),
           10, 11, 9, 10.5, 100, 10.2, 3
    from generate_series(0, ${count - 1}::integer) i`;
}

const alertIds = async () =>
  (await db.sql<{ id: string }[]>`select id::text from public.alerts order by id`).map((r) => r.id);
const barCounts = async () =>
  Object.fromEntries(
    (
      await db.sql<{ symbol: string; n: number }[]>`
        select symbol, count(*)::int as n from public.intraday_bars group by symbol order by symbol`
    ).map((r) => [r.symbol, r.n]),
  );

const quiet = { info: () => {} };
function activities(over: Partial<RetentionDeps> = {}) {
  const logged: object[] = [];
  const acts = createRetentionActivities({
    sql: db.sql as never,
    retentionDays: { alerts: 30, intraday_bars: 10 },
    batchSizes: { alerts: 2, intraday_bars: 4 },
    logger: { info: (obj) => logged.push(obj) },
    ...over,
  });
  return { acts, logged };
}

beforeEach(async () => {
  await db.sql`delete from public.alert_deliveries`;
  await db.sql`delete from public.alerts`;
  await db.sql`delete from public.intraday_bars`;
});

describe('purgeOldRows', () => {
  it('deletes old market-wide alerts batch by batch, heartbeating each; recent and delivered ones stay', async () => {
    const trader = await createTrader(db.sql);
    // 5 market-wide alerts past 30 days, one 29 days old, one old but delivered to a trader, and
    // one old alert of that trader's own (user_id set): only the 5 go, in batches of 2: 2 + 2 + 1.
    for (let i = 0; i < 5; i++) await alert(31 + i);
    const recent = await alert(29);
    const delivered = await alert(40);
    await db.sql`insert into public.alert_deliveries (alert_id, user_id, channel) values (${delivered}, ${trader.id}, 'sms')`;
    const owned = await alert(40, trader.id);

    const { acts, logged } = activities();
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const out = await env.run(acts.purgeOldRows, ALERTS);

    expect(out).toEqual({ table: 'alerts', olderThanDays: 30, deleted: 5, batches: 3 });
    expect(beats).toEqual([
      { deleted: 2, batches: 1 },
      { deleted: 4, batches: 2 },
      { deleted: 5, batches: 3 },
    ]);
    expect(await alertIds()).toEqual([recent, delivered, owned].sort((a, b) => Number(a) - Number(b)));
    expect(logged).toEqual([
      { table: 'alerts', olderThanDays: 30, deleted: 5, batches: 3, batchSize: 2, resumed: false },
    ]);
    // Nothing left to do: a second run deletes nothing and says so.
    expect(await env.run(acts.purgeOldRows, ALERTS)).toMatchObject({ deleted: 0, batches: 0 });
  });

  it('deletes intraday bars past the retention in batches; the recent days stay', async () => {
    // 10 bars 12 days old and 3 bars 11 days old go (batches of 4: 4 + 4 + 4 + 1); 5 bars of
    // 9 days ago and today's 2 stay.
    await bars('AAPL', 12, 10);
    await bars('MSFT', 11, 3);
    await bars('MSFT', 9, 5);
    await bars('NVDA', 0, 2);
    const { acts } = activities();
    const out = await new MockActivityEnvironment().run(acts.purgeOldRows, INTRADAY_BARS);
    expect(out).toEqual({ table: 'intraday_bars', olderThanDays: 10, deleted: 13, batches: 4 });
    expect(await barCounts()).toEqual({ MSFT: 5, NVDA: 2 });
  });

  it('takes its retention from the configuration', async () => {
    await bars('AAPL', 8, 3);
    await bars('AAPL', 6, 2);
    const { acts } = activities({ retentionDays: { alerts: 30, intraday_bars: 7 } });
    const out = await new MockActivityEnvironment().run(acts.purgeOldRows, INTRADAY_BARS);
    expect(out).toMatchObject({ olderThanDays: 7, deleted: 3 });
    expect(await barCounts()).toEqual({ AAPL: 2 });
  });

  it("a retry after a worker restart resumes from the last heartbeat's counts", async () => {
    // The first attempt deleted 6 rows in 3 batches before its worker died; 3 old alerts are left.
    for (let i = 0; i < 3; i++) await alert(45);
    const { acts, logged } = activities();
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { deleted: 6, batches: 3 } });
    const out = await env.run(acts.purgeOldRows, ALERTS);
    // 6 + 3 = 9 rows over 3 + 2 = 5 batches.
    expect(out).toEqual({ table: 'alerts', olderThanDays: 30, deleted: 9, batches: 5 });
    expect(logged[0]).toMatchObject({ resumed: true });
    expect(await alertIds()).toEqual([]);
  });

  it('stops between batches when cancelled', async () => {
    for (let i = 0; i < 6; i++) await alert(45);
    const { acts } = activities({ logger: quiet });
    const env = new MockActivityEnvironment();
    env.on('heartbeat', () => env.cancel());
    await expect(env.run(acts.purgeOldRows, ALERTS)).rejects.toThrow(/cancelled after 2 rows/);
    expect(await alertIds()).toHaveLength(4);
  });

  it('refuses an unknown table, for good', async () => {
    const { acts } = activities({ logger: quiet });
    const err = await new MockActivityEnvironment()
      .run(acts.purgeOldRows, { table: 'profiles' } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: 'BadInput' });
    expect((err as Error).message).toMatch(/bad purgeOldRows input \{"table":"profiles"\}/);
  });
});
