// The bar writer against a real Postgres: exact decimal rows, idempotent re-sends, a re-sent partial
// minute never shrinking a complete one, and an unreachable database (bounded queue, oldest dropped
// and counted, writes resume with nothing else lost once it is back).
import { randomBytes } from 'node:crypto';
import type { MinuteBar } from '@tradeassist/screener';
import { createTestDatabase, databaseUrl, useTestDatabase } from '@tradeassist/tests/harness/db';
import pino from 'pino';
import postgres from 'postgres';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { BarWriter } from './bar-writer.ts';

const db = useTestDatabase();
const logger = pino({ level: 'silent' });
const RAW = 1e9;
const T0 = Date.parse('2026-11-20T14:30:00Z') / 1000;
const open: postgres.Sql[] = [];
afterAll(async () => {
  for (const s of open) await s.end({ timeout: 1 });
});

function bar(symbol: string, minute: number, p: Partial<MinuteBar> = {}): MinuteBar {
  // 2 prints: 100 @ 10.00 and 300 @ 10.04 -> VWAP (1,000 + 3,012) / 400 = 10.03
  return {
    symbol,
    ts: T0 + minute * 60,
    open: 10 * RAW,
    high: 10.04 * RAW,
    low: 10 * RAW,
    close: 10.04 * RAW,
    volume: 400,
    pv: (10 * 100 + 10.04 * 300) * RAW,
    trades: 2,
    ...p,
  };
}

async function until(f: () => Promise<boolean> | boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('BarWriter', () => {
  it('upserts exact decimal rows; a replay writes the same rows again and adds none', async () => {
    const sql = postgres(db.url, { max: 2, onnotice: () => {} });
    open.push(sql);
    const w = new BarWriter({ sql, logger, finite: true, flushMs: 50 });
    for (let m = 0; m < 3; m++) w.push(bar('NVDA', m));
    w.push(bar('AMD', 0, { open: 150.123456789 * RAW, high: 151 * RAW, low: 150 * RAW, close: 150.5 * RAW }));
    await until(() => w.written === 4, 'the first batch');
    for (let m = 0; m < 3; m++) w.push(bar('NVDA', m)); // the replay
    await w.close(5_000);
    expect(w.written).toBe(7);
    const rows = await db.sql<Record<string, string>[]>`
      select symbol, to_char(ts at time zone 'UTC', 'HH24:MI') as t, open::text, high::text, low::text,
             close::text, volume::text, vwap::text, trade_count::text
        from intraday_bars order by symbol, ts`;
    expect(rows.map((r) => Object.values(r).join(' '))).toEqual([
      'AMD 14:30 150.123456789 151.000000000 150.000000000 150.500000000 400 10.030000000 2',
      'NVDA 14:30 10.000000000 10.040000000 10.000000000 10.040000000 400 10.030000000 2',
      'NVDA 14:31 10.000000000 10.040000000 10.000000000 10.040000000 400 10.030000000 2',
      'NVDA 14:32 10.000000000 10.040000000 10.000000000 10.040000000 400 10.030000000 2',
    ]);
  });

  it('a minute reported open then complete keeps the complete bar, whatever the order', async () => {
    const sql = postgres(db.url, { max: 2, onnotice: () => {} });
    open.push(sql);
    const w = new BarWriter({ sql, logger, finite: true, flushMs: 50 });
    const partial = bar('TSLA', 5, { volume: 100, pv: 10 * 100 * RAW, trades: 1, close: 10 * RAW });
    const full = bar('TSLA', 5);
    w.push(partial);
    w.push(full); // same batch: the last report wins
    await until(() => w.written === 2, 'the batch');
    w.push(partial); // a restarted run that saw only the start of the minute
    await w.close(5_000);
    const [r] = await db.sql<{ volume: string; trade_count: number; close: string }[]>`
      select volume::text, trade_count, close::text from intraday_bars where symbol = 'TSLA'`;
    expect(r).toEqual({ volume: '400', trade_count: 2, close: '10.040000000' });
  });

  it('while the database is away: bounded queue, oldest dropped and counted; resumes once it is back', async () => {
    // A database that does not exist yet refuses connections like one that is down (not a data
    // error); creating it from the migrated template plays the database coming back.
    const name = `t_bars_${randomBytes(4).toString('hex')}`;
    const sql = postgres(databaseUrl(name), { max: 1, onnotice: () => {}, connect_timeout: 2 });
    open.push(sql);
    const registry = new Registry();
    const w = new BarWriter({ sql, logger, finite: false, flushMs: 50, maxQueued: 100, registry });
    for (let m = 0; m < 150; m++) w.push(bar('AAPL', m));
    // the live source was never paused
    expect(w.afterBatch()).toBeUndefined();
    expect(w.queueDepth()).toBeLessThanOrEqual(100);
    expect(w.dropped).toBeGreaterThanOrEqual(50);
    const dropped = w.dropped;
    const metrics = await registry.metrics();
    expect(metrics).toMatch(new RegExp(`ta_screener_bars_dropped_total ${dropped}`));

    let back: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    try {
      back = await createTestDatabase(name);
      await until(() => w.written === 150 - dropped, 'the queue written after the outage', 30_000);
      await w.close(5_000);
      const [c] = await sql<{ n: number; first: number }[]>`
        select count(*)::int as n, min(extract(epoch from ts))::int as first from intraday_bars`;
      // the newest bars survived, in one piece: minutes dropped..149
      expect(c).toEqual({ n: 150 - dropped, first: T0 + dropped * 60 });
    } finally {
      await sql.end({ timeout: 1 });
      await back?.drop();
    }
  });

  it('never holds a finite source while the database is away (the alerts spool; shutdown goes on)', async () => {
    const sql = postgres(databaseUrl(`t_absent_${randomBytes(4).toString('hex')}`), {
      max: 1,
      onnotice: () => {},
      connect_timeout: 2,
    });
    open.push(sql);
    const w = new BarWriter({ sql, logger, finite: true, flushMs: 50, maxQueued: 100_000 });
    for (let m = 0; m < 60_000; m++) w.push(bar('QQQ', m % 960, { ts: T0 + m * 60 }));
    // paused at first (the database was thought up), released as soon as a write fails
    const wait = w.afterBatch();
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    expect(w.afterBatch()).toBeUndefined();
    const t0 = performance.now();
    await w.close(5_000); // nothing to wait for: the database is away
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(w.written).toBe(0);
  });

  it('pauses a finite source while the queue is long, and lets it go once written', async () => {
    const sql = postgres(db.url, { max: 2, onnotice: () => {} });
    open.push(sql);
    const w = new BarWriter({ sql, logger, finite: true, flushMs: 50 });
    for (let m = 0; m < 960; m++) for (let k = 0; k < 60; k++) w.push(bar(`S${k}`, m));
    const wait = w.afterBatch();
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    expect(w.queueDepth()).toBeLessThan(50_000);
    await w.close(30_000);
    const [c] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from intraday_bars where symbol like 'S%'`;
    expect(c!.n).toBe(960 * 60);
  });
});
