import { type RecordBatch, RType } from '@tradeassist/core/dbn-layout';
import { describe, expect, it } from 'vitest';
import { pacedBatches } from './paced-batches.ts';
import { dueWallMs, newPaceState, nextSlice, parseSpeed, sliceBatch, speedFactor } from './pacing.ts';

/** Bare 16-byte headers (enough for pacing): [rtype, ts_event seconds]. */
function batchOf(recs: ReadonlyArray<readonly [number, number]>): RecordBatch {
  const bytes = new Uint8Array(recs.length * 16);
  const view = new DataView(bytes.buffer);
  const offsets = new Int32Array(recs.length);
  recs.forEach(([rtype, sec], k) => {
    const off = k * 16;
    offsets[k] = off;
    view.setUint8(off, 4);
    view.setUint8(off + 1, rtype);
    view.setBigUint64(off + 8, BigInt(Math.round(sec * 1e6)) * 1000n, true);
  });
  return { bytes, view, offsets, count: recs.length, version: 3 };
}

const T0 = 1_795_185_000; // 2026-11-20 14:30:00 UTC
const OPTS = { windowMs: 10, maxGapSec: 900 };

describe('parseSpeed', () => {
  it('accepts max, realtime and positive multiples', () => {
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('REALTIME')).toBe('realtime');
    expect(parseSpeed('10')).toBe(10);
    expect(parseSpeed('2.5x')).toBe(2.5);
    expect(speedFactor('realtime')).toBe(1);
    expect(speedFactor('max')).toBe(Number.POSITIVE_INFINITY);
  });
  it('rejects anything else with the input in the message', () => {
    for (const bad of ['0', '-1', 'fast', '', '1e3', 'x'])
      expect(() => parseSpeed(bad)).toThrow(/speed must be/);
  });
});

describe('nextSlice', () => {
  it('anchors on the first record and releases what is due within the window', () => {
    // Records at +0, +0.005, +0.5, +1.0 s; at 10x, +0.5 s of data is due 50 ms after the anchor.
    const b = batchOf([
      [RType.MBP_0, T0],
      [RType.MBP_0, T0 + 0.005],
      [RType.MBP_0, T0 + 0.5],
      [RType.MBP_0, T0 + 1],
    ]);
    const st = newPaceState();
    expect(nextSlice(b, 0, st, 1000, 10, OPTS)).toEqual({ end: 2, waitMs: 0 });
    expect(st.anchorWall).toBe(1000);
    const r = nextSlice(b, 2, st, 1000, 10, OPTS);
    expect(r.end).toBe(2);
    expect(r.waitMs).toBeCloseTo(50, 3);
    // 45 ms later the third record is within the 10 ms window; the fourth (due at +100 ms) is not.
    expect(nextSlice(b, 2, st, 1045, 10, OPTS)).toEqual({ end: 3, waitMs: 0 });
    expect(dueWallMs(st, T0 + 1, 10)).toBeCloseTo(1100, 3);
    expect(nextSlice(b, 3, st, 1100, 10, OPTS)).toEqual({ end: 4, waitMs: 0 });
  });

  it('releases everything at once at max speed', () => {
    const b = batchOf([
      [RType.MBP_0, T0],
      [RType.MBP_0, T0 + 3600],
    ]);
    expect(nextSlice(b, 0, newPaceState(), 0, Number.POSITIVE_INFINITY, OPTS)).toEqual({ end: 2, waitMs: 0 });
  });

  it('lets reference data through without moving the clock', () => {
    // Daily bars 20 days back and a mapping record don't anchor; the first trade does.
    const b = batchOf([
      [RType.SYMBOL_MAPPING, T0],
      [RType.OHLCV_1D, T0 - 20 * 86_400],
      [RType.MBP_0, T0 + 1],
      [RType.OHLCV_1D, T0 - 86_400],
      [RType.MBP_0, T0 + 2],
    ]);
    const st = newPaceState();
    expect(nextSlice(b, 0, st, 0, 1, OPTS)).toEqual({ end: 4, waitMs: 0 });
    expect(st.anchorData).toBeCloseTo(T0 + 1, 6);
    expect(nextSlice(b, 4, st, 0, 1, OPTS)).toEqual({ end: 4, waitMs: 1000 });
  });

  it('never waits for records older than the last one released', () => {
    const b = batchOf([
      [RType.MBP_0, T0 + 5],
      [RType.MBP_0, T0 + 1],
      [RType.STATUS, T0 + 5],
    ]);
    expect(nextSlice(b, 0, newPaceState(), 0, 1, OPTS)).toEqual({ end: 3, waitMs: 0 });
  });

  it('re-anchors across a gap longer than maxGapSec instead of sleeping through it', () => {
    const b = batchOf([
      [RType.MBP_0, T0],
      [RType.MBP_0, T0 + 17.5 * 3600], // the next morning
      [RType.MBP_0, T0 + 17.5 * 3600 + 2],
    ]);
    const st = newPaceState();
    expect(nextSlice(b, 0, st, 500, 1, OPTS)).toEqual({ end: 2, waitMs: 0 });
    expect(st.anchorWall).toBe(500);
    expect(nextSlice(b, 2, st, 500, 1, OPTS)).toEqual({ end: 2, waitMs: 2000 });
  });

  it('slices share the buffer', () => {
    const b = batchOf([
      [RType.MBP_0, T0],
      [RType.MBP_0, T0 + 1],
      [RType.MBP_0, T0 + 2],
    ]);
    const s = sliceBatch(b, 1, 3);
    expect(s.count).toBe(2);
    expect(Array.from(s.offsets)).toEqual([16, 32]);
    expect(s.bytes).toBe(b.bytes);
  });
});

describe('pacedBatches', () => {
  it('splits at pacing points, keeps symbols on the first slice, and stops on abort', async () => {
    // At 1000x, records 1 s apart in data are 1 ms apart on the (fake) wall clock.
    const b = batchOf([
      [RType.MBP_0, T0],
      [RType.MBP_0, T0 + 0.001],
      [RType.MBP_0, T0 + 1],
      [RType.MBP_0, T0 + 2],
    ]);
    const input = [{ records: b, symbols: [[7, 'ABC']] as const }];
    const seen: Array<{ count: number; symbols: number }> = [];
    let clock = -0.5;
    const now = () => (clock += 0.5); // each look at the clock is half a millisecond later
    for await (const x of pacedBatches(input, 1000, undefined, { windowMs: 0.1, now })) {
      seen.push({ count: x.records.count, symbols: x.symbols.length });
    }
    expect(seen).toEqual([
      { count: 2, symbols: 1 },
      { count: 1, symbols: 0 },
      { count: 1, symbols: 0 },
    ]);

    const ac = new AbortController();
    const got: number[] = [];
    const slow = [
      {
        records: batchOf([
          [RType.MBP_0, T0],
          [RType.MBP_0, T0 + 3600 * 0.2],
        ]),
        symbols: [],
      },
    ];
    for await (const x of pacedBatches(slow, 'realtime', ac.signal)) {
      got.push(x.records.count);
      ac.abort(); // the next record is 12 minutes away: the pacer must stop instead of sleeping
    }
    expect(got).toEqual([1]);
  });
});
