// Records as the official `dbn --json` prints them (pretty_px and pretty_ts off), learnt from
// rust/dbn/src/encode/json/serialize.rs: the header under `hd`; 64-bit integers (prices,
// timestamps, order ids, volumes) as decimal strings; narrower integers as numbers (flags too);
// c_char as a 1-char string, null when 0 (but "\u0000" for the two v1/v2 fields that are Rust
// enums); fixed strings up to the first NUL ("" with no NUL or invalid UTF-8); book levels under
// `levels`; `ts_out` last when the stream carries it. Where the official writer emits non-JSON
// escapes (\' and \xHH for a c_char), we write the same character as valid JSON.
//
// This is the only place (with the CLI) that allocates per record.
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { DbnError } from './errors.ts';
import { type Field, LEVEL_SIZE, layoutFor } from './layouts.ts';
import { readCStr } from './metadata.ts';

const TWO_32 = 4294967296;

/** u64 at `off` as a decimal string (exact). */
export function u64String(view: DataView, off: number): string {
  const hi = view.getUint32(off + 4, true);
  const lo = view.getUint32(off, true);
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** i64 at `off` as a decimal string (exact). */
export function i64String(view: DataView, off: number): string {
  const hi = view.getInt32(off + 4, true);
  const lo = view.getUint32(off, true);
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function readField(view: DataView, bytes: Uint8Array, base: number, f: Field): unknown {
  const o = base + f.offset;
  switch (f.kind) {
    case 'u8':
      return bytes[o];
    case 'i8':
      return view.getInt8(o);
    case 'u16':
      return view.getUint16(o, true);
    case 'i16':
      return view.getInt16(o, true);
    case 'u32':
      return view.getUint32(o, true);
    case 'i32':
      return view.getInt32(o, true);
    case 'u64':
      return u64String(view, o);
    case 'i64':
      return i64String(view, o);
    case 'char': {
      const c = bytes[o]!;
      return c === 0 ? null : String.fromCharCode(c);
    }
    case 'echar':
      return String.fromCharCode(bytes[o]!);
    case 'str':
      // As the official c_chars_to_str: up to the first NUL; "" with no NUL or invalid UTF-8.
      if (bytes.indexOf(0, o) - o >= f.size || bytes.indexOf(0, o) < 0) return '';
      try {
        return readCStr(bytes, o, f.size);
      } catch {
        return '';
      }
    case 'levels':
    case 'clevels': {
      const levels: Record<string, unknown>[] = [];
      for (let i = 0; i < f.count; i++) {
        const l = o + i * LEVEL_SIZE;
        const level: Record<string, unknown> = {
          bid_px: i64String(view, l),
          ask_px: i64String(view, l + 8),
          bid_sz: view.getUint32(l + 16, true),
          ask_sz: view.getUint32(l + 20, true),
        };
        if (f.kind === 'levels') {
          level.bid_ct = view.getUint32(l + 24, true);
          level.ask_ct = view.getUint32(l + 28, true);
        } else {
          level.bid_pb = view.getUint16(l + 24, true);
          level.ask_pb = view.getUint16(l + 28, true);
        }
        levels.push(level);
      }
      return levels;
    }
    case 'pad':
      return undefined;
  }
}

export interface RecordJsonOptions {
  /** Records carry ts_out (default: the batch says, else false). */
  tsOut?: boolean;
  /**
   * Also keep the bytes the official JSON can't show, under `_reserved: {"<offset>": "<hex>"}`:
   * reserved bytes that aren't zero (some real files carry legacy data there: v1 definitions, BBO
   * from EQUS.MINI) and strings with no NUL, bytes after the NUL or invalid UTF-8. With it,
   * DbnEncoder reproduces any record byte for byte. Off for `dbn --json`.
   */
  reserved?: boolean;
}

/** Whether the JSON of field `f` (at `o`) re-encodes to its exact bytes. */
function representable(bytes: Uint8Array, o: number, f: Field): boolean {
  const end = o + f.size;
  if (f.kind === 'pad') {
    for (let i = o; i < end; i++) if (bytes[i] !== 0) return false;
    return true;
  }
  let nul = o;
  while (nul < end && bytes[nul] !== 0) nul++;
  if (nul === end) return false;
  for (let i = nul; i < end; i++) if (bytes[i] !== 0) return false;
  try {
    readCStr(bytes, o, f.size);
    return true;
  } catch {
    return false;
  }
}

/** Record `i` of `batch` in the shape of `dbn --json`. */
export function recordToJson(
  batch: RecordBatch & { readonly tsOut?: boolean },
  i: number,
  opts: RecordJsonOptions = {},
): Record<string, unknown> {
  if (i < 0 || i >= batch.count) throw new RangeError(`record index ${i} outside batch of ${batch.count}`);
  const { view, bytes } = batch;
  const off = batch.offsets[i]!;
  const rtype = bytes[off + 1]!;
  const layout = layoutFor(batch.version, rtype);
  if (!layout) {
    throw new DbnError(
      `record ${i}: rtype 0x${rtype.toString(16).padStart(2, '0')} is not a DBN v${batch.version} record type`,
      off,
    );
  }
  const tsOut = opts.tsOut ?? batch.tsOut ?? false;
  const length = bytes[off]! * 4;
  if (length < layout.size + (tsOut ? 8 : 0)) {
    throw new DbnError(
      `record ${i}: ${layout.name} needs ${layout.size + (tsOut ? 8 : 0)} bytes, has ${length}`,
      off,
    );
  }
  const out: Record<string, unknown> = {};
  // Same key order as the official writer: ts_recv first when the record has one.
  const tsRecv = layout.byName.ts_recv;
  if (tsRecv) out.ts_recv = u64String(view, off + tsRecv.offset);
  out.hd = {
    ts_event: u64String(view, off + 8),
    rtype,
    publisher_id: view.getUint16(off + 2, true),
    instrument_id: view.getUint32(off + 4, true),
  };
  let reserved: Record<string, string> | null = null;
  for (const f of layout.fields) {
    if (opts.reserved && (f.kind === 'pad' || f.kind === 'str') && !representable(bytes, off + f.offset, f)) {
      reserved ??= {};
      const b = bytes.subarray(off + f.offset, off + f.offset + f.size);
      reserved[String(f.offset)] = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    }
    if (f.kind === 'pad' || f === tsRecv) continue;
    out[f.name] = readField(view, bytes, off, f);
  }
  if (tsOut) out.ts_out = u64String(view, off + layout.size);
  if (reserved) out._reserved = reserved;
  return out;
}
