// Bad input is a DbnError naming the byte offset; the decoder never hangs and never skips bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decompress } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { DbnDecoder, decodeFile } from './decoder.ts';
import { DbnError } from './errors.ts';
import { recordToJson } from './json.ts';
import { dbzFiles, fixturesDir } from './test-support.ts';

const official = (name: string) => new Uint8Array(readFileSync(path.join(fixturesDir, 'official', name)));
// test_data.mbp-1.dbn: DBN v2, a 353-byte header (8 + 345), then two 80-byte MBP-1 records at
// offsets 353 and 433; 513 bytes in all.
const MBP1_V2 = official('test_data.mbp-1.dbn');
const FIRST = 353;

function caught(fn: () => unknown): DbnError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DbnError);
    return e as DbnError;
  }
  throw new Error('expected a DbnError');
}

/** Pushes `bytes` whole and finishes. */
function decodeAll(bytes: Uint8Array, opts = {}) {
  const dec = new DbnDecoder(opts);
  const batch = dec.push(bytes);
  const n = batch.count;
  dec.finish();
  return n;
}

describe('DbnError names the byte offset', () => {
  it('the fixture layout is what this file assumes', () => {
    expect(MBP1_V2.length).toBe(513);
    expect(new DataView(MBP1_V2.buffer).getUint32(4, true) + 8).toBe(FIRST);
    expect(decodeAll(MBP1_V2)).toBe(2);
  });

  it.each(dbzFiles().map((f) => [path.basename(f), f]))('rejects legacy DBZ %s at offset 0', (_, f) => {
    const bytes = new Uint8Array(readFileSync(f));
    const e = caught(() => decodeFile(bytes));
    expect(e.offset).toBe(0);
    expect(e.message).toMatch(/legacy DBZ/);
    expect(e.message).toMatch(/byte offset 0/);
    // Streaming, even 1 byte at a time.
    const dec = new DbnDecoder();
    const e2 = caught(() => {
      for (let i = 0; i < bytes.length; i++) dec.push(bytes.subarray(i, i + 1));
    });
    expect(e2.offset).toBe(0);
  });

  it('a file cut in the middle of a record names where that record starts', () => {
    const cut = MBP1_V2.subarray(0, FIRST + 80 + 30); // second record has 30 of its 80 bytes
    const e = caught(() => decodeFile(cut));
    expect(e.offset).toBe(FIRST + 80);
    expect(e.message).toMatch(/truncated record: stream ends after 30 of its 80 bytes/);
    expect(e.message).toMatch(`byte offset ${FIRST + 80}`);
    // The complete record before the cut was still delivered.
    const dec = new DbnDecoder();
    expect(dec.push(cut).count).toBe(1);
    expect(() => dec.finish()).toThrow(DbnError);
  });

  it('a cut inside a compressed file is an error too', () => {
    const zst = official('test_data.mbp-1.v3.dbn.zst');
    expect(() => decodeFile(zst.subarray(0, zst.length - 5))).toThrow(DbnError);
    const dec = new DbnDecoder();
    dec.push(zst.subarray(0, zst.length - 5));
    expect(() => dec.finish()).toThrow(DbnError);
  });

  it('a file cut inside the metadata header', () => {
    const e = caught(() => decodeFile(MBP1_V2.subarray(0, 100)));
    expect(e.message).toMatch(/truncated DBN metadata header/);
    expect(e.offset).toBe(100);
    expect(caught(() => decodeFile(MBP1_V2.subarray(0, 2))).offset).toBe(2);
    expect(caught(() => decodeFile(new Uint8Array(0))).message).toMatch(/empty input/);
  });

  it('an unknown version names offset 3', () => {
    for (const v of [4, 9, 255]) {
      const bad = MBP1_V2.slice();
      bad[3] = v;
      const e = caught(() => decodeFile(bad));
      expect(e.offset).toBe(3);
      expect(e.message).toMatch(`unsupported DBN version ${v}`);
    }
    const zero = MBP1_V2.slice();
    zero[3] = 0;
    expect(caught(() => decodeFile(zero)).message).toMatch(/DBZ/);
  });

  it('bad magic names offset 0', () => {
    const bad = MBP1_V2.slice();
    bad[0] = 0x58;
    const e = caught(() => decodeFile(bad));
    expect(e.offset).toBe(0);
    expect(e.message).toMatch(/bad magic 58 42 4e 02/);
  });

  it('a zero or too-short length byte names the record', () => {
    for (const len of [0, 1, 3]) {
      const bad = MBP1_V2.slice();
      bad[FIRST + 80] = len;
      const e = caught(() => decodeFile(bad));
      expect(e.offset).toBe(FIRST + 80);
      expect(e.message).toMatch(/shorter than the 16-byte record header/);
    }
    // Long enough for a header but not for an MBP-1 record (rtype 0x01 needs 80 bytes).
    const short = MBP1_V2.slice();
    short[FIRST] = 12; // 48 bytes
    const e = caught(() => decodeFile(short));
    expect(e.offset).toBe(FIRST);
    expect(e.message).toMatch(/rtype 0x01 needs 80 bytes in DBN v2 but its length byte says 48/);
  });

  it('errors stick: the decoder refuses more input after one', () => {
    const bad = MBP1_V2.slice();
    bad[FIRST] = 0;
    const dec = new DbnDecoder();
    expect(() => dec.push(bad)).toThrow(DbnError);
    expect(() => dec.push(new Uint8Array(1))).toThrow(DbnError);
    expect(() => dec.finish()).toThrow(DbnError);
  });

  it('corrupt metadata: schema and symbol counts past the header', () => {
    const badSchema = MBP1_V2.slice();
    badSchema[24] = 0x63; // schema u16 at offset 24 -> 99
    expect(caught(() => decodeFile(badSchema)).offset).toBe(24);
    const badCount = MBP1_V2.slice();
    new DataView(badCount.buffer).setUint32(112, 1000, true); // symbols count
    const e = caught(() => decodeFile(badCount));
    expect(e.offset).toBe(112);
    expect(e.message).toMatch(/symbols count 1000 runs past/);
  });

  it('an unknown rtype passes through the decoder but JSON refuses it, naming the record', () => {
    const odd = MBP1_V2.slice();
    odd[FIRST + 1] = 0x99;
    const { batch } = decodeFile(odd);
    expect(batch.count).toBe(2);
    expect(() => recordToJson(batch, 0)).toThrow(/rtype 0x99 is not a DBN v2 record type/);
  });
});

describe('streaming and alignment', () => {
  it('decodes v1 records at odd offsets (unaligned) from an odd-offset view', () => {
    // v1 metadata is not padded: records start wherever the header ends.
    const v1 = decompress(official('test_data.mbp-1.v1.dbn.zst'));
    const headerEnd = 8 + new DataView(v1.buffer, v1.byteOffset).getUint32(4, true);
    expect(headerEnd % 8).not.toBe(0);
    const want = decodeFile(v1);
    // Same bytes placed at an odd byteOffset of a bigger buffer.
    const host = new Uint8Array(v1.length + 3);
    host.set(v1, 3);
    const odd = host.subarray(3);
    const got = decodeFile(odd);
    expect(got.batch.count).toBe(2);
    expect((odd.byteOffset + got.batch.offsets[0]!) % 2).toBe(1);
    for (let i = 0; i < 2; i++) expect(recordToJson(got.batch, i)).toEqual(recordToJson(want.batch, i));
  });

  it('callers may reuse their chunk buffer after each push (plain and zstd input)', () => {
    for (const name of [
      'test_data.mbo.v3.dbn',
      'test_data.definition.v3.dbn.zst',
      'test_data.mbp-10.v1.dbn.zst',
    ]) {
      const file = official(name);
      const want = decodeFile(file);
      const wantJson = Array.from({ length: want.batch.count }, (_, i) => recordToJson(want.batch, i));
      const dec = new DbnDecoder();
      const reused = new Uint8Array(13);
      const got: unknown[] = [];
      for (let off = 0; off < file.length; off += reused.length) {
        const piece = file.subarray(off, off + reused.length);
        reused.fill(0xaa);
        reused.set(piece);
        const b = dec.push(reused.subarray(0, piece.length));
        for (let i = 0; i < b.count; i++) got.push(recordToJson(b, i));
      }
      dec.finish();
      expect(got, name).toEqual(wantJson);
    }
  });

  it('a fragment needs its version; the default is 3', () => {
    const frag = official('test_data.definition.v1.dbn.frag'); // two 360-byte v1 definitions
    expect(decodeFile(frag, { metadata: false, version: 1 }).batch.count).toBe(2);
    // Read as v3 (520-byte definitions) the same bytes are too short.
    expect(() => decodeFile(frag, { metadata: false })).toThrow(/needs 520 bytes in DBN v3/);
  });

  it('a batch stays valid until the next push, even across finish()', () => {
    const dec = new DbnDecoder();
    const batch = dec.push(MBP1_V2);
    dec.finish();
    expect(batch.count).toBe(2);
    expect(recordToJson(batch, 1).sequence).toBe(1170364);
  });

  it('returns a view onto the input when no record straddles', () => {
    const dec = new DbnDecoder();
    dec.push(MBP1_V2.subarray(0, FIRST));
    const rest = MBP1_V2.subarray(FIRST);
    const b = dec.push(rest);
    expect(b.count).toBe(2);
    expect(b.bytes).toBe(rest);
  });

  it('ts_out streams: JSON gains ts_out, record length includes it', () => {
    // A fragment of one trade with ts_out: 48 + 8 bytes, length byte 14.
    const rec = new Uint8Array(56);
    const v = new DataView(rec.buffer);
    rec[0] = 14;
    rec[1] = 0x00;
    v.setBigUint64(8, 1000n, true);
    v.setBigUint64(48, 123456789012345678n, true);
    const { batch } = decodeFile(rec, { metadata: false, version: 2, tsOut: true });
    expect(batch.count).toBe(1);
    expect(recordToJson(batch, 0).ts_out).toBe('123456789012345678');
    expect(recordToJson(batch, 0, { tsOut: false }).ts_out).toBeUndefined();
  });
});
