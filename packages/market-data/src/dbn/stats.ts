// Whole-stream summary for `dbn --stats` (CONTRACTS.md): record count per rtype, the largest
// `price` field (raw 1e-9 fixed point, UNDEF_PRICE ignored) and the sum of `size` fields, over
// the records that have a field of that name. Reads batches in place; no allocation per record.
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { layoutFor } from './layouts.ts';

export interface DbnStats {
  records: number;
  by_rtype: Record<string, number>;
  /** null when no record has a price field (other than UNDEF_PRICE). */
  max_price: string | null;
  sum_size: string;
}

export class StatsAccumulator {
  #records = 0;
  #byRtype = new Float64Array(256);
  #hasMax = false;
  #maxHi = 0;
  #maxLo = 0;
  /** size sum: a float64 part kept under 2^53, flushed into a BigInt. */
  #sizeSmall = 0;
  #sizeBig = 0n;
  /** Per version: offset of `price` / `size` per rtype, -1 when absent. */
  #offsets = new Map<number, { price: Int16Array; size: Int16Array }>();

  #tables(version: number) {
    let t = this.#offsets.get(version);
    if (!t) {
      const price = new Int16Array(256).fill(-1);
      const size = new Int16Array(256).fill(-1);
      for (let rt = 0; rt < 256; rt++) {
        const l = layoutFor(version, rt);
        const p = l?.byName.price;
        const s = l?.byName.size;
        if (p && p.kind === 'i64') price[rt] = p.offset;
        if (s && s.kind === 'u32') size[rt] = s.offset;
      }
      t = { price, size };
      this.#offsets.set(version, t);
    }
    return t;
  }

  add(batch: RecordBatch): void {
    const { view, bytes, offsets, count } = batch;
    const { price, size } = this.#tables(batch.version);
    const byRtype = this.#byRtype;
    let hasMax = this.#hasMax;
    let maxHi = this.#maxHi;
    let maxLo = this.#maxLo;
    let small = this.#sizeSmall;
    for (let i = 0; i < count; i++) {
      const off = offsets[i]!;
      const rt = bytes[off + 1]!;
      byRtype[rt]! += 1;
      const po = price[rt]!;
      if (po >= 0) {
        const hi = view.getInt32(off + po + 4, true);
        const lo = view.getUint32(off + po, true);
        const undef = hi === 0x7fffffff && lo === 0xffffffff;
        if (!undef && (!hasMax || hi > maxHi || (hi === maxHi && lo > maxLo))) {
          hasMax = true;
          maxHi = hi;
          maxLo = lo;
        }
      }
      const so = size[rt]!;
      if (so >= 0) {
        small += view.getUint32(off + so, true);
        if (small > 4e15) {
          this.#sizeBig += BigInt(small);
          small = 0;
        }
      }
    }
    this.#records += count;
    this.#hasMax = hasMax;
    this.#maxHi = maxHi;
    this.#maxLo = maxLo;
    this.#sizeSmall = small;
  }

  result(): DbnStats {
    const by: Record<string, number> = {};
    for (let rt = 0; rt < 256; rt++) if (this.#byRtype[rt]! > 0) by[String(rt)] = this.#byRtype[rt]!;
    return {
      records: this.#records,
      by_rtype: by,
      max_price: this.#hasMax ? ((BigInt(this.#maxHi) << 32n) + BigInt(this.#maxLo)).toString() : null,
      sum_size: (this.#sizeBig + BigInt(this.#sizeSmall)).toString(),
    };
  }
}
