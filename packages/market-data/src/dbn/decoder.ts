// Streaming DBN decoder. Push chunks of any size; each push returns the records completed by it,
// in place: a batch of byte offsets into one buffer, read with a DataView (see core/dbn-layout).
//
// Hot path: per chunk, at most one copy (the chunk appended to a partial record left over from the
// previous chunk) and no allocation per record: no objects, no BigInt, no Buffer.read*. When no
// partial record is pending, the batch is a view onto the caller's chunk. Records of DBN v1/v2 may
// start at odd offsets (their metadata isn't padded), so everything is read with DataView.
//
// Every malformed input is a DbnError naming the byte offset in the (decompressed) stream; the
// decoder never skips bytes and never waits for data that can't arrive once finish() is called.
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { Decompress, decompress } from 'fzstd';
import { DbnError } from './errors.ts';
import { HEADER_SIZE, minLengths } from './layouts.ts';
import { type DbnMetadata, decodeMetadata, MAX_DBN_VERSION } from './metadata.ts';

export interface DbnDecoderOptions {
  /** Input starts with a DBN metadata header (default true). false: a fragment of bare records. */
  metadata?: boolean;
  /** DBN version of a fragment (default 3). Ignored when the input has metadata. */
  version?: 1 | 2 | 3;
  /** A fragment's records carry ts_out. Ignored when the input has metadata (which says so). */
  tsOut?: boolean;
}

/** A decoded batch; `tsOut` says whether each record ends with the 8-byte gateway send time. */
export interface DbnRecordBatch extends RecordBatch {
  readonly tsOut: boolean;
}

const Phase = { Detect: 0, Metadata: 1, Records: 2 } as const;

const ZSTD_MAGIC = 0xfd2fb528;
/** Legacy DBZ files open with a zstd skippable frame holding their metadata. */
const DBZ_MAGIC = 0x184d2a50;
const MAX_RECORD_LEN = 255 * 4;
const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);
const EMPTY_OFFSETS = new Int32Array(0);

function magicOf(b: Uint8Array): number {
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

export class DbnDecoder {
  #metadata: DbnMetadata | null = null;
  #version: number;
  #tsOut: boolean;
  readonly #expectMetadata: boolean;
  #phase: number = Phase.Detect;
  #failed: DbnError | null = null;
  #finished = false;

  /** Stream offset (decompressed) of the next byte fed to #feed. */
  #pos = 0;
  /** Bytes held before the records start: detection prefix, then the metadata header. */
  #head: Uint8Array = new Uint8Array(64);
  #headLen = 0;
  /** A partial record carried to the next chunk, and the stream offset of its first byte. */
  #carry = new Uint8Array(MAX_RECORD_LEN);
  #carryLen = 0;
  #carryPos = 0;
  /** Reused when a record straddles chunks: carry + chunk. */
  #work: Uint8Array = new Uint8Array(1 << 16);
  #workView = new DataView(this.#work.buffer);
  #offsets = new Int32Array(4096);
  #minLen: Uint16Array;

  #zstd: Decompress | null = null;
  #zParts: Uint8Array[] = [];
  #zIn = 0;
  #stage: Uint8Array = new Uint8Array(0);

  #batch: {
    bytes: Uint8Array;
    view: DataView;
    offsets: Int32Array;
    count: number;
    version: number;
    tsOut: boolean;
  };

  constructor(opts: DbnDecoderOptions = {}) {
    this.#expectMetadata = opts.metadata ?? true;
    const v = opts.version ?? MAX_DBN_VERSION;
    if (v !== 1 && v !== 2 && v !== 3) throw new RangeError(`DBN version must be 1, 2 or 3, got ${v}`);
    this.#version = this.#expectMetadata ? 0 : v;
    this.#tsOut = this.#expectMetadata ? false : (opts.tsOut ?? false);
    this.#minLen = minLengths(this.#version || MAX_DBN_VERSION);
    this.#batch = {
      bytes: EMPTY,
      view: EMPTY_VIEW,
      offsets: this.#offsets,
      count: 0,
      version: this.#version,
      tsOut: this.#tsOut,
    };
  }

  /** The metadata header, once decoded (null for fragments). */
  get metadata(): DbnMetadata | null {
    return this.#metadata;
  }

  /** DBN version of the records (0 until the metadata header is decoded). */
  get version(): number {
    return this.#version;
  }

  /** Records carry ts_out (from the metadata, or the option for fragments). */
  get tsOut(): boolean {
    return this.#tsOut;
  }

  /** Feeds a chunk; returns the records it completed. The batch is valid until the next call. */
  push(chunk: Uint8Array): DbnRecordBatch {
    if (this.#failed) throw this.#failed;
    if (this.#finished) throw new Error('DbnDecoder: push() after finish()');
    try {
      return this.#push(chunk);
    } catch (e) {
      if (e instanceof DbnError) this.#failed = e;
      throw e;
    }
  }

  /**
   * Ends the stream. Throws DbnError if a partial record or metadata header remains. Returns any
   * records that only the end of a zstd stream released (almost always none).
   */
  finish(): DbnRecordBatch {
    if (this.#failed) throw this.#failed;
    if (this.#finished) return this.#empty();
    this.#finished = true;
    try {
      let batch = this.#empty();
      if (this.#zstd) {
        this.#zParts.length = 0;
        try {
          this.#zstd.push(EMPTY, true);
        } catch (e) {
          throw new DbnError(`truncated or corrupt zstd stream: ${(e as Error).message}`, this.#zIn);
        }
        batch = this.#feed(this.#drainZstd());
      }
      if (this.#phase === Phase.Detect || this.#phase === Phase.Metadata) {
        if (this.#expectMetadata) {
          throw new DbnError(
            this.#headLen === 0
              ? 'empty input: expected a DBN metadata header'
              : `truncated DBN metadata header: stream ends after ${this.#headLen} bytes`,
            this.#phase === Phase.Detect ? this.#headLen : this.#pos,
          );
        }
        if (this.#headLen > 0) {
          throw new DbnError(`truncated record: stream ends after ${this.#headLen} bytes of it`, 0);
        }
      }
      if (this.#carryLen > 0) {
        const need = this.#carry[0]! * 4;
        throw new DbnError(
          `truncated record: stream ends after ${this.#carryLen} of its ${need} bytes`,
          this.#carryPos,
        );
      }
      return batch;
    } catch (e) {
      if (e instanceof DbnError) this.#failed = e;
      throw e;
    }
  }

  /** An empty batch, leaving the last returned batch intact. */
  #empty(): DbnRecordBatch {
    return {
      bytes: EMPTY,
      view: EMPTY_VIEW,
      offsets: EMPTY_OFFSETS,
      count: 0,
      version: this.#version,
      tsOut: this.#tsOut,
    };
  }

  #push(chunk: Uint8Array): DbnRecordBatch {
    if (this.#phase === Phase.Detect) {
      // Need 4 bytes to tell DBN, zstd and legacy DBZ apart.
      const fresh = this.#headLen === 0;
      const need = 4 - this.#headLen;
      const take = Math.min(need, chunk.length);
      this.#head.set(chunk.subarray(0, take), this.#headLen);
      this.#headLen += take;
      if (this.#headLen < 4) return this.#empty();
      const magic = magicOf(this.#head);
      if (magic === DBZ_MAGIC) {
        throw new DbnError(
          'legacy DBZ file: only DBN (versions 1-3) is supported; convert it with `dbn` first',
          0,
        );
      }
      const prefix = this.#head.slice(0, 4);
      const rest = chunk.subarray(take);
      this.#headLen = 0;
      this.#phase = this.#expectMetadata ? Phase.Metadata : Phase.Records;
      if (magic === ZSTD_MAGIC) {
        this.#zstd = new Decompress((data) => {
          if (data.length) this.#zParts.push(data);
        });
        return this.#pushZstd(prefix, rest);
      }
      // Plain DBN: the whole chunk, or the buffered prefix and then the rest. Four bytes can't
      // complete a metadata prelude (8) or a record (16), so the prefix alone yields no records.
      if (fresh) return this.#feed(chunk);
      this.#feed(prefix);
      return this.#feed(rest);
    }
    if (this.#zstd) return this.#pushZstd(chunk, EMPTY);
    return this.#feed(chunk);
  }

  #pushZstd(a: Uint8Array, b: Uint8Array): DbnRecordBatch {
    const z = this.#zstd!;
    this.#zParts.length = 0;
    try {
      // fzstd keeps references to input it can't use yet: hand it copies, as callers may reuse
      // their chunk buffers once push() returns.
      z.push(a.slice(), false);
      this.#zIn += a.length;
      if (b.length) {
        z.push(b.slice(), false);
        this.#zIn += b.length;
      }
    } catch (e) {
      throw new DbnError(`corrupt zstd stream: ${(e as Error).message} (compressed input)`, this.#zIn);
    }
    return this.#feed(this.#drainZstd());
  }

  #drainZstd(): Uint8Array {
    const parts = this.#zParts;
    if (parts.length === 0) return EMPTY;
    if (parts.length === 1) return parts[0]!;
    let n = 0;
    for (const p of parts) n += p.length;
    if (this.#stage.length < n) this.#stage = new Uint8Array(Math.max(n, this.#stage.length * 2));
    let o = 0;
    for (const p of parts) {
      this.#stage.set(p, o);
      o += p.length;
    }
    return this.#stage.subarray(0, n);
  }

  /** Consumes decompressed bytes; `this.#pos` is the stream offset of data[0]. */
  #feed(data: Uint8Array): DbnRecordBatch {
    let p = 0;
    if (this.#phase === Phase.Metadata) {
      p = this.#feedMetadata(data);
      if (this.#phase === Phase.Metadata) {
        this.#pos += data.length;
        return this.#empty();
      }
    }
    const batch = this.#batch;
    const end = data.length;
    if (this.#carryLen === 0) {
      // Common case: records straight from the caller's chunk.
      const count = this.#scan(data, p, end, this.#pos);
      const stop = this.#scanEnd;
      if (stop < end) this.#keep(data, stop, end, this.#pos + stop);
      this.#pos += end;
      if (count > 0 && batch.bytes !== data) {
        batch.bytes = data;
        batch.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      }
      batch.offsets = this.#offsets;
      batch.count = count;
      return batch;
    }
    // A record straddles: lay the carry and this chunk end to end in the work buffer.
    const carryLen = this.#carryLen;
    const total = carryLen + (end - p);
    if (this.#work.length < total) {
      this.#work = new Uint8Array(Math.max(total, this.#work.length * 2));
      this.#workView = new DataView(this.#work.buffer);
    }
    const work = this.#work;
    work.set(this.#carry.subarray(0, carryLen), 0);
    work.set(p === 0 ? data : data.subarray(p), carryLen);
    const base = this.#carryPos;
    this.#carryLen = 0;
    const count = this.#scan(work, 0, total, base);
    const stop = this.#scanEnd;
    if (stop < total) this.#keep(work, stop, total, base + stop);
    this.#pos += end;
    batch.bytes = work;
    batch.view = this.#workView;
    batch.offsets = this.#offsets;
    batch.count = count;
    return batch;
  }

  #scanEnd = 0;

  /** Finds complete records in buf[start, end); `base` is the stream offset of buf[0]. */
  #scan(buf: Uint8Array, start: number, end: number, base: number): number {
    const maxRecords = ((end - start) >>> 4) + 1;
    if (this.#offsets.length < maxRecords)
      this.#offsets = new Int32Array(Math.max(maxRecords, this.#offsets.length * 2));
    const offsets = this.#offsets;
    const minLen = this.#minLen;
    let n = 0;
    let p = start;
    while (p < end) {
      const len = buf[p]! << 2;
      if (len < HEADER_SIZE) this.#badLength(buf, p, base);
      if (p + len > end) break;
      if (len < minLen[buf[p + 1]!]!) this.#tooShort(buf, p, base);
      offsets[n++] = p;
      p += len;
    }
    this.#scanEnd = p;
    return n;
  }

  #badLength(buf: Uint8Array, p: number, base: number): never {
    throw new DbnError(
      `corrupt record: length byte ${buf[p]} (${buf[p]! * 4} bytes) is shorter than the 16-byte record header`,
      base + p,
    );
  }

  #tooShort(buf: Uint8Array, p: number, base: number): never {
    const rtype = buf[p + 1]!;
    throw new DbnError(
      `corrupt record: rtype 0x${rtype.toString(16).padStart(2, '0')} needs ${this.#minLen[rtype]} bytes ` +
        `in DBN v${this.#version} but its length byte says ${buf[p]! * 4}`,
      base + p,
    );
  }

  #keep(buf: Uint8Array, from: number, to: number, streamOffset: number): void {
    this.#carry.set(buf.subarray(from, to), 0);
    this.#carryLen = to - from;
    this.#carryPos = streamOffset;
  }

  /** Accumulates the metadata header; returns how many bytes of `data` it used. */
  #feedMetadata(data: Uint8Array): number {
    const have = this.#headLen;
    // First the 8-byte prelude, then the length it announces.
    let want = 8;
    if (have >= 8) want = 8 + new DataView(this.#head.buffer).getUint32(4, true);
    let used = 0;
    for (;;) {
      const take = Math.min(want - this.#headLen, data.length - used);
      this.#ensureHead(this.#headLen + take);
      this.#head.set(data.subarray(used, used + take), this.#headLen);
      this.#headLen += take;
      used += take;
      if (this.#headLen < want) return used;
      if (want === 8) {
        this.#checkPrelude();
        want = 8 + new DataView(this.#head.buffer).getUint32(4, true);
        continue;
      }
      const metadata = decodeMetadata(this.#head.subarray(0, want), 0);
      this.#metadata = metadata;
      this.#version = metadata.version;
      this.#tsOut = metadata.tsOut;
      this.#minLen = minLengths(metadata.version);
      this.#batch.version = metadata.version;
      this.#batch.tsOut = metadata.tsOut;
      this.#phase = Phase.Records;
      this.#head = new Uint8Array(0);
      this.#headLen = 0;
      return used;
    }
  }

  #ensureHead(n: number): void {
    if (this.#head.length >= n) return;
    const next = new Uint8Array(Math.max(n, this.#head.length * 2));
    next.set(this.#head.subarray(0, this.#headLen));
    this.#head = next;
  }

  #checkPrelude(): void {
    const h = this.#head;
    if (h[0] !== 0x44 || h[1] !== 0x42 || h[2] !== 0x4e) {
      const shown = Array.from(h.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new DbnError(`not a DBN stream: bad magic ${shown} (expected "DBN")`, 0);
    }
    const version = h[3]!;
    if (version === 0) throw new DbnError('legacy DBZ (DBN version 0) is not supported', 3);
    if (version > MAX_DBN_VERSION) {
      throw new DbnError(`unsupported DBN version ${version}: this decoder reads versions 1-3`, 3);
    }
    const length = new DataView(h.buffer).getUint32(4, true);
    if (length < 100)
      throw new DbnError(`corrupt DBN metadata: length ${length} is under the 100-byte minimum`, 4);
  }
}

/** Decodes a whole file in memory (DBN or zstd-compressed DBN; any number of zstd frames). */
export function decodeFile(
  bytes: Uint8Array,
  opts: DbnDecoderOptions = {},
): { metadata: DbnMetadata | null; batch: DbnRecordBatch } {
  let data = bytes;
  if (bytes.length >= 4 && magicOf(bytes) === ZSTD_MAGIC) {
    try {
      data = decompress(bytes);
    } catch (e) {
      throw new DbnError(`truncated or corrupt zstd data: ${(e as Error).message} (compressed input)`, 0);
    }
  }
  const decoder = new DbnDecoder(opts);
  const batch = decoder.push(data);
  // A whole file in one push leaves nothing for finish() but its checks.
  decoder.finish();
  return { metadata: decoder.metadata, batch };
}
