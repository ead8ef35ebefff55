// The DBN wire vocabulary shared by the codec (packages/market-data) and the screener engine
// (packages/screener), which reads decoded batches in place with a DataView: no object per record.
// Offsets are bytes from the start of a record (its 16-byte header). Layouts below are the same in
// DBN versions 1-3 for the records listed; version-specific records live in the codec.

/** Record types (`rtype`), as in the official `dbn` crate. */
export const RType = {
  MBP_0: 0x00, // trades
  MBP_1: 0x01, // also TBBO
  MBP_10: 0x0a,
  OHLCV_DEPRECATED: 0x11,
  STATUS: 0x12,
  INSTRUMENT_DEF: 0x13,
  IMBALANCE: 0x14,
  ERROR: 0x15,
  SYMBOL_MAPPING: 0x16,
  SYSTEM: 0x17,
  STATISTICS: 0x18,
  OHLCV_1S: 0x20,
  OHLCV_1M: 0x21,
  OHLCV_1H: 0x22,
  OHLCV_1D: 0x23,
  OHLCV_EOD: 0x24,
  MBO: 0xa0,
  CMBP_1: 0xb1,
  CBBO_1S: 0xc0,
  CBBO_1M: 0xc1,
  TCBBO: 0xc2,
  BBO_1S: 0xc3,
  BBO_1M: 0xc4,
} as const;

/** i64::MAX: "no price". */
export const UNDEF_PRICE_HI = 0x7fffffff;
export const UNDEF_PRICE_LO = 0xffffffff;

/** Common record header. `length` is in 4-byte units. */
export const HD = { LENGTH: 0, RTYPE: 1, PUBLISHER_ID: 2, INSTRUMENT_ID: 4, TS_EVENT: 8, SIZE: 16 } as const;

/**
 * TradeMsg (rtype 0x00) and the first 48 bytes of MBP-1/TBBO (0x01) and MBP-10 (0x0a). CMBP-1/TCBBO
 * (0xb1, 0xc2), BBO (0xc3, 0xc4) and CBBO (0xc0, 0xc1) share PRICE, SIZE, SIDE, FLAGS and TS_RECV
 * only: they have no DEPTH; BBO and CBBO have no ACTION or TS_IN_DELTA; CMBP-1 and CBBO have no
 * SEQUENCE (see CONSOLIDATED below). Checked against the official layouts by the codec's tests.
 */
export const TRADE = {
  PRICE: 16, // i64, 1e-9
  SIZE: 24, // u32
  ACTION: 28, // c_char: 'T' trade, 'A' add, 'C' cancel, 'M' modify, 'R' clear, 'F' fill
  SIDE: 29, // c_char: 'A' ask (sell aggressor), 'B' bid (buy aggressor), 'N' none
  FLAGS: 30, // u8
  DEPTH: 31, // u8
  TS_RECV: 32, // u64
  TS_IN_DELTA: 40, // i32
  SEQUENCE: 44, // u32
  RECORD_SIZE: 48,
} as const;

/** MBP-1 / TBBO: TRADE fields plus one BidAskPair. */
export const MBP1 = {
  ...TRADE,
  BID_PX: 48, // i64
  ASK_PX: 56, // i64
  BID_SZ: 64, // u32
  ASK_SZ: 68, // u32
  BID_CT: 72, // u32
  ASK_CT: 76, // u32
  RECORD_SIZE: 80,
} as const;

/**
 * The top level of CMBP-1/TCBBO and CBBO-1s/1m records: like MBP1's, but the counts are replaced
 * by the publisher (u16) of the best bid and ask.
 */
export const CONSOLIDATED = {
  BID_PX: 48, // i64
  ASK_PX: 56, // i64
  BID_SZ: 64, // u32
  ASK_SZ: 68, // u32
  BID_PB: 72, // u16 publisher id
  ASK_PB: 76, // u16 publisher id
  RECORD_SIZE: 80,
} as const;

/** OHLCV-* (0x20-0x24, and the deprecated 0x11). */
export const OHLCV = { OPEN: 16, HIGH: 24, LOW: 32, CLOSE: 40, VOLUME: 48, RECORD_SIZE: 56 } as const;

/** StatusMsg (0x12). */
export const STATUS = {
  TS_RECV: 16, // u64
  ACTION: 24, // u16 (StatusAction)
  REASON: 26, // u16 (StatusReason)
  TRADING_EVENT: 28, // u16
  IS_TRADING: 30, // c_char 'Y' / 'N' / '~'
  IS_QUOTING: 31,
  IS_SHORT_SELL_RESTRICTED: 32,
  RECORD_SIZE: 40,
} as const;

/** StatusAction values used by the screener. */
export const StatusAction = {
  NONE: 0,
  PRE_OPEN: 1,
  PRE_CROSS: 2,
  QUOTING: 3,
  CROSS: 4,
  ROTATION: 5,
  NEW_PRICE_INDICATION: 6,
  TRADING: 7,
  HALT: 8,
  PAUSE: 9,
  SUSPEND: 10,
  PRE_CLOSE: 11,
  CLOSE: 12,
  POST_CLOSE: 13,
  SSR_CHANGE: 14,
  NOT_AVAILABLE_FOR_TRADING: 15,
} as const;

/**
 * Complete records, decoded in place. `offsets[i]` is the byte offset in `bytes`/`view` of record
 * i's header. Valid until the producer's next batch (producers may reuse the buffers).
 */
export interface RecordBatch {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly offsets: Int32Array;
  readonly count: number;
  /** DBN version of the records (1, 2 or 3). */
  readonly version: number;
}

/** Reads an i64 as a JS number: exact for |v| < 2^53 (prices under $9M at 1e-9). No BigInt. */
export function readI64(view: DataView, off: number): number {
  return view.getInt32(off + 4, true) * 4294967296 + view.getUint32(off, true);
}

/** Reads a u64 (e.g. a nanosecond timestamp) as seconds since the epoch, to ~0.25 µs. */
export function readTsSeconds(view: DataView, off: number): number {
  return view.getUint32(off + 4, true) * 4.294967296 + view.getUint32(off, true) * 1e-9;
}

/** Reads a u64 exactly as a decimal string (for the edges: JSON, alerts). */
export function readU64String(view: DataView, off: number): string {
  return ((BigInt(view.getUint32(off + 4, true)) << 32n) | BigInt(view.getUint32(off, true))).toString();
}

export function isUndefPrice(view: DataView, off: number): boolean {
  return view.getInt32(off + 4, true) === UNDEF_PRICE_HI && view.getUint32(off, true) === UNDEF_PRICE_LO;
}
