// The screener on a live source (the Databento gateway double speaking the published protocol) with
// `--sink db`: prior closes come from the database (daily_bars -> daily_reference) because a live
// session carries no daily history, the opening prints gap against them, the alerts reach Postgres,
// and SIGTERM stops the endless feed, flushes and exits 0 within 10 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabentoGatewayDouble } from '@tradeassist/test-doubles/databento-gateway';
import { tradeFeed } from '@tradeassist/test-doubles/scripted-feed';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, describe, expect, it } from 'vitest';
import { startScreener } from './screener-child.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'ta-screener-live-'));
const KEY = `db-${'A1b2C3d4E5'.repeat(3).slice(0, 29)}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('live source', () => {
  it('gaps the opening prints against the database reference and stops cleanly on SIGTERM', async () => {
    const instruments = [
      { id: 11, symbol: 'AAA' },
      { id: 12, symbol: 'BBB' },
      { id: 13, symbol: 'CCC' },
    ];
    // trades from the 2023-11-21 open at $100.00 + i cents; Monday's close was $90: a ~11% gap up
    const gateway = await DatabentoGatewayDouble.start({
      feed: tradeFeed({ instruments, count: 3_000 }),
      apiKeys: [KEY],
    });
    try {
      for (const { symbol } of instruments) {
        await db.sql`
          insert into daily_bars (symbol, trade_date, open, high, low, close, volume)
          values (${symbol}, '2023-11-20', 89, 91, 88, 90, 1000000)`;
      }
      const w = startScreener(['--source', 'databento', '--sink', 'db'], {
        DATABASE_URL: db.url,
        LOCAL_DATA_DIR: dir,
        DATABENTO_API_KEY: KEY,
        DATABENTO_GATEWAY: gateway.address,
        SCREENER_WORKER_ID: 'live-test',
      });
      const loaded = JSON.parse(await w.waitForLog(/"msg":"reference data loaded/));
      expect(loaded).toMatchObject({ date: '2023-11-21', symbols: 3 });
      let rows: Array<{ symbol: string; type: string; details: { prev_close: string } }> = [];
      const end = Date.now() + 30_000;
      while (rows.length < 3 && Date.now() < end) {
        rows = await db.sql`select symbol, type, details from alerts where type = 'gap_up' order by symbol`;
        if (rows.length < 3) await new Promise((r) => setTimeout(r, 100));
      }
      expect(rows.map((r) => [r.symbol, r.type, r.details.prev_close])).toEqual([
        ['AAA', 'gap_up', '90.00'],
        ['BBB', 'gap_up', '90.00'],
        ['CCC', 'gap_up', '90.00'],
      ]);
      expect(w.child.exitCode).toBeNull(); // a live feed does not end by itself

      const t0 = Date.now();
      w.child.kill('SIGTERM');
      const { code } = await w.exited;
      expect(code, w.stderr().slice(-2000)).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(w.stderr()).toMatch(/"msg":"alert writer closed"/);
    } finally {
      await gateway.close();
    }
  }, 60_000);
});
