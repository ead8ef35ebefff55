// Encodes records from their `dbn --json` shape (recordToJson) back to DBN bytes. Reserved bytes
// and string tails are zero, as the official encoders write them, so decode -> JSON -> encode gives
// the original bytes back. Not a hot path: parsing 64-bit decimal strings uses BigInt.
import { type Field, LEVEL_SIZE, layoutFor } from './layouts.ts';
import { type DbnMetadata, encodeMetadata } from './metadata.ts';

export interface DbnEncoderOptions {
  version: 1 | 2 | 3;
  /** Each record carries `ts_out` (the JSON must have it). */
  tsOut?: boolean;
  /** Write this metadata header first (its version and ts_out must agree with the options). */
  metadata?: DbnMetadata;
}

const encoder = new TextEncoder();

export class DbnEncoder {
  readonly version: 1 | 2 | 3;
  readonly tsOut: boolean;
  #buf = new Uint8Array(4096);
  #view = new DataView(this.#buf.buffer);
  #len = 0;

  constructor(opts: DbnEncoderOptions) {
    if (opts.version !== 1 && opts.version !== 2 && opts.version !== 3) {
      throw new RangeError(`DBN version must be 1, 2 or 3, got ${String(opts.version)}`);
    }
    this.version = opts.version;
    this.tsOut = opts.tsOut ?? false;
    if (opts.metadata) {
      if (opts.metadata.version !== this.version || opts.metadata.tsOut !== this.tsOut) {
        throw new RangeError('metadata version/ts_out disagree with the encoder options');
      }
      this.raw(encodeMetadata(opts.metadata));
    }
  }

  /** Appends bytes as they are (records from a decoder, or from the writers). */
  raw(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
  }

  /** Appends one record given in the shape recordToJson returns. */
  record(json: Record<string, unknown>): void {
    const hd = json.hd as Record<string, unknown> | undefined;
    if (!hd || typeof hd !== 'object') throw new TypeError('record JSON has no `hd` object');
    const rtype = intField(hd, 'rtype', 0, 255);
    const layout = layoutFor(this.version, rtype);
    if (!layout) throw new TypeError(`rtype ${rtype} is not a DBN v${this.version} record type`);
    const size = layout.size + (this.tsOut ? 8 : 0);
    this.#reserve(size);
    const off = this.#len;
    const buf = this.#buf;
    const view = this.#view;
    buf.fill(0, off, off + size);
    buf[off] = size / 4;
    buf[off + 1] = rtype;
    view.setUint16(off + 2, intField(hd, 'publisher_id', 0, 0xffff), true);
    view.setUint32(off + 4, intField(hd, 'instrument_id', 0, 0xffffffff), true);
    view.setBigUint64(off + 8, bigField(hd, 'ts_event', false), true);
    for (const f of layout.fields) {
      if (f.kind !== 'pad') this.#writeField(json, off, f);
    }
    const reserved = json._reserved;
    if (reserved !== undefined) this.#writeReserved(reserved, off, layout.fields);
    if (this.tsOut) view.setBigUint64(off + layout.size, bigField(json, 'ts_out', false), true);
    this.#len += size;
  }

  /** Everything encoded so far (a copy). */
  bytes(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  /** `_reserved: {"<offset>": "<hex>"}` from recordToJson(..., { reserved: true }): raw bytes win. */
  #writeReserved(reserved: unknown, base: number, fields: readonly Field[]): void {
    if (typeof reserved !== 'object' || reserved === null)
      throw new TypeError('_reserved: expected an object');
    for (const [key, value] of Object.entries(reserved)) {
      const f = fields.find((x) => (x.kind === 'pad' || x.kind === 'str') && x.offset === Number(key));
      if (!f || typeof value !== 'string' || !/^([0-9a-f]{2})*$/.test(value) || value.length !== f.size * 2) {
        throw new TypeError(
          `_reserved: ${key} is not a reserved or string field of this record (or bad hex)`,
        );
      }
      for (let i = 0; i < f.size; i++)
        this.#buf[base + f.offset + i] = Number.parseInt(value.slice(i * 2, i * 2 + 2), 16);
    }
  }

  #writeField(json: Record<string, unknown>, base: number, f: Field): void {
    const view = this.#view;
    const o = base + f.offset;
    switch (f.kind) {
      case 'u8':
        this.#buf[o] = intField(json, f.name, 0, 0xff);
        return;
      case 'i8':
        view.setInt8(o, intField(json, f.name, -0x80, 0x7f));
        return;
      case 'u16':
        view.setUint16(o, intField(json, f.name, 0, 0xffff), true);
        return;
      case 'i16':
        view.setInt16(o, intField(json, f.name, -0x8000, 0x7fff), true);
        return;
      case 'u32':
        view.setUint32(o, intField(json, f.name, 0, 0xffffffff), true);
        return;
      case 'i32':
        view.setInt32(o, intField(json, f.name, -0x80000000, 0x7fffffff), true);
        return;
      case 'u64':
        view.setBigUint64(o, bigField(json, f.name, false), true);
        return;
      case 'i64':
        view.setBigInt64(o, bigField(json, f.name, true), true);
        return;
      case 'char':
      case 'echar': {
        const v = json[f.name];
        if (v === null || v === undefined) return;
        if (typeof v !== 'string' || v.length !== 1 || v.charCodeAt(0) > 0xff) {
          throw new TypeError(`${f.name}: expected a 1-char string or null, got ${JSON.stringify(v)}`);
        }
        this.#buf[o] = v.charCodeAt(0);
        return;
      }
      case 'str': {
        const v = json[f.name];
        if (typeof v !== 'string')
          throw new TypeError(`${f.name}: expected a string, got ${JSON.stringify(v)}`);
        const b = encoder.encode(v);
        if (b.length > f.size) throw new RangeError(`${f.name}: '${v}' is longer than ${f.size} bytes`);
        this.#buf.set(b, o);
        return;
      }
      case 'levels':
      case 'clevels': {
        const levels = json[f.name];
        if (!Array.isArray(levels) || levels.length !== f.count) {
          throw new TypeError(`${f.name}: expected ${f.count} levels`);
        }
        levels.forEach((level: Record<string, unknown>, i: number) => {
          const l = o + i * LEVEL_SIZE;
          view.setBigInt64(l, bigField(level, 'bid_px', true), true);
          view.setBigInt64(l + 8, bigField(level, 'ask_px', true), true);
          view.setUint32(l + 16, intField(level, 'bid_sz', 0, 0xffffffff), true);
          view.setUint32(l + 20, intField(level, 'ask_sz', 0, 0xffffffff), true);
          if (f.kind === 'levels') {
            view.setUint32(l + 24, intField(level, 'bid_ct', 0, 0xffffffff), true);
            view.setUint32(l + 28, intField(level, 'ask_ct', 0, 0xffffffff), true);
          } else {
            view.setUint16(l + 24, intField(level, 'bid_pb', 0, 0xffff), true);
            view.setUint16(l + 28, intField(level, 'ask_pb', 0, 0xffff), true);
          }
        });
        return;
      }
      case 'pad':
        return;
    }
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#len + n, this.#buf.length * 2));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

function intField(obj: Record<string, unknown>, name: string, min: number, max: number): number {
  const v = obj[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TypeError(`${name}: expected an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function bigField(obj: Record<string, unknown>, name: string, signed: boolean): bigint {
  const v = obj[name];
  let b: bigint;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) b = BigInt(v);
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else throw new TypeError(`${name}: expected a decimal integer string, got ${JSON.stringify(v)}`);
  if (signed ? b < I64_MIN || b > I64_MAX : b < 0n || b > U64_MAX) {
    throw new RangeError(`${name}: ${v} is outside the ${signed ? 'i64' : 'u64'} range`);
  }
  return b;
}
