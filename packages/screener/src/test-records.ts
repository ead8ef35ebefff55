// Test helper: writes DBN records at the core/dbn-layout offsets into one buffer and returns a
// RecordBatch, the way a market-data source would hand it to the engine (no codec involved).
import { tradingDayInfo } from '@tradeassist/core/calendar';
import { HD, MBP1, OHLCV, type RecordBatch, RType, STATUS, TRADE } from '@tradeassist/core/dbn-layout';
import { decimalToFixed } from '@tradeassist/core/money';

/** UTC nanoseconds of a New York wall-clock time on a date (`HH:MM[:SS[.fff]]`). */
export function etNs(date: string, time: string): bigint {
  const [h = '0', m = '0', sec = '0'] = time.split(':');
  const midnight = tradingDayInfo(date).preOpen - 4 * 3600; // local midnight in UTC seconds
  const ms = Math.round((Number(h) * 3600 + Number(m) * 60 + Number(sec)) * 1000);
  return BigInt(midnight) * 1_000_000_000n + BigInt(ms) * 1_000_000n;
}

const UNDEF = 0x7fffffffffffffffn;
const px = (p: string | null) => (p === null ? UNDEF : decimalToFixed(p));

export class BatchBuilder {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private len = 0;
  private readonly offs: number[] = [];

  private rec(rtype: number, size: number, iid: number, ts: bigint): number {
    if (this.len + size > this.buf.length) {
      const b = new Uint8Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
      this.view = new DataView(b.buffer);
    }
    const o = this.len;
    this.buf.fill(0, o, o + size);
    this.view.setUint8(o + HD.LENGTH, size / 4);
    this.view.setUint8(o + HD.RTYPE, rtype);
    this.view.setUint16(o + HD.PUBLISHER_ID, 1, true);
    this.view.setUint32(o + HD.INSTRUMENT_ID, iid, true);
    this.view.setBigUint64(o + HD.TS_EVENT, ts, true);
    this.offs.push(o);
    this.len += size;
    return o;
  }

  trade(iid: number, ts: bigint, price: string, size: number, side = 'N'): this {
    const o = this.rec(RType.MBP_0, TRADE.RECORD_SIZE, iid, ts);
    this.view.setBigInt64(o + TRADE.PRICE, px(price), true);
    this.view.setUint32(o + TRADE.SIZE, size, true);
    this.view.setUint8(o + TRADE.ACTION, 'T'.charCodeAt(0));
    this.view.setUint8(o + TRADE.SIDE, side.charCodeAt(0));
    this.view.setBigUint64(o + TRADE.TS_RECV, ts, true);
    return this;
  }

  /** MBP-1 / TBBO style record (rtype 0x01 unless given): action 'T' is a trade. */
  mbp1(
    iid: number,
    ts: bigint,
    r: { action: string; price: string | null; size: number; bid: string | null; ask: string | null },
    rtype: number = RType.MBP_1,
  ): this {
    const o = this.rec(rtype, MBP1.RECORD_SIZE, iid, ts);
    this.view.setBigInt64(o + TRADE.PRICE, px(r.price), true);
    this.view.setUint32(o + TRADE.SIZE, r.size, true);
    this.view.setUint8(o + TRADE.ACTION, r.action.charCodeAt(0));
    this.view.setUint8(o + TRADE.SIDE, 'N'.charCodeAt(0));
    this.view.setBigInt64(o + MBP1.BID_PX, px(r.bid), true);
    this.view.setBigInt64(o + MBP1.ASK_PX, px(r.ask), true);
    this.view.setUint32(o + MBP1.BID_SZ, 100, true);
    this.view.setUint32(o + MBP1.ASK_SZ, 100, true);
    return this;
  }

  status(iid: number, ts: bigint, action: number, reason = 0): this {
    const o = this.rec(RType.STATUS, STATUS.RECORD_SIZE, iid, ts);
    this.view.setBigUint64(o + STATUS.TS_RECV, ts, true);
    this.view.setUint16(o + STATUS.ACTION, action, true);
    this.view.setUint16(o + STATUS.REASON, reason, true);
    this.view.setUint8(o + STATUS.IS_TRADING, (action === 7 ? 'Y' : 'N').charCodeAt(0));
    return this;
  }

  /** A daily bar for `date` (stamped at that date's UTC midnight, as Databento does). */
  ohlcv1d(iid: number, date: string, close: string, volume: number): this {
    const ts = BigInt(Date.parse(`${date}T00:00:00Z`) / 1000) * 1_000_000_000n;
    const o = this.rec(RType.OHLCV_1D, OHLCV.RECORD_SIZE, iid, ts);
    for (const f of [OHLCV.OPEN, OHLCV.HIGH, OHLCV.LOW, OHLCV.CLOSE])
      this.view.setBigInt64(o + f, px(close), true);
    this.view.setBigUint64(o + OHLCV.VOLUME, BigInt(volume), true);
    return this;
  }

  /** Any other record type, to check it is skipped. */
  other(rtype: number, iid: number, ts: bigint, size = 64): this {
    const o = this.rec(rtype, size, iid, ts);
    this.view.setUint32(o + 16, 0xdeadbeef, true);
    return this;
  }

  build(): RecordBatch {
    const bytes = this.buf.slice(0, this.len);
    return {
      bytes,
      view: new DataView(bytes.buffer),
      offsets: Int32Array.from(this.offs),
      count: this.offs.length,
      version: 2,
    };
  }
}
