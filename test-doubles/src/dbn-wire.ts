// A small, independent DBN writer for the test doubles: the metadata header and the few records a
// live gateway sends (trades, MBP-1, symbol mappings, system and error messages), versions 2 and 3.
// Kept apart from the codec under test on purpose: the double must not share the decoder's bugs.
// Layouts follow the published DBN spec (databento/dbn `metadata.rs`, `record.rs`).
import { HD, MBP1, RType, TRADE } from '@tradeassist/core/dbn-layout';

export type DbnWireVersion = 2 | 3;

/** DBN `Schema` values (u16 in the metadata; 0xFFFF = mixed, as a live session with several schemas). */
export const SchemaId = { mbo: 0, 'mbp-10': 1, 'mbp-1': 2, tbbo: 3, trades: 4, status: 11 } as const;
/** DBN `SType` values. */
export const STypeId = { instrument_id: 0, raw_symbol: 1, parent: 4 } as const;
export const SystemCode = {
  HEARTBEAT: 0,
  SUBSCRIPTION_ACK: 1,
  SLOW_READER_WARNING: 2,
  REPLAY_COMPLETED: 3,
} as const;
export const ErrorCode = { AUTH_FAILED: 1, SYMBOL_RESOLUTION_FAILED: 4, INVALID_SUBSCRIPTION: 5 } as const;

const SYMBOL_CSTR_LEN = 71;
const UNDEF_TS = 0xffff_ffff_ffff_ffffn;
export const SYMBOL_MAPPING_SIZE = 176;
export const SYSTEM_MSG_SIZE = 320;
export const ERROR_MSG_SIZE = 320;

export interface WireMetadata {
  version: DbnWireVersion;
  dataset: string;
  /** null = mixed schemas (u16::MAX). */
  schema: number | null;
  startNs: bigint;
  stypeIn: number | null;
  stypeOut: number;
}

function putCStr(bytes: Uint8Array, off: number, len: number, s: string): void {
  const enc = new TextEncoder().encode(s);
  if (enc.length >= len) throw new Error(`string too long for a ${len}-byte c_char field: ${s}`);
  bytes.set(enc, off);
}

function putU64(view: DataView, off: number, v: bigint): void {
  view.setBigUint64(off, v, true);
}

/** Metadata header: "DBN", version, u32 length, then the fixed fields and four empty symbol lists. */
export function encodeWireMetadata(m: WireMetadata): Uint8Array {
  // fixed part after the 8-byte prefix: dataset 16, schema 2, start/end/limit 24, stype_in/out and
  // ts_out 3, symbol_cstr_len 2, reserved 53, schema_definition_length 4 = 104; then 4 u32 counts.
  const body = 104 + 16;
  const padded = Math.ceil((8 + body) / 8) * 8;
  const bytes = new Uint8Array(padded);
  const view = new DataView(bytes.buffer);
  bytes.set([0x44, 0x42, 0x4e, m.version], 0);
  view.setUint32(4, padded - 8, true);
  putCStr(bytes, 8, 16, m.dataset);
  view.setUint16(24, m.schema ?? 0xffff, true);
  putU64(view, 26, m.startNs);
  putU64(view, 34, UNDEF_TS);
  putU64(view, 42, 0n);
  bytes[50] = m.stypeIn ?? 0xff;
  bytes[51] = m.stypeOut;
  bytes[52] = 0; // ts_out
  view.setUint16(53, SYMBOL_CSTR_LEN, true);
  // 53 reserved bytes at 55..108, schema_definition_length at 108, four zero counts at 112..128.
  return bytes;
}

function header(
  view: DataView,
  off: number,
  size: number,
  rtype: number,
  instrumentId: number,
  tsEvent: bigint,
) {
  view.setUint8(off + HD.LENGTH, size / 4);
  view.setUint8(off + HD.RTYPE, rtype);
  view.setUint16(off + HD.PUBLISHER_ID, 0, true);
  view.setUint32(off + HD.INSTRUMENT_ID, instrumentId, true);
  putU64(view, off + HD.TS_EVENT, tsEvent);
}

export function writeSymbolMapping(
  view: DataView,
  off: number,
  instrumentId: number,
  tsEvent: bigint,
  inSymbol: string,
  outSymbol: string,
): number {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  bytes.fill(0, off, off + SYMBOL_MAPPING_SIZE);
  header(view, off, SYMBOL_MAPPING_SIZE, RType.SYMBOL_MAPPING, instrumentId, tsEvent);
  view.setUint8(off + 16, STypeId.raw_symbol);
  putCStr(bytes, off + 17, SYMBOL_CSTR_LEN, inSymbol);
  view.setUint8(off + 88, STypeId.raw_symbol);
  putCStr(bytes, off + 89, SYMBOL_CSTR_LEN, outSymbol);
  putU64(view, off + 160, tsEvent);
  putU64(view, off + 168, UNDEF_TS);
  return SYMBOL_MAPPING_SIZE;
}

export function writeSystemMsg(
  view: DataView,
  off: number,
  tsEvent: bigint,
  msg: string,
  code: number,
): number {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  bytes.fill(0, off, off + SYSTEM_MSG_SIZE);
  header(view, off, SYSTEM_MSG_SIZE, RType.SYSTEM, 0, tsEvent);
  putCStr(bytes, off + 16, 303, msg);
  view.setUint8(off + 319, code);
  return SYSTEM_MSG_SIZE;
}

export function writeErrorMsg(
  view: DataView,
  off: number,
  tsEvent: bigint,
  err: string,
  code: number,
): number {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  bytes.fill(0, off, off + ERROR_MSG_SIZE);
  header(view, off, ERROR_MSG_SIZE, RType.ERROR, 0, tsEvent);
  putCStr(bytes, off + 16, 302, err);
  view.setUint8(off + 318, code);
  view.setUint8(off + 319, 1); // is_last
  return ERROR_MSG_SIZE;
}

export interface TradeFields {
  instrumentId: number;
  tsEvent: bigint;
  /** fixed-point 1e-9 */
  price: bigint;
  size: number;
  sequence: number;
  side?: 'A' | 'B' | 'N';
}

/** TradeMsg (48 bytes) or, with `book`, an MBP-1 trade (80 bytes) carrying the top of book. */
export function writeTrade(
  view: DataView,
  off: number,
  t: TradeFields,
  book?: { bidPx: bigint; askPx: bigint; bidSz: number; askSz: number },
): number {
  const size = book ? MBP1.RECORD_SIZE : TRADE.RECORD_SIZE;
  header(view, off, size, book ? RType.MBP_1 : RType.MBP_0, t.instrumentId, t.tsEvent);
  view.setBigInt64(off + TRADE.PRICE, t.price, true);
  view.setUint32(off + TRADE.SIZE, t.size, true);
  view.setUint8(off + TRADE.ACTION, 0x54); // 'T'
  view.setUint8(off + TRADE.SIDE, (t.side ?? 'N').charCodeAt(0));
  view.setUint8(off + TRADE.FLAGS, 0x80); // F_LAST
  view.setUint8(off + TRADE.DEPTH, 0);
  putU64(view, off + TRADE.TS_RECV, t.tsEvent + 1000n);
  view.setInt32(off + TRADE.TS_IN_DELTA, 0, true);
  view.setUint32(off + TRADE.SEQUENCE, t.sequence, true);
  if (book) {
    view.setBigInt64(off + MBP1.BID_PX, book.bidPx, true);
    view.setBigInt64(off + MBP1.ASK_PX, book.askPx, true);
    view.setUint32(off + MBP1.BID_SZ, book.bidSz, true);
    view.setUint32(off + MBP1.ASK_SZ, book.askSz, true);
    view.setUint32(off + MBP1.BID_CT, 1, true);
    view.setUint32(off + MBP1.ASK_CT, 1, true);
  }
  return size;
}
