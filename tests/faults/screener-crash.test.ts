// Fault: the screener (--sink db) is killed with SIGKILL mid-replay (no handler, no flush: alerts in
// memory, batches in flight, a spool segment half written), then restarted on the same source to the
// end. Every alert of a clean reference run (same source, stdout sink) must then be in `alerts`
// exactly once and nothing else: the restart replays its predecessor's spool, re-screens the file
// from the start, and dedupe_key makes whatever already committed a no-op.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator } from '@tradeassist/market-data/sim';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScreener, startScreener } from '../integration/screener-child.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'ta-screener-crash-'));
const file = join(dir, 'day.dbn');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // 600 names, 30 minutes from the open: ~0.6 M records, ~50 MB, a few hundred alerts
  await createSimulator({ seed: 11, minutes: 30, symbols: 600, preMarketMinutes: 0 }).writeDbn(file);
});

describe('screener killed mid-replay, then restarted', () => {
  it('ends with every alert of a clean run in the database exactly once', async () => {
    const ref = await runScreener(['--source', `replay:${file}`, '--speed', 'max', '--sink', 'stdout']);
    expect(ref.code, ref.stderr.slice(-2000)).toBe(0);
    const want = new Map(ref.alerts.map((a) => [a.dedupe_key, a.ts_event]));
    expect(want.size).toBe(ref.alerts.length);
    expect(want.size).toBeGreaterThan(20);

    const env = { DATABASE_URL: db.url, LOCAL_DATA_DIR: dir, SCREENER_WORKER_ID: 'crash-test' };
    // Paced (30 minutes in ~6 s) so that the kill lands mid-replay, with alerts committed and more coming.
    const first = startScreener(['--source', `replay:${file}`, '--speed', '300', '--sink', 'db'], env);
    let committed = 0;
    while (committed < 10) {
      const r = await Promise.race([
        first.exited.then(() => 'exited' as const),
        new Promise((r) => setTimeout(r, 25)).then(() => 'tick' as const),
      ]);
      if (r === 'exited') throw new Error(`worker exited before the kill\n${first.stderr().slice(-2000)}`);
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from alerts`;
      committed = row?.n ?? 0;
    }
    first.child.kill('SIGKILL');
    const died = await first.exited;
    expect(died.signal).toBe('SIGKILL');
    const [atKill] = await db.sql<{ n: number }[]>`select count(*)::int as n from alerts`;
    expect(atKill!.n).toBeLessThan(want.size); // it really died mid-replay

    const second = await runScreener(['--source', `replay:${file}`, '--speed', 'max', '--sink', 'db'], env);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);

    const rows = await db.sql<{ dedupe_key: string; ts_event: string }[]>`
      select dedupe_key, ts_event::text as ts_event from alerts`;
    const have = new Map(rows.map((r) => [r.dedupe_key, r.ts_event]));
    expect(have.size).toBe(rows.length); // no duplicate
    expect([...want.keys()].filter((k) => !have.has(k))).toEqual([]); // none missing
    expect([...have.keys()].filter((k) => !want.has(k))).toEqual([]); // none extra
    for (const [k, ts] of want) expect(have.get(k), k).toBe(ts);
    // the spool of the killed run was replayed and emptied
    const spool = join(dir, 'spool', 'screener-0-of-1');
    expect(readdirSync(spool).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  }, 120_000);
});
