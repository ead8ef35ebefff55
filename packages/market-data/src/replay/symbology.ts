// Symbology of a DBN stream: instrument_id -> ticker pairs from the metadata `mappings` (by date
// interval) and from SymbolMappingMsg records in the stream.
import { type RecordBatch, RType } from '@tradeassist/core/dbn-layout';
import type { DbnMetadata } from '../dbn/metadata.ts';

export type SymbolPair = readonly [instrumentId: number, symbol: string];

/** Metadata mappings grouped by interval start date (YYYYMMDD), ascending. */
export interface MappingSchedule {
  readonly dates: readonly number[];
  readonly pairs: ReadonlyArray<readonly SymbolPair[]>;
}

/**
 * The metadata's raw symbol -> instrument_id intervals as (id, ticker) pairs by start date. Only a
 * file whose output symbology is instrument ids names them; otherwise the schedule is empty and the
 * stream's SymbolMappingMsg records (if any) must do.
 */
export function mappingSchedule(meta: DbnMetadata): MappingSchedule {
  const byDate = new Map<number, SymbolPair[]>();
  if (meta.stypeOut !== 'instrument_id') return { dates: [], pairs: [] };
  for (const m of meta.mappings) {
    for (const iv of m.intervals) {
      if (!/^\d+$/.test(iv.symbol)) continue;
      const id = Number(iv.symbol);
      if (!Number.isSafeInteger(id) || id > 0xffffffff) continue;
      const list = byDate.get(iv.startDate);
      if (list) list.push([id, m.rawSymbol]);
      else byDate.set(iv.startDate, [[id, m.rawSymbol]]);
    }
  }
  const dates = [...byDate.keys()].sort((a, b) => a - b);
  return { dates, pairs: dates.map((d) => byDate.get(d)!) };
}

/** The UTC date (YYYYMMDD) of a record's ts_event. */
export function utcDateOf(view: DataView, off: number): number {
  const sec = view.getUint32(off + 12, true) * 4.294967296 + view.getUint32(off + 8, true) * 1e-9;
  const d = new Date(Math.floor(sec / 86_400) * 86_400_000);
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

const utf8 = new TextDecoder('utf-8');

function cstr(bytes: Uint8Array, off: number, len: number): string {
  let end = off;
  const max = off + len;
  while (end < max && bytes[end] !== 0) end++;
  return utf8.decode(bytes.subarray(off, end));
}

/** (id, ticker) pairs from the SymbolMappingMsg records of a batch (v1: 22-byte, v2/v3: 71-byte symbols). */
export function mappingRecordPairs(batch: RecordBatch): SymbolPair[] {
  const out: SymbolPair[] = [];
  const { view, bytes, offsets } = batch;
  const v1 = batch.version === 1;
  // Symbol field offsets relative to the record: v1 in 16 (22) / out 38 (22); v2+ in 17 (71) / out 89 (71).
  const inOff = v1 ? 16 : 17;
  const outOff = v1 ? 38 : 89;
  const len = v1 ? 22 : 71;
  for (let k = 0; k < batch.count; k++) {
    const off = offsets[k]!;
    if (view.getUint8(off + 1) !== RType.SYMBOL_MAPPING) continue;
    const id = view.getUint32(off + 4, true);
    const sym = cstr(bytes, off + outOff, len) || cstr(bytes, off + inOff, len);
    if (sym) out.push([id, sym]);
  }
  return out;
}
