// The screener with `--sink db` against a real Postgres: price triggers crossed by the data become
// one `trade_events` row each (trigger marked fired), user rules are hot-reloaded on NOTIFY (a broken
// one is logged with the part that is wrong and the worker keeps going), the worker serves /ready
// and /metrics and beats in worker_heartbeats, and SIGTERM flushes and exits 0 within 10 s.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '@tradeassist/core/alert';
import { createSimulator } from '@tradeassist/market-data/sim';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScreener, startScreener } from './screener-child.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'ta-screener-db-'));
const file = join(dir, 'day.dbn');
const user = randomUUID();
let ref: Alert[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await createSimulator({ seed: 5, minutes: 30, symbols: 400, preMarketMinutes: 0 }).writeDbn(file);
  const r = await runScreener(['--source', `replay:${file}`, '--sink', 'stdout']);
  expect(r.code, r.stderr.slice(-2000)).toBe(0);
  ref = r.alerts;
  await db.sql`insert into auth.users (id) values (${user})`;
}, 120_000);

const envFor = (id: string) => ({
  DATABASE_URL: db.url,
  LOCAL_DATA_DIR: join(dir, id),
  SCREENER_WORKER_ID: id,
});

async function until<T>(f: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('price triggers', () => {
  it('a level crossed by a trade is marked fired and journaled exactly once', async () => {
    // a level some trade reached: the price of an upward alert fired on a print
    const up = ref.find(
      (a) => a.type === 'momentum_up' || a.type === 'gap_up' || a.type === 'new_high_of_day',
    );
    expect(up, 'the reference run has an upward alert').toBeDefined();
    const [trade] = await db.sql<{ id: string }[]>`
      insert into trades (user_id, symbol, side, quantity, entry)
      values (${user}, ${up!.symbol}, 'long', 100, ${up!.price}) returning id`;
    const [trigger] = await db.sql<{ id: string }[]>`
      insert into price_triggers (trade_id, user_id, symbol, level, direction, kind)
      values (${trade!.id}, ${user}, ${up!.symbol}, ${up!.price}, 'above', 'target') returning id`;
    // an untouchable level on the same name stays armed
    const [far] = await db.sql<{ id: string }[]>`
      insert into price_triggers (trade_id, user_id, symbol, level, direction, kind)
      values (${trade!.id}, ${user}, ${up!.symbol}, 0.0001, 'below', 'stop') returning id`;

    for (let run = 0; run < 2; run++) {
      const r = await runScreener(['--source', `replay:${file}`, '--sink', 'db'], envFor(`trig-${run}`));
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
    }
    const events = await db.sql<{ kind: string; data: Record<string, string> }[]>`
      select kind, data from trade_events where trade_id = ${trade!.id}`;
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('trigger_fired');
    expect(events[0]!.data).toMatchObject({
      trigger_id: trigger!.id,
      level: expect.any(String),
      symbol: up!.symbol,
    });
    expect(BigInt(events[0]!.data.ts_event!)).toBeLessThanOrEqual(BigInt(up!.ts_event));
    expect(Number(events[0]!.data.price)).toBeGreaterThanOrEqual(Number(up!.price));
    const [t] = await db.sql<{ active: boolean; fired_at: Date | null; fired_price: string | null }[]>`
      select active, fired_at, fired_price::text from price_triggers where id = ${trigger!.id}`;
    expect(t).toMatchObject({ active: false, fired_at: expect.any(Date) });
    expect(Number(t!.fired_price)).toBeGreaterThanOrEqual(Number(up!.price));
    const [f] = await db.sql<{ active: boolean }[]>`select active from price_triggers where id = ${far!.id}`;
    expect(f!.active).toBe(true);
  }, 60_000);
});

describe('a running worker', () => {
  it('hot-reloads rules, survives a broken one, serves probes and stops cleanly on SIGTERM', async () => {
    // 30 minutes paced at 20x: about 90 s of data, far longer than this test keeps it running
    const w = startScreener(['--source', `replay:${file}`, '--speed', '20', '--sink', 'db'], envFor('hot'));
    try {
      await w.waitForLog(/"msg":"rules loaded"/);
      const url = JSON.parse(await w.waitForLog(/"msg":"health server listening"/)).url as string;

      // the most active names of the reference run
      const counts = new Map<string, number>();
      for (const a of ref) counts.set(a.symbol, (counts.get(a.symbol) ?? 0) + 1);
      const symbols = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([s]) => s);
      const ruleId = randomUUID();
      await db.sql`
        insert into rules (id, user_id, name, definition, cooldown_seconds, channels)
        values (${ruleId}, ${user}, 'anything trading', ${db.sql.json({
          scope: { kind: 'symbols', symbols },
          sessions: ['regular'],
          condition: { op: 'compare', left: { field: 'price' }, cmp: '>', right: { value: 0.01 } },
        })}, 0, array['web', 'sms'])`;
      // a rule scoped to a watchlist: its symbols are resolved from watchlist_symbols
      const [list] = await db.sql<{ id: string }[]>`
        insert into watchlists (user_id, name) values (${user}, 'movers') returning id`;
      await db.sql`insert into watchlist_symbols (watchlist_id, user_id, symbol) values (${list!.id}, ${user}, ${symbols[1]!})`;
      const listRuleId = randomUUID();
      await db.sql`
        insert into rules (id, user_id, name, definition, cooldown_seconds)
        values (${listRuleId}, ${user}, 'my list trading', ${db.sql.json({
          scope: { kind: 'watchlist', watchlist_id: list!.id },
          condition: { op: 'compare', left: { field: 'price' }, cmp: '>', right: { value: 0.01 } },
        })}, 0)`;
      const listAlerts = await until(async () => {
        const rows = await db.sql<
          { symbol: string }[]
        >`select symbol from alerts where rule_id = ${listRuleId}`;
        return rows.length > 0 ? rows : undefined;
      }, 'watchlist rule alerts');
      expect(new Set(listAlerts.map((r) => r.symbol))).toEqual(new Set([symbols[1]]));

      const ruleAlerts = await until(async () => {
        const rows = await db.sql<
          { symbol: string; user_id: string; details: { rule_id: string; channels: string[] } }[]
        >`
          select symbol, user_id, details from alerts where rule_id = ${ruleId}`;
        return rows.length > 0 ? rows : undefined;
      }, 'rule alerts');
      for (const r of ruleAlerts) {
        expect(symbols).toContain(r.symbol);
        expect(r.user_id).toBe(user);
        expect(r.details.rule_id).toBe(ruleId);
        expect(r.details.channels).toEqual(['dashboard', 'sms']);
      }

      const badId = randomUUID();
      await db.sql`
        insert into rules (id, user_id, name, definition)
        values (${badId}, ${user}, 'typo', ${db.sql.json({
          scope: { kind: 'all' },
          condition: { op: 'compare', left: { field: 'prise' }, cmp: '>', right: { value: 1 } },
        })})`;
      const line = JSON.parse(await w.waitForLog(new RegExp(`"rule_id":"${badId}".*rule skipped`)));
      expect(line.msg).toContain('condition.left.field');
      expect(w.child.exitCode).toBeNull();

      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      for (const re of [
        /^ta_screener_feed_records_total\{[^}]*\} [1-9]/m,
        /^ta_screener_feed_lag_seconds\{/m,
        /^ta_screener_tick_to_alert_seconds_bucket\{/m,
        /^ta_screener_alert_queue_depth\{/m,
        /^ta_screener_alerts_total\{type="rule"[^}]*\} [1-9]/m,
        /^ta_screener_feed_reconnects_total\{/m,
        /^ta_screener_rule_errors_total\{[^}]*\} 1$/m,
      ])
        expect(metrics).toMatch(re);
      // the web's /api/health reads details.feed from the heartbeat (one every 5 s)
      await until(
        async () => {
          const [hb] = await db.sql<{ details: { feed: { state: string } } }[]>`
          select details from worker_heartbeats where worker_id = 'hot'`;
          return hb?.details.feed.state === 'streaming' ? true : undefined;
        },
        'a heartbeat with the feed streaming',
        15_000,
      );
    } finally {
      const t0 = Date.now();
      w.child.kill('SIGTERM');
      const { code } = await w.exited;
      expect(code, w.stderr().slice(-2000)).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
    }
    // every alert the worker handed to its writer before stopping is committed
    const committed = w
      .stderr()
      .split('\n')
      .find((l) => l.includes('"msg":"alert writer closed"'));
    expect(committed).toBeDefined();
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from alerts`;
    expect(JSON.parse(committed!).committed).toBeLessThanOrEqual(count!.n);
  }, 90_000);
});
