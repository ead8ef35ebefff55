import { describe, expect, it } from 'vitest';
import { ReplayDedup } from './replay-dedup.ts';

/** 48-byte trade-sized records: ts_event (µs, low half only) and a distinguishing byte. */
function records(specs: Array<[tsMicros: number, tag: number]>) {
  const bytes = new Uint8Array(specs.length * 48);
  const view = new DataView(bytes.buffer);
  const offsets = new Int32Array(specs.length);
  specs.forEach(([ts, tag], i) => {
    const off = i * 48;
    offsets[i] = off;
    view.setUint8(off, 12);
    view.setUint32(off + 8, ts * 1000, true);
    view.setUint32(off + 12, 7, true); // hi half: same epoch for all
    view.setUint8(off + 20, tag);
  });
  return { bytes, view, offsets, count: specs.length };
}

function deliver(d: ReplayDedup, specs: Array<[number, number]>) {
  const r = records(specs);
  d.afterBatch(r.bytes, r.view, r.offsets, r.count);
}

function replay(d: ReplayDedup, specs: Array<[number, number]>): number[] {
  const r = records(specs);
  const kept: number[] = [];
  for (let i = 0; i < r.count; i++) {
    if (!d.replaying || !d.isDuplicate(r.bytes, r.view, r.offsets[i]!))
      kept.push(r.bytes[r.offsets[i]! + 20]!);
  }
  return kept;
}

describe('ReplayDedup', () => {
  it('drops older records and the boundary records already delivered, across batches', () => {
    const d = new ReplayDedup();
    deliver(d, [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    deliver(d, [[3, 4]]); // a second record at the boundary time, in a later batch
    // boundary = 7·2^32 + 3,000 ns
    expect(d.boundaryNs()).toBe((7n * 2n ** 32n + 3000n).toString());
    d.beginReplay();
    // The replay from ts 3 µs sends 3/3, 3/4 again, then 3/5 (new at the boundary) and 4/6.
    expect(
      replay(d, [
        [2, 2],
        [3, 3],
        [3, 4],
        [3, 5],
        [4, 6],
        [5, 7],
      ]),
    ).toEqual([5, 6, 7]);
    expect(d.dropped).toBe(3);
    expect(d.replaying).toBe(false);
  });

  it('does nothing before any record was delivered', () => {
    const d = new ReplayDedup();
    d.beginReplay();
    expect(d.replaying).toBe(false);
    expect(d.hasBoundary).toBe(false);
  });
});
