// `npm run screener -- --sink db` writes a 1-minute bar per symbol and traded minute into
// intraday_bars: checked row by row against bars bucketed independently from the same DBN file's
// trades (open = first print, high/low = extremes, close = last, volume and trades = sums, VWAP =
// sum(price x size) / volume; before a symbol's first trade its quote mids count, as in the engine),
// and a second run of the same replay leaves the rows unchanged.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RType } from '@tradeassist/core/dbn-layout';
import { fixedToDecimal } from '@tradeassist/core/money';
import { decodeFile, recordToJson } from '@tradeassist/market-data/dbn';
import { createSimulator } from '@tradeassist/market-data/sim';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScreener } from './screener-child.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'ta-screener-bars-'));
const file = join(dir, 'day.dbn');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bucket {
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  pv: bigint;
  trades: number;
}
const expected = new Map<string, Bucket>(); // `${symbol} ${minute start, UTC s}`

beforeAll(async () => {
  const sim = createSimulator({ seed: 11, minutes: 12, symbols: 60, preMarketMinutes: 3 });
  await sim.writeDbn(file);
  const ticker = new Map(sim.symbolPairs());
  const { batch } = decodeFile(readFileSync(file));
  const traded = new Set<string>();
  const mids = new Map<string, { key: string; open: bigint; high: bigint; low: bigint }>();
  for (let i = 0; i < batch.count; i++) {
    const r = recordToJson(batch, i) as {
      hd: { rtype: number; instrument_id: number; ts_event: string };
      action?: string;
      price?: string;
      size?: number;
      levels?: { bid_px: string; ask_px: string }[];
    };
    // as the engine reads them: MBP-0 trades, and MBP-1 / CMBP-1 / TCBBO records with action 'T'
    const rt = r.hd.rtype;
    const isTrade =
      rt === RType.MBP_0 ||
      ((rt === RType.MBP_1 || rt === RType.CMBP_1 || rt === RType.TCBBO) && r.action === 'T');
    const sym = ticker.get(r.hd.instrument_id);
    if (!sym) continue;
    const minute = (BigInt(r.hd.ts_event) / 60_000_000_000n) * 60n;
    const key = `${sym} ${minute}`;
    if (!isTrade) {
      // Until a symbol's first trade its quote mid drives its bars (engine.ts): a mid in the minute of
      // the first trade, before it, opens that minute's bar.
      const l = r.levels?.[0];
      if (traded.has(sym) || !l || (rt !== RType.MBP_1 && rt !== RType.CMBP_1)) continue;
      const bid = BigInt(l.bid_px);
      const ask = BigInt(l.ask_px);
      if (bid <= 0n || ask <= 0n || ask < bid || ask === UNDEF) continue;
      const mid = (bid + ask) / 2n;
      const m = mids.get(sym);
      if (!m || m.key !== key) mids.set(sym, { key, open: mid, high: mid, low: mid });
      else {
        if (mid > m.high) m.high = mid;
        if (mid < m.low) m.low = mid;
      }
      continue;
    }
    if (!r.size || r.price === undefined) continue;
    const p = BigInt(r.price);
    const size = BigInt(r.size);
    const b = expected.get(key);
    if (!b) {
      const m = traded.has(sym) ? undefined : mids.get(sym);
      traded.add(sym);
      const q = m?.key === key ? m : { open: p, high: p, low: p };
      expected.set(key, {
        open: q.open,
        high: q.high > p ? q.high : p,
        low: q.low < p ? q.low : p,
        close: p,
        volume: size,
        pv: p * size,
        trades: 1,
      });
    } else {
      if (p > b.high) b.high = p;
      if (p < b.low) b.low = p;
      b.close = p;
      b.volume += size;
      b.pv += p * size;
      b.trades++;
    }
  }
}, 120_000);

async function rows() {
  return db.sql<
    {
      symbol: string;
      t: string;
      open: string;
      high: string;
      low: string;
      close: string;
      volume: string;
      vwap: string;
      trade_count: number;
    }[]
  >`select symbol, extract(epoch from ts)::bigint::text as t, open::text, high::text, low::text, close::text,
           volume::text, vwap::text, trade_count
      from intraday_bars order by symbol, ts`;
}

const UNDEF = 0x7fffffffffffffffn;
const dec = (raw: bigint) => Number(fixedToDecimal(raw)).toFixed(9);

describe('screener --sink db: intraday bars', () => {
  it('writes every traded minute of every symbol, equal to bars built from the raw trades', async () => {
    const r = await runScreener(['--source', `replay:${file}`, '--sink', 'db'], {
      DATABASE_URL: db.url,
      LOCAL_DATA_DIR: join(dir, 'run1'),
      SCREENER_WORKER_ID: 'bars-1',
    });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const got = await rows();
    expect(expected.size).toBeGreaterThan(500); // 60 names x 15 minutes, most of them traded
    expect(got).toHaveLength(expected.size);
    for (const g of got) {
      const e = expected.get(`${g.symbol} ${g.t}`);
      expect(e, `${g.symbol} ${g.t}`).toBeDefined();
      expect([g.open, g.high, g.low, g.close, g.volume, g.trade_count]).toEqual([
        dec(e!.open),
        dec(e!.high),
        dec(e!.low),
        dec(e!.close),
        String(e!.volume),
        e!.trades,
      ]);
      // the engine sums price x size in doubles: its VWAP is within a millionth of a dollar
      const vwap = Number(e!.pv / e!.volume) / 1e9;
      expect(Math.abs(Number(g.vwap) - vwap)).toBeLessThan(1e-6);
    }
  });

  it('a second run of the same replay changes nothing', async () => {
    const before = await rows();
    const r = await runScreener(['--source', `replay:${file}`, '--sink', 'db'], {
      DATABASE_URL: db.url,
      LOCAL_DATA_DIR: join(dir, 'run2'),
      SCREENER_WORKER_ID: 'bars-2',
    });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(await rows()).toEqual(before);
  });
});
