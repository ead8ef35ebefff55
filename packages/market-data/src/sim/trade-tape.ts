// Reads a DBN record stream back into per-instrument tapes (trades, status changes, daily bars): what
// the simulator's tests and integration checks use to confirm that the planted events are really in
// the data. Not for the hot path: it allocates per trade.
import {
  HD,
  MBP1,
  OHLCV,
  type RecordBatch,
  RType,
  readI64,
  readU64String,
  STATUS,
  TRADE,
} from '@tradeassist/core/dbn-layout';

export interface TapeTrade {
  /** UTC ns. */
  readonly ts: bigint;
  /** Raw 1e-9. */
  readonly price: number;
  readonly size: number;
}

export interface TapeStatus {
  readonly ts: bigint;
  readonly action: number;
  readonly reason: number;
  readonly isTrading: string;
}

export interface TapeBar {
  readonly ts: bigint;
  readonly close: number;
  readonly volume: number;
}

export interface Tape {
  readonly trades: Map<number, TapeTrade[]>;
  readonly statuses: Map<number, TapeStatus[]>;
  readonly bars: Map<number, TapeBar[]>;
  readonly records: number;
  readonly byRType: Map<number, number>;
}

const T = 0x54;

/** `only`: keep tapes of these instrument ids only (records and byRType still count everything). */
export function readTape(batches: Iterable<RecordBatch>, only?: ReadonlySet<number>): Tape {
  const trades = new Map<number, TapeTrade[]>();
  const statuses = new Map<number, TapeStatus[]>();
  const bars = new Map<number, TapeBar[]>();
  const byRType = new Map<number, number>();
  let records = 0;
  const push = <V>(m: Map<number, V[]>, k: number, v: V) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const b of batches) {
    const v = b.view;
    for (let k = 0; k < b.count; k++) {
      const off = b.offsets[k]!;
      const rtype = v.getUint8(off + HD.RTYPE);
      const iid = v.getUint32(off + HD.INSTRUMENT_ID, true);
      records++;
      byRType.set(rtype, (byRType.get(rtype) ?? 0) + 1);
      if (only && !only.has(iid)) continue;
      const ts = BigInt(readU64String(v, off + HD.TS_EVENT));
      if (rtype === RType.MBP_0 || (rtype === RType.MBP_1 && v.getUint8(off + MBP1.ACTION) === T)) {
        push(trades, iid, {
          ts,
          price: readI64(v, off + TRADE.PRICE),
          size: v.getUint32(off + TRADE.SIZE, true),
        });
      } else if (rtype === RType.STATUS) {
        push(statuses, iid, {
          ts,
          action: v.getUint16(off + STATUS.ACTION, true),
          reason: v.getUint16(off + STATUS.REASON, true),
          isTrading: String.fromCharCode(v.getUint8(off + STATUS.IS_TRADING)),
        });
      } else if (rtype === RType.OHLCV_1D) {
        push(bars, iid, { ts, close: readI64(v, off + OHLCV.CLOSE), volume: readI64(v, off + OHLCV.VOLUME) });
      }
    }
  }
  return { trades, statuses, bars, records, byRType };
}

/** Prior close and average volume from a name's daily bars (the last close; the mean volume). */
export function priorFromBars(bars: readonly TapeBar[]): { close: number; avgVolume: number } {
  const last = bars[bars.length - 1];
  if (!last) throw new Error('no daily bars');
  return { close: last.close, avgVolume: bars.reduce((s, b) => s + b.volume, 0) / bars.length };
}
