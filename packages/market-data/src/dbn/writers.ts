// Fast record writers (for the simulator and benchmarks): each writes one complete record at
// `off` through a DataView, zeroing its reserved bytes, and returns the bytes written. No BigInt
// needed: prices are fixed-point integers (1e-9) held in JS numbers (exact below 2^53, i.e. under
// $9M), timestamps are NsTime. Records written here decode byte-identically with DbnDecoder and
// the official decoder (writers.test.ts checks both).
import { RType } from '@tradeassist/core/dbn-layout';
import {
  MBP1_MSG,
  OHLCV_MSG,
  STATUS_MSG,
  SYMBOL_MAPPING_MSG_V1,
  SYMBOL_MAPPING_MSG_V2,
  TRADE_MSG,
} from './layouts.ts';

/** A UTC-nanosecond timestamp: a bigint, or its high and low 32-bit halves. */
export type NsTime = bigint | { readonly hi: number; readonly lo: number };

const TWO_32 = 4294967296;
const TWO_16 = 65536;

/** seconds since the epoch + nanoseconds -> exact NsTime halves, without BigInt. */
export function nsTime(seconds: number, nanos = 0): { hi: number; lo: number } {
  // seconds * 1e9 can pass 2^53, so multiply in two 16-bit-split halves.
  const sHi = Math.floor(seconds / TWO_16);
  const sLo = seconds - sHi * TWO_16;
  const a = sHi * 1e9; // contributes a * 2^16
  const aHi = Math.floor(a / TWO_16);
  const aLo = (a - aHi * TWO_16) * TWO_16;
  const b = sLo * 1e9 + nanos;
  const bHi = Math.floor(b / TWO_32);
  const bLo = b - bHi * TWO_32;
  let lo = aLo + bLo;
  let hi = aHi + bHi;
  if (lo >= TWO_32) {
    lo -= TWO_32;
    hi += 1;
  }
  return { hi, lo };
}

/** NsTime -> bigint (for the edges). */
export function nsToBigInt(t: NsTime): bigint {
  return typeof t === 'bigint' ? t : (BigInt(t.hi) << 32n) | BigInt(t.lo);
}

export function setNs(view: DataView, off: number, t: NsTime): void {
  if (typeof t === 'bigint') {
    view.setBigUint64(off, t, true);
  } else {
    view.setUint32(off, t.lo, true);
    view.setUint32(off + 4, t.hi, true);
  }
}

/** Writes an i64 held in a JS number (exact for |v| < 2^53). */
export function setI64(view: DataView, off: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  view.setUint32(off, v - hi * TWO_32, true);
  view.setInt32(off + 4, hi, true);
}

/** Writes a u64 held in a JS number (exact below 2^53). */
export function setU64(view: DataView, off: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  view.setUint32(off, v - hi * TWO_32, true);
  view.setUint32(off + 4, hi, true);
}

function header(
  view: DataView,
  off: number,
  size: number,
  rtype: number,
  publisherId: number,
  instrumentId: number,
  tsEvent: NsTime,
): void {
  view.setUint8(off, size / 4);
  view.setUint8(off + 1, rtype);
  view.setUint16(off + 2, publisherId, true);
  view.setUint32(off + 4, instrumentId, true);
  setNs(view, off + 8, tsEvent);
}

function charCode(c: string): number {
  return c.length === 0 ? 0 : c.charCodeAt(0);
}

/**
 * TradeMsg (rtype 0x00, schema `trades`). `side` is the aggressor: 'A' sell, 'B' buy, 'N' none.
 * Returns 48.
 */
export function writeTrade(
  view: DataView,
  off: number,
  instrumentId: number,
  tsEvent: NsTime,
  price: number,
  size: number,
  side: 'A' | 'B' | 'N',
  tsRecv: NsTime = tsEvent,
  flags = 0,
  sequence = 0,
  publisherId = 0,
  tsInDelta = 0,
): number {
  const n = TRADE_MSG.size;
  header(view, off, n, RType.MBP_0, publisherId, instrumentId, tsEvent);
  setI64(view, off + 16, price);
  view.setUint32(off + 24, size, true);
  view.setUint8(off + 28, 0x54); // 'T'
  view.setUint8(off + 29, charCode(side));
  view.setUint8(off + 30, flags);
  view.setUint8(off + 31, 0); // depth
  setNs(view, off + 32, tsRecv);
  view.setInt32(off + 40, tsInDelta, true);
  view.setUint32(off + 44, sequence, true);
  return n;
}

/**
 * Mbp1Msg (rtype 0x01; schemas `mbp-1` and `tbbo`): an event (`action` 'T' trade, 'A' add,
 * 'C' cancel, 'M' modify, 'F' fill, 'R' clear) plus the book's top level after it (before it, for
 * a trade in TBBO). Returns 80.
 */
export function writeMbp1(
  view: DataView,
  off: number,
  instrumentId: number,
  tsEvent: NsTime,
  action: 'T' | 'A' | 'C' | 'M' | 'F' | 'R' | 'N',
  side: 'A' | 'B' | 'N',
  price: number,
  size: number,
  bidPx: number,
  askPx: number,
  bidSz: number,
  askSz: number,
  bidCt = 1,
  askCt = 1,
  tsRecv: NsTime = tsEvent,
  flags = 0,
  sequence = 0,
  publisherId = 0,
  tsInDelta = 0,
): number {
  const n = MBP1_MSG.size;
  header(view, off, n, RType.MBP_1, publisherId, instrumentId, tsEvent);
  setI64(view, off + 16, price);
  view.setUint32(off + 24, size, true);
  view.setUint8(off + 28, charCode(action));
  view.setUint8(off + 29, charCode(side));
  view.setUint8(off + 30, flags);
  view.setUint8(off + 31, 0); // depth
  setNs(view, off + 32, tsRecv);
  view.setInt32(off + 40, tsInDelta, true);
  view.setUint32(off + 44, sequence, true);
  setI64(view, off + 48, bidPx);
  setI64(view, off + 56, askPx);
  view.setUint32(off + 64, bidSz, true);
  view.setUint32(off + 68, askSz, true);
  view.setUint32(off + 72, bidCt, true);
  view.setUint32(off + 76, askCt, true);
  return n;
}

/** OhlcvMsg: `rtype` one of RType.OHLCV_1S/1M/1H/1D/EOD; `volume` exact below 2^53. Returns 56. */
export function writeOhlcv(
  view: DataView,
  off: number,
  rtype: number,
  instrumentId: number,
  tsEvent: NsTime,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  publisherId = 0,
): number {
  const n = OHLCV_MSG.size;
  header(view, off, n, rtype, publisherId, instrumentId, tsEvent);
  setI64(view, off + 16, open);
  setI64(view, off + 24, high);
  setI64(view, off + 32, low);
  setI64(view, off + 40, close);
  setU64(view, off + 48, volume);
  return n;
}

/**
 * StatusMsg (rtype 0x12): trading status (`action`, see StatusAction in core; e.g. 8 halt,
 * 7 trading). Tri-state flags are 'Y', 'N' or '~' (not available). Returns 40.
 */
export function writeStatus(
  view: DataView,
  off: number,
  instrumentId: number,
  tsEvent: NsTime,
  action: number,
  reason = 0,
  tradingEvent = 0,
  isTrading: 'Y' | 'N' | '~' = '~',
  isQuoting: 'Y' | 'N' | '~' = '~',
  isShortSellRestricted: 'Y' | 'N' | '~' = '~',
  tsRecv: NsTime = tsEvent,
  publisherId = 0,
): number {
  const n = STATUS_MSG.size;
  header(view, off, n, RType.STATUS, publisherId, instrumentId, tsEvent);
  setNs(view, off + 16, tsRecv);
  view.setUint16(off + 24, action, true);
  view.setUint16(off + 26, reason, true);
  view.setUint16(off + 28, tradingEvent, true);
  view.setUint8(off + 30, charCode(isTrading));
  view.setUint8(off + 31, charCode(isQuoting));
  view.setUint8(off + 32, charCode(isShortSellRestricted));
  for (let i = 33; i < n; i++) view.setUint8(off + i, 0);
  return n;
}

function putCStr(view: DataView, off: number, len: number, s: string): void {
  if (s.length > len - 1) throw new RangeError(`symbol '${s}' is longer than ${len - 1} characters`);
  for (let i = 0; i < len; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0;
    if (c > 0x7f) throw new RangeError(`symbol '${s}' is not ASCII`);
    view.setUint8(off + i, c);
  }
}

/**
 * SymbolMappingMsg (rtype 0x16): `instrumentId` is known as `stypeOutSymbol` (usually the ticker)
 * from `startTs` to `endTs`. Layout differs by version: 80 bytes in v1, 176 after. Returns its size.
 */
export function writeSymbolMapping(
  view: DataView,
  off: number,
  version: 1 | 2 | 3,
  instrumentId: number,
  tsEvent: NsTime,
  stypeInSymbol: string,
  stypeOutSymbol: string,
  startTs: NsTime,
  endTs: NsTime,
  stypeIn = 1, // raw_symbol
  stypeOut = 1, // raw_symbol: live gateways map instrument ids to tickers
  publisherId = 0,
): number {
  if (version === 1) {
    const n = SYMBOL_MAPPING_MSG_V1.size;
    header(view, off, n, RType.SYMBOL_MAPPING, publisherId, instrumentId, tsEvent);
    putCStr(view, off + 16, 22, stypeInSymbol);
    putCStr(view, off + 38, 22, stypeOutSymbol);
    view.setUint32(off + 60, 0, true);
    setNs(view, off + 64, startTs);
    setNs(view, off + 72, endTs);
    return n;
  }
  const n = SYMBOL_MAPPING_MSG_V2.size;
  header(view, off, n, RType.SYMBOL_MAPPING, publisherId, instrumentId, tsEvent);
  view.setUint8(off + 16, stypeIn);
  putCStr(view, off + 17, 71, stypeInSymbol);
  view.setUint8(off + 88, stypeOut);
  putCStr(view, off + 89, 71, stypeOutSymbol);
  setNs(view, off + 160, startTs);
  setNs(view, off + 168, endTs);
  return n;
}

/**
 * Appends the gateway send time after a record written at `off` of `recordLen` bytes and updates
 * its length byte (for streams whose metadata says ts_out). Returns the new record length.
 */
export function appendTsOut(view: DataView, off: number, recordLen: number, tsOut: NsTime): number {
  setNs(view, off + recordLen, tsOut);
  const n = recordLen + 8;
  view.setUint8(off, n / 4);
  return n;
}
