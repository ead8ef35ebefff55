// Every official fixture decodes to exactly what Databento's own decoder gives, field by field,
// in one piece and in 1-byte (and odd-sized) chunks; and encodes back to the same bytes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { decompress } from 'fzstd';
import { beforeAll, describe, expect, it } from 'vitest';
import { DbnDecoder, decodeFile } from './decoder.ts';
import { DbnEncoder } from './encoder.ts';
import { recordToJson } from './json.ts';
import { encodeMetadata, metadataToJson } from './metadata.ts';
import {
  type FixtureFile,
  findDbnCli,
  fixtureFiles,
  hex,
  type OracleResult,
  oracleDecodeMany,
  parseOfficialJson,
  recordBytes,
  sortedMappings,
} from './test-support.ts';

const files = fixtureFiles();
const oracle = new Map<string, OracleResult>();

beforeAll(() => {
  const results = oracleDecodeMany(
    files.map((f) => (f.fragVersion ? { path: f.path, frag_version: f.fragVersion } : { path: f.path })),
  );
  for (const [i, f] of files.entries()) oracle.set(f.name, results[i]!);
});

function optsFor(f: FixtureFile) {
  return f.fragVersion ? { metadata: false, version: f.fragVersion } : {};
}

function decodeJson(f: FixtureFile) {
  const { metadata, batch } = decodeFile(readFileSync(f.path), optsFor(f));
  const records = Array.from({ length: batch.count }, (_, i) => recordToJson(batch, i));
  return { metadata, records, bytes: recordBytes(batch).map(hex) };
}

/** Decodes `data` pushed in chunks of the given sizes (cycled), copying records as they come. */
function decodeChunked(f: FixtureFile, data: Uint8Array, sizes: number[]) {
  const dec = new DbnDecoder(optsFor(f));
  const records: Record<string, unknown>[] = [];
  const bytes: string[] = [];
  const take = (batch: ReturnType<DbnDecoder['push']>) => {
    for (let i = 0; i < batch.count; i++) records.push(recordToJson(batch, i));
    bytes.push(...recordBytes(batch).map(hex));
  };
  let off = 0;
  let k = 0;
  while (off < data.length) {
    const n = sizes[k++ % sizes.length]!;
    take(dec.push(data.subarray(off, off + n)));
    off += n;
  }
  take(dec.finish());
  return { metadata: dec.metadata, records, bytes };
}

describe('fixtures decode exactly as the official decoder does', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(90);
    expect(files.some((f) => f.fragVersion === 1)).toBe(true);
  });

  for (const f of files) {
    describe(f.name, () => {
      it('records and metadata match field by field', () => {
        const want = oracle.get(f.name)!;
        expect(want.error).toBeUndefined();
        const got = decodeJson(f);
        expect(sortedMappings(got.metadata ? metadataToJson(got.metadata) : null)).toEqual(
          sortedMappings(want.metadata),
        );
        expect(got.records).toEqual(want.records);
        expect(got.bytes).toEqual(want.record_hex);
      });

      it('gives the same result in 1-byte chunks and in odd-sized chunks', () => {
        const whole = decodeJson(f);
        const raw = new Uint8Array(readFileSync(f.path));
        for (const sizes of [[1], [7, 3, 61, 1, 200], [4096]]) {
          const got = decodeChunked(f, raw, sizes);
          expect(got.records).toEqual(whole.records);
          expect(got.bytes).toEqual(whole.bytes);
          expect(got.metadata).toEqual(whole.metadata);
        }
      });

      it('round-trips: decode -> JSON -> encode gives identical bytes', () => {
        const raw = new Uint8Array(readFileSync(f.path));
        const plain = raw[0] === 0x28 && raw[1] === 0xb5 ? decompress(raw) : raw;
        const { metadata, batch } = decodeFile(raw, optsFor(f));
        const version = (metadata?.version ?? f.fragVersion) as 1 | 2 | 3;
        const enc = new DbnEncoder({ version, tsOut: metadata?.tsOut ?? false });
        // The official JSON drops reserved bytes; some of these files carry data there.
        for (let i = 0; i < batch.count; i++) enc.record(recordToJson(batch, i, { reserved: true }));
        const header = metadata ? encodeMetadata(metadata) : new Uint8Array(0);
        expect(hex(header)).toEqual(hex(plain.subarray(0, header.length)));
        expect(hex(enc.bytes())).toEqual(hex(plain.subarray(header.length)));
      });
    });
  }
});

const dbnCli = findDbnCli();

describe.skipIf(!dbnCli)('fixtures match the official `dbn` CLI', () => {
  for (const f of files) {
    it(`${f.name}: --json${f.fragVersion ? '' : ' and --metadata'}`, () => {
      const fragFlag = f.path.endsWith('.zst') ? '--input-zstd-fragment' : '--input-fragment';
      const fragArgs = f.fragVersion ? [fragFlag, `--input-dbn-version=${f.fragVersion}`] : [];
      const r = spawnSync(dbnCli!, [f.path, '--json', ...fragArgs], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const want = r.stdout
        .split('\n')
        .filter((l) => l.trim())
        .map(parseOfficialJson);
      expect(decodeJson(f).records).toEqual(want);
      if (!f.fragVersion) {
        const m = spawnSync(dbnCli!, [f.path, '--json', '--metadata'], { encoding: 'utf8' });
        expect(m.status, m.stderr).toBe(0);
        expect(metadataToJson(decodeFile(readFileSync(f.path)).metadata!)).toEqual(JSON.parse(m.stdout));
      }
    });
  }
});
