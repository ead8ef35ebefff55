// The DBN metadata header: decode, encode and its `dbn --json --metadata` shape.
//
// Layout (little-endian), after the 8-byte prelude "DBN" + version (u8) + length (u32) of the rest:
//   dataset        16-byte c string
//   schema         u16 (0xFFFF: none / mixed)
//   start, end     u64 ns (end u64::MAX: none)
//   limit          u64 (0: none)
//   record_count   u64, version 1 only (deprecated; u64::MAX)
//   stype_in       u8 (0xFF: none / mixed), stype_out u8, ts_out u8
//   symbol_cstr_len u16, version 2+ only (v1: always 22)
//   reserved       47 bytes (v1) / 53 bytes (v2+): the fixed part is 100 bytes in every version
//   schema_definition_length u32 (must be 0)
//   symbols, partial, not_found: u32 count + count * symbol_cstr_len bytes each
//   mappings: u32 count, each raw_symbol + u32 interval count + intervals
//             (start_date u32 YYYYMMDD, end_date u32, symbol)
//   version 3 pads the whole header to a multiple of 8 bytes so records stay aligned.
import { DbnError } from './errors.ts';

export const DBN_MAGIC = [0x44, 0x42, 0x4e] as const; // "DBN"
export const MAX_DBN_VERSION = 3;
export const METADATA_FIXED_LEN = 100;
const UNDEF_TIMESTAMP = 0xffff_ffff_ffff_ffffn;
const NULL_SCHEMA = 0xffff;
const NULL_STYPE = 0xff;

/** Schema names by their u16 value (as in the official `Schema` enum). */
export const SCHEMAS = [
  'mbo',
  'mbp-1',
  'mbp-10',
  'tbbo',
  'trades',
  'ohlcv-1s',
  'ohlcv-1m',
  'ohlcv-1h',
  'ohlcv-1d',
  'definition',
  'statistics',
  'status',
  'imbalance',
  'ohlcv-eod',
  'cmbp-1',
  'cbbo-1s',
  'cbbo-1m',
  'tcbbo',
  'bbo-1s',
  'bbo-1m',
] as const;
export type Schema = (typeof SCHEMAS)[number];

/** Symbology types by their u8 value (as in the official `SType` enum). */
export const STYPES = [
  'instrument_id',
  'raw_symbol',
  'smart',
  'continuous',
  'parent',
  'nasdaq_symbol',
  'cms_symbol',
  'isin',
  'us_code',
  'bbg_comp_id',
  'bbg_comp_ticker',
  'figi',
  'figi_ticker',
  'listing_id',
  'issuer_id',
  'security_id',
] as const;
export type SType = (typeof STYPES)[number];

export interface MappingInterval {
  /** First day, as the integer YYYYMMDD. */
  readonly startDate: number;
  /** Day after the last, as the integer YYYYMMDD. */
  readonly endDate: number;
  readonly symbol: string;
}

export interface SymbolMapping {
  readonly rawSymbol: string;
  readonly intervals: readonly MappingInterval[];
}

export interface DbnMetadata {
  readonly version: number;
  readonly dataset: string;
  /** null: a stream mixing schemas (live sessions). */
  readonly schema: Schema | null;
  /** UTC ns. */
  readonly start: bigint;
  readonly end: bigint | null;
  readonly limit: bigint | null;
  readonly stypeIn: SType | null;
  readonly stypeOut: SType;
  /** Every record carries the 8-byte gateway send time after its body. */
  readonly tsOut: boolean;
  /** 22 in version 1, 71 after. */
  readonly symbolCstrLen: number;
  readonly symbols: readonly string[];
  readonly partial: readonly string[];
  readonly notFound: readonly string[];
  readonly mappings: readonly SymbolMapping[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A fixed-length c string: up to the first NUL (records), or with trailing NULs trimmed
 * (`trimTrailing`, as the official decoder reads metadata strings). Throws on invalid UTF-8.
 */
export function readCStr(bytes: Uint8Array, off: number, len: number, trimTrailing = false): string {
  let end = off;
  const max = off + len;
  if (trimTrailing) {
    end = max;
    while (end > off && bytes[end - 1] === 0) end--;
  } else {
    while (end < max && bytes[end] !== 0) end++;
  }
  let ascii = true;
  for (let i = off; i < end; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return String.fromCharCode(...bytes.subarray(off, end));
  return utf8.decode(bytes.subarray(off, end));
}

/**
 * Decodes the metadata header. `bytes` holds the 8-byte prelude and the whole header; `base` is the
 * stream offset of bytes[0] (for error messages).
 */
export function decodeMetadata(bytes: Uint8Array, base = 0): DbnMetadata {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[3]!;
  const length = view.getUint32(4, true);
  const end = 8 + length;
  if (bytes.length < end)
    throw new DbnError(`truncated metadata: need ${end} bytes, have ${bytes.length}`, base);
  let pos = 8;
  const fail = (msg: string, at: number): never => {
    throw new DbnError(`invalid DBN metadata: ${msg}`, base + at);
  };
  const str = (len: number, what: string): string => {
    if (pos + len > end) fail(`${what} runs past the end of the header`, pos);
    try {
      const s = readCStr(bytes, pos, len, true);
      pos += len;
      return s;
    } catch {
      return fail(`${what} is not UTF-8`, pos);
    }
  };
  const u32 = (what: string): number => {
    if (pos + 4 > end) fail(`${what} runs past the end of the header`, pos);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): bigint => {
    const v = view.getBigUint64(pos, true);
    pos += 8;
    return v;
  };

  const dataset = str(16, 'dataset');
  const rawSchema = view.getUint16(pos, true);
  if (rawSchema !== NULL_SCHEMA && SCHEMAS[rawSchema] === undefined) fail(`unknown schema ${rawSchema}`, pos);
  const schema = rawSchema === NULL_SCHEMA ? null : SCHEMAS[rawSchema]!;
  pos += 2;
  const start = u64();
  const rawEnd = u64();
  const rawLimit = u64();
  if (version === 1) pos += 8; // record_count
  const rawStypeIn = bytes[pos]!;
  if (rawStypeIn !== NULL_STYPE && STYPES[rawStypeIn] === undefined)
    fail(`unknown stype_in ${rawStypeIn}`, pos);
  pos += 1;
  const rawStypeOut = bytes[pos]!;
  if (STYPES[rawStypeOut] === undefined) fail(`unknown stype_out ${rawStypeOut}`, pos);
  pos += 1;
  const tsOut = bytes[pos]! !== 0;
  pos += 1;
  let symbolCstrLen = 22;
  if (version > 1) {
    symbolCstrLen = view.getUint16(pos, true);
    if (symbolCstrLen === 0) fail('symbol_cstr_len is 0', pos);
    pos += 2;
  }
  pos = 8 + METADATA_FIXED_LEN;
  const schemaDefinitionLength = u32('schema_definition_length');
  if (schemaDefinitionLength !== 0) fail('schema definitions are not supported', pos - 4);

  const symbolList = (what: string): string[] => {
    const count = u32(`${what} count`);
    if (pos + count * symbolCstrLen > end)
      fail(`${what} count ${count} runs past the end of the header`, pos - 4);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(str(symbolCstrLen, `${what}[${i}]`));
    return out;
  };
  const symbols = symbolList('symbols');
  const partial = symbolList('partial');
  const notFound = symbolList('not_found');
  const mappingCount = u32('mappings count');
  const mappings: SymbolMapping[] = [];
  for (let i = 0; i < mappingCount; i++) {
    const rawSymbol = str(symbolCstrLen, `mappings[${i}].raw_symbol`);
    const n = u32(`mappings[${i}] interval count`);
    if (pos + n * (8 + symbolCstrLen) > end)
      fail(`mappings[${i}] interval count ${n} runs past the header`, pos - 4);
    const intervals: MappingInterval[] = [];
    for (let j = 0; j < n; j++) {
      const at = pos;
      const startDate = u32('start_date');
      const endDate = u32('end_date');
      if (!validDate(startDate) || !validDate(endDate))
        fail(`mappings[${i}].intervals[${j}] has a bad date`, at);
      intervals.push({
        startDate,
        endDate,
        symbol: str(symbolCstrLen, `mappings[${i}].intervals[${j}].symbol`),
      });
    }
    mappings.push({ rawSymbol, intervals });
  }
  return {
    version,
    dataset,
    schema,
    start,
    end: rawEnd === UNDEF_TIMESTAMP || rawEnd === 0n ? null : rawEnd,
    limit: rawLimit === 0n ? null : rawLimit,
    stypeIn: rawStypeIn === NULL_STYPE ? null : STYPES[rawStypeIn]!,
    stypeOut: STYPES[rawStypeOut]!,
    tsOut,
    symbolCstrLen,
    symbols,
    partial,
    notFound,
    mappings,
  };
}

function validDate(d: number): boolean {
  const y = Math.floor(d / 10000);
  const m = Math.floor(d / 100) % 100;
  const day = d % 100;
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

/** Encodes metadata exactly as the official encoder does (byte-identical for official files). */
export function encodeMetadata(m: DbnMetadata): Uint8Array {
  const version = m.version;
  if (!Number.isInteger(version) || version < 1 || version > MAX_DBN_VERSION) {
    throw new RangeError(`can't encode DBN metadata version ${version}`);
  }
  const cstr = version === 1 ? 22 : m.symbolCstrLen;
  const strCount = m.symbols.length + m.partial.length + m.notFound.length;
  let needed = METADATA_FIXED_LEN + 4 * 5 + strCount * cstr;
  for (const mp of m.mappings) needed += cstr + 4 + mp.intervals.length * (8 + cstr);
  const padding = version >= 3 && needed % 8 !== 0 ? 8 - (needed % 8) : 0;
  const length = needed + padding;
  const out = new Uint8Array(8 + length);
  const view = new DataView(out.buffer);
  out.set(DBN_MAGIC, 0);
  out[3] = version;
  view.setUint32(4, length, true);
  let pos = 8;
  const putStr = (s: string, len: number, what: string) => {
    const b = new TextEncoder().encode(s);
    if (b.length > len - 1) throw new RangeError(`${what} '${s}' is longer than ${len - 1} bytes`);
    out.set(b, pos);
    pos += len;
  };
  putStr(m.dataset, 16, 'dataset');
  view.setUint16(pos, m.schema === null ? NULL_SCHEMA : schemaId(m.schema), true);
  pos += 2;
  view.setBigUint64(pos, m.start, true);
  view.setBigUint64(pos + 8, m.end ?? UNDEF_TIMESTAMP, true);
  view.setBigUint64(pos + 16, m.limit ?? 0n, true);
  pos += 24;
  if (version === 1) {
    view.setBigUint64(pos, UNDEF_TIMESTAMP, true); // record_count: "none"
    pos += 8;
  }
  out[pos++] = m.stypeIn === null ? NULL_STYPE : stypeId(m.stypeIn);
  out[pos++] = stypeId(m.stypeOut);
  out[pos++] = m.tsOut ? 1 : 0;
  if (version > 1) view.setUint16(pos, cstr, true);
  pos = 8 + METADATA_FIXED_LEN;
  view.setUint32(pos, 0, true);
  pos += 4;
  for (const [what, list] of [
    ['symbols', m.symbols],
    ['partial', m.partial],
    ['not_found', m.notFound],
  ] as const) {
    view.setUint32(pos, list.length, true);
    pos += 4;
    for (const s of list) putStr(s, cstr, what);
  }
  view.setUint32(pos, m.mappings.length, true);
  pos += 4;
  for (const mp of m.mappings) {
    putStr(mp.rawSymbol, cstr, 'raw_symbol');
    view.setUint32(pos, mp.intervals.length, true);
    pos += 4;
    for (const iv of mp.intervals) {
      view.setUint32(pos, iv.startDate, true);
      view.setUint32(pos + 4, iv.endDate, true);
      pos += 8;
      putStr(iv.symbol, cstr, 'symbol');
    }
  }
  return out;
}

function schemaId(s: Schema): number {
  const i = SCHEMAS.indexOf(s);
  if (i < 0) throw new RangeError(`unknown schema ${s}`);
  return i;
}

function stypeId(s: SType): number {
  const i = STYPES.indexOf(s);
  if (i < 0) throw new RangeError(`unknown stype ${s}`);
  return i;
}

/** The metadata as `dbn --json --metadata` prints it (timestamps and limit as strings). */
export function metadataToJson(m: DbnMetadata): Record<string, unknown> {
  return {
    version: m.version,
    dataset: m.dataset,
    schema: m.schema,
    start: m.start.toString(),
    end: m.end === null ? null : m.end.toString(),
    limit: m.limit === null ? null : m.limit.toString(),
    stype_in: m.stypeIn,
    stype_out: m.stypeOut,
    ts_out: m.tsOut,
    symbol_cstr_len: m.symbolCstrLen,
    symbols: [...m.symbols],
    partial: [...m.partial],
    not_found: [...m.notFound],
    mappings: m.mappings.map((mp) => ({
      raw_symbol: mp.rawSymbol,
      intervals: mp.intervals.map((iv) => ({
        start_date: iv.startDate,
        end_date: iv.endDate,
        symbol: iv.symbol,
      })),
    })),
  };
}
