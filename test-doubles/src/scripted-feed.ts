// Scripted market data for the gateway double: what "happens on the exchange" from the first
// connection on. Records have non-decreasing ts_event, so the double can serve an intraday replay
// from any `start` with a binary search.
import { MBP1, TRADE } from '@tradeassist/core/dbn-layout';
import { writeTrade } from './dbn-wire.ts';

export interface Instrument {
  id: number;
  symbol: string;
}

export interface ScriptedFeed {
  readonly instruments: readonly Instrument[];
  readonly count: number;
  /** Size of every data record (bytes). */
  readonly recordSize: number;
  tsEvent(i: number): bigint;
  instrumentId(i: number): number;
  write(i: number, view: DataView, off: number): void;
  /** Optional fast path: writes records [from, from + n) contiguously at `off`. */
  writeRun?(from: number, n: number, view: DataView, off: number): void;
  /** Before record `atIndex`, instrument `id` is renamed `symbol` (a mid-session mapping change). */
  readonly remaps: ReadonlyArray<{ atIndex: number; id: number; symbol: string }>;
}

/** First index whose ts_event is ≥ ts (count if none). */
export function lowerBound(feed: ScriptedFeed, ts: bigint): number {
  let lo = 0;
  let hi = feed.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (feed.tsEvent(mid) < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const FEED_T0 = 1_700_577_000_000_000_000n; // 2023-11-21T14:30:00Z, the regular open

/**
 * Trades for `instruments`, `perTick` records sharing each ts_event (ties exercise the replay
 * boundary). Record i: instrument instruments[i % n], ts_event = T0 + floor(i / perTick) µs,
 * price = 100 + i cents (as 1e-9 fixed point), size = 1 + i % 100, sequence = i.
 */
export function tradeFeed(opts: {
  instruments: readonly Instrument[];
  count: number;
  perTick?: number;
  remaps?: ScriptedFeed['remaps'];
}): ScriptedFeed {
  const n = opts.instruments.length;
  const perTick = opts.perTick ?? 1;
  const tsEvent = (i: number) => FEED_T0 + BigInt(Math.floor(i / perTick)) * 1000n;
  const instrumentId = (i: number) => opts.instruments[i % n]!.id;
  return {
    instruments: opts.instruments,
    count: opts.count,
    recordSize: TRADE.RECORD_SIZE,
    tsEvent,
    instrumentId,
    remaps: opts.remaps ?? [],
    write(i, view, off) {
      writeTrade(view, off, {
        instrumentId: instrumentId(i),
        tsEvent: tsEvent(i),
        price: 100_000_000_000n + BigInt(i) * 10_000_000n,
        size: 1 + (i % 100),
        sequence: i,
        side: i % 2 ? 'A' : 'B',
      });
    },
  };
}

/**
 * A large MBP-1 feed for the benchmark, cheap to produce: records are copied from a prebuilt block
 * and only ts_event, ts_recv and sequence are patched (record i: ts_event = T0 + i µs).
 */
export function mbp1BenchFeed(count: number, instrumentCount = 1000): ScriptedFeed {
  const instruments = Array.from({ length: instrumentCount }, (_, k) => ({
    id: k + 1,
    symbol: `SYM${k + 1}`,
  }));
  const block = 4096;
  const template = new Uint8Array(block * MBP1.RECORD_SIZE);
  const tv = new DataView(template.buffer);
  for (let k = 0; k < block; k++) {
    writeTrade(
      tv,
      k * MBP1.RECORD_SIZE,
      {
        instrumentId: (k % instrumentCount) + 1,
        tsEvent: 0n,
        price: 50_000_000_000n + BigInt(k) * 1_000_000n,
        size: 100,
        sequence: 0,
      },
      { bidPx: 49_990_000_000n, askPx: 50_010_000_000n, bidSz: 200, askSz: 300 },
    );
  }
  const t0lo = Number(FEED_T0 & 0xffff_ffffn);
  const t0hi = Number(FEED_T0 >> 32n);
  return {
    instruments,
    count,
    recordSize: MBP1.RECORD_SIZE,
    tsEvent: (i) => FEED_T0 + BigInt(i) * 1000n,
    instrumentId: (i) => ((i % block) % instrumentCount) + 1,
    remaps: [],
    write(i, view, off) {
      this.writeRun!(i, 1, view, off);
    },
    writeRun(from, n, view, off) {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      const size = MBP1.RECORD_SIZE;
      for (let done = 0; done < n; ) {
        const k = (from + done) % block;
        const take = Math.min(n - done, block - k);
        bytes.set(template.subarray(k * size, (k + take) * size), off + done * size);
        done += take;
      }
      let lo = t0lo + from * 1000;
      let hi = t0hi;
      while (lo >= 4294967296) {
        lo -= 4294967296;
        hi++;
      }
      for (let r = 0, o = off; r < n; r++, o += size) {
        view.setUint32(o + 8, lo, true);
        view.setUint32(o + 12, hi, true);
        view.setUint32(o + MBP1.TS_RECV, lo, true);
        view.setUint32(o + MBP1.TS_RECV + 4, hi, true);
        view.setUint32(o + MBP1.SEQUENCE, from + r, true);
        lo += 1000;
        if (lo >= 4294967296) {
          lo -= 4294967296;
          hi++;
        }
      }
    },
  };
}
