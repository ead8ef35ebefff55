// Writes DBN v2/v3 records straight into one reusable buffer at the core/dbn-layout offsets: no
// object per record, no BigInt. Timestamps are passed as nanoseconds after a fixed base (exact
// integers in a double for any span under 104 days) and written as u64 hi/lo words.

import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { HD, MBP1, OHLCV, RType, STATUS, TRADE } from '@tradeassist/core/dbn-layout';

const TWO_32 = 4294967296;
/** SymbolMappingMsg in DBN v2/v3 (176 bytes, 71-byte symbols). */
export const SYMBOL_MAPPING_V2 = {
  STYPE_IN: 16,
  STYPE_IN_SYMBOL: 17,
  STYPE_OUT: 88,
  STYPE_OUT_SYMBOL: 89,
  START_TS: 160,
  END_TS: 168,
  RECORD_SIZE: 176,
  SYMBOL_CSTR_LEN: 71,
} as const;
/** Room kept free for one event's records (up to three MBP-1 records) or one symbol mapping. */
export const EVENT_ROOM = 512;

export const C_TRADE = 0x54; // 'T'
export const C_ADD = 0x41; // 'A' (also side Ask)
export const C_CANCEL = 0x43; // 'C'
export const C_BID = 0x42; // 'B'
export const C_NONE = 0x4e; // 'N'
export const C_YES = 0x59; // 'Y'
export const C_TILDE = 0x7e; // '~'
/** Flag: last record of an event for its instrument. */
export const F_LAST = 0x80;

export class RecordSink {
  readonly buf: Uint8Array;
  readonly view: DataView;
  readonly offsets: Int32Array;
  private readonly w: Uint32Array;
  pos = 0;
  count = 0;
  private readonly baseHi: number;
  private readonly baseLo: number;
  private readonly enc = new TextEncoder();

  /** `baseNs`: the UTC nanosecond time that offset 0 stands for. */
  constructor(
    capacityBytes: number,
    baseNs: bigint,
    readonly version: 2 | 3 = 3,
  ) {
    this.buf = new Uint8Array(capacityBytes);
    this.view = new DataView(this.buf.buffer);
    this.w = new Uint32Array(this.buf.buffer);
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
      throw new Error('RecordSink needs a little-endian host');
    if (capacityBytes % 8 !== 0)
      throw new RangeError(`capacity must be a multiple of 8, got ${capacityBytes}`);
    this.offsets = new Int32Array(Math.ceil(capacityBytes / 40) + 1);
    this.baseHi = Number(baseNs >> 32n);
    this.baseLo = Number(baseNs & 0xffffffffn);
  }

  /** True when one more event's records may not fit. */
  get full(): boolean {
    return this.pos + EVENT_ROOM > this.buf.length;
  }

  /** The records written since the last reset (valid until the next reset). */
  batch(): RecordBatch {
    return {
      bytes: this.buf.subarray(0, this.pos),
      view: this.view,
      offsets: this.offsets.subarray(0, this.count),
      count: this.count,
      version: this.version,
    };
  }

  reset(): void {
    this.pos = 0;
    this.count = 0;
  }

  /** Writes base + offNs (offNs: a non-negative integer below 2^53) as a u64. */
  ts(at: number, offNs: number): void {
    // offNs < 2^53, so the quotient fits 21 bits and `>>> 0` truncates like floor.
    const hiPart = (offNs / TWO_32) >>> 0;
    let lo = this.baseLo + (offNs - hiPart * TWO_32);
    let hi = this.baseHi + hiPart;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi += 1;
    }
    this.view.setUint32(at, lo, true);
    this.view.setUint32(at + 4, hi, true);
  }

  private header(
    size: number,
    rtype: number,
    publisher: number,
    instrument: number,
    tsEventOff: number,
  ): number {
    const p = this.pos;
    const v = this.view;
    this.offsets[this.count++] = p;
    v.setUint8(p + HD.LENGTH, size >> 2);
    v.setUint8(p + HD.RTYPE, rtype);
    v.setUint16(p + HD.PUBLISHER_ID, publisher, true);
    v.setUint32(p + HD.INSTRUMENT_ID, instrument, true);
    this.ts(p + HD.TS_EVENT, tsEventOff);
    this.pos = p + size;
    return p;
  }

  private setI64(at: number, raw: number): void {
    // raw is a non-negative integer < 2^53 (prices, volumes).
    const hi = (raw / TWO_32) >>> 0;
    this.view.setUint32(at, raw - hi * TWO_32, true);
    this.view.setUint32(at + 4, hi, true);
  }

  /** Writes base + offNs as a u64 at word index q (the u32 fast path of ts()). */
  private tsw(q: number, offNs: number): void {
    const hiPart = (offNs / TWO_32) >>> 0;
    let lo = this.baseLo + (offNs - hiPart * TWO_32);
    let hi = this.baseHi + hiPart;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi += 1;
    }
    this.w[q] = lo;
    this.w[q + 1] = hi;
  }

  /** Header words of a market record; returns its word index. */
  private head32(
    size: number,
    rtype: number,
    publisher: number,
    instrument: number,
    tsEventOff: number,
  ): number {
    const p = this.pos;
    const q = p >> 2;
    this.offsets[this.count++] = p;
    this.w[q] = (size >> 2) | (rtype << 8) | (publisher << 16);
    this.w[q + 1] = instrument;
    this.tsw(q + 2, tsEventOff);
    this.pos = p + size;
    return q;
  }

  private i64w(q: number, raw: number): void {
    const hi = (raw / TWO_32) >>> 0;
    this.w[q] = raw - hi * TWO_32;
    this.w[q + 1] = hi;
  }

  // TradeMsg and Mbp1Msg are written as u32 words (records are 8-byte aligned in this buffer and the
  // host is little-endian, checked in the constructor): the hot path of the simulator.

  /** TradeMsg (rtype 0x00, 48 bytes). */
  trade(
    publisher: number,
    instrument: number,
    tsEventOff: number,
    tsRecvOff: number,
    price: number,
    size: number,
    side: number,
    sequence: number,
    tsInDelta: number,
  ): void {
    const q = this.head32(TRADE.RECORD_SIZE, RType.MBP_0, publisher, instrument, tsEventOff);
    const w = this.w;
    this.i64w(q + 4, price); // TRADE.PRICE = 16
    w[q + 6] = size; // TRADE.SIZE = 24
    w[q + 7] = C_TRADE | (side << 8) | (F_LAST << 16); // action, side, flags, depth 0
    this.tsw(q + 8, tsRecvOff); // TRADE.TS_RECV = 32
    w[q + 10] = tsInDelta; // TRADE.TS_IN_DELTA = 40
    w[q + 11] = sequence; // TRADE.SEQUENCE = 44
  }

  /** Mbp1Msg (rtype 0x01, 80 bytes): a trade (action 'T') or a top-of-book update. */
  mbp1(
    publisher: number,
    instrument: number,
    tsEventOff: number,
    tsRecvOff: number,
    action: number,
    side: number,
    price: number,
    size: number,
    sequence: number,
    tsInDelta: number,
    bidPx: number,
    askPx: number,
    bidSz: number,
    askSz: number,
    bidCt: number,
    askCt: number,
  ): void {
    const q = this.head32(MBP1.RECORD_SIZE, RType.MBP_1, publisher, instrument, tsEventOff);
    const w = this.w;
    this.i64w(q + 4, price);
    w[q + 6] = size;
    w[q + 7] = action | (side << 8) | (F_LAST << 16);
    this.tsw(q + 8, tsRecvOff);
    w[q + 10] = tsInDelta;
    w[q + 11] = sequence;
    this.i64w(q + 12, bidPx); // MBP1.BID_PX = 48
    this.i64w(q + 14, askPx); // MBP1.ASK_PX = 56
    w[q + 16] = bidSz; // 64
    w[q + 17] = askSz; // 68
    w[q + 18] = bidCt; // 72
    w[q + 19] = askCt; // 76
  }

  /** OhlcvMsg (rtype `rtype`, 56 bytes). */
  ohlcv(
    rtype: number,
    publisher: number,
    instrument: number,
    tsEventOff: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): void {
    const p = this.header(OHLCV.RECORD_SIZE, rtype, publisher, instrument, tsEventOff);
    this.setI64(p + OHLCV.OPEN, open);
    this.setI64(p + OHLCV.HIGH, high);
    this.setI64(p + OHLCV.LOW, low);
    this.setI64(p + OHLCV.CLOSE, close);
    this.setI64(p + OHLCV.VOLUME, volume);
  }

  /** StatusMsg (rtype 0x12, 40 bytes). `isTrading`/`isQuoting`: 'Y', 'N' or '~' as char codes. */
  status(
    publisher: number,
    instrument: number,
    tsEventOff: number,
    tsRecvOff: number,
    action: number,
    reason: number,
    tradingEvent: number,
    isTrading: number,
    isQuoting: number,
  ): void {
    const p = this.header(STATUS.RECORD_SIZE, RType.STATUS, publisher, instrument, tsEventOff);
    const v = this.view;
    this.ts(p + STATUS.TS_RECV, tsRecvOff);
    v.setUint16(p + STATUS.ACTION, action, true);
    v.setUint16(p + STATUS.REASON, reason, true);
    v.setUint16(p + STATUS.TRADING_EVENT, tradingEvent, true);
    v.setUint8(p + STATUS.IS_TRADING, isTrading);
    v.setUint8(p + STATUS.IS_QUOTING, isQuoting);
    v.setUint8(p + STATUS.IS_SHORT_SELL_RESTRICTED, C_TILDE);
    for (let k = STATUS.IS_SHORT_SELL_RESTRICTED + 1; k < STATUS.RECORD_SIZE; k++) v.setUint8(p + k, 0);
  }

  /** SymbolMappingMsg v2/v3 (rtype 0x16, 176 bytes): raw symbol in, raw symbol out, valid [start, end). */
  symbolMapping(
    publisher: number,
    instrument: number,
    tsEventOff: number,
    symbol: string,
    startOff: number,
    endOff: number,
  ): void {
    const L = SYMBOL_MAPPING_V2;
    const p = this.header(L.RECORD_SIZE, RType.SYMBOL_MAPPING, publisher, instrument, tsEventOff);
    this.buf.fill(0, p + 16, p + L.RECORD_SIZE);
    const b = this.enc.encode(symbol);
    if (b.length >= L.SYMBOL_CSTR_LEN) throw new RangeError(`symbol too long: ${symbol}`);
    this.view.setUint8(p + L.STYPE_IN, 1); // raw_symbol
    this.buf.set(b, p + L.STYPE_IN_SYMBOL);
    this.view.setUint8(p + L.STYPE_OUT, 0); // instrument_id
    this.buf.set(b, p + L.STYPE_OUT_SYMBOL);
    this.ts(p + L.START_TS, startOff);
    this.ts(p + L.END_TS, endOff);
  }
}
