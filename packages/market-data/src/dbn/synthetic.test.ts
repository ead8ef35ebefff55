// Every record type of every version, including the ones the fixtures lack (errors, system
// messages, symbol mappings, OHLCV-EOD, TCBBO, CBBO-1m, ts_out): files of random-valued records
// packed by the oracle from the official layouts and the official metadata encoder, decoded by us
// and by the official decoder and compared field by field. Also: our layout tables against the
// official package's own description of each record.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbnDecoder, decodeFile } from './decoder.ts';
import { DbnEncoder } from './encoder.ts';
import { recordToJson } from './json.ts';
import {
  BBO_MSG,
  CBBO_MSG,
  CMBP1_MSG,
  ERROR_MSG_V1,
  ERROR_MSG_V2,
  IMBALANCE_MSG,
  INSTRUMENT_DEF_MSG_V1,
  INSTRUMENT_DEF_MSG_V2,
  INSTRUMENT_DEF_MSG_V3,
  LEVEL_SIZE,
  MBO_MSG,
  MBP1_MSG,
  MBP10_MSG,
  OHLCV_MSG,
  type RecordLayout,
  STAT_MSG_V1,
  STAT_MSG_V3,
  STATUS_MSG,
  SYMBOL_MAPPING_MSG_V1,
  SYMBOL_MAPPING_MSG_V2,
  SYSTEM_MSG_V1,
  SYSTEM_MSG_V2,
  TRADE_MSG,
} from './layouts.ts';
import { encodeMetadata, metadataToJson } from './metadata.ts';
import {
  findDbnCli,
  hex,
  type OracleResult,
  oracleDecodeMany,
  parseOfficialJson,
  recordBytes,
  runOracle,
  sortedMappings,
} from './test-support.ts';

let dir = '';
let files: { path: string; version: 1 | 2 | 3; ts_out: boolean }[] = [];
let oracle: OracleResult[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dbn-synth-'));
  files = (runOracle(['synth', dir]) as { files: typeof files }).files;
  oracle = oracleDecodeMany(files.map((f) => ({ path: f.path })));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('synthetic files of every record type', () => {
  it('cover versions 1-3 with and without ts_out', () => {
    expect(files.map((f) => `${f.version}${f.ts_out ? 't' : ''}`)).toEqual(['1', '1t', '2', '2t', '3', '3t']);
  });

  it('decode exactly as the official decoder does (JSON, bytes, metadata)', () => {
    for (const [k, f] of files.entries()) {
      const want = oracle[k]!;
      const { metadata, batch } = decodeFile(readFileSync(f.path));
      expect(sortedMappings(metadataToJson(metadata!))).toEqual(sortedMappings(want.metadata));
      expect(batch.count).toBe(want.records.length);
      // Every rtype DBN 1-3 defines appears.
      const rtypes = new Set(
        Array.from({ length: batch.count }, (_, i) => batch.bytes[batch.offsets[i]! + 1]),
      );
      expect(rtypes.size).toBe(23);
      for (let i = 0; i < batch.count; i++) {
        expect(recordToJson(batch, i), `${path.basename(f.path)} record ${i}`).toEqual(want.records[i]);
      }
      expect(recordBytes(batch).map(hex)).toEqual(want.record_hex);
    }
  });

  it('re-encode from JSON to identical bytes, metadata included', () => {
    for (const f of files) {
      const raw = new Uint8Array(readFileSync(f.path));
      const { metadata, batch } = decodeFile(raw);
      const enc = new DbnEncoder({ version: f.version, tsOut: f.ts_out, metadata: metadata! });
      // Some random strings fill their field with no NUL: the official JSON shows those as "".
      for (let i = 0; i < batch.count; i++) enc.record(recordToJson(batch, i, { reserved: true }));
      expect(hex(enc.bytes())).toEqual(hex(raw));
      expect(encodeMetadata(metadata!).length % (f.version === 3 ? 8 : 1)).toBe(0);
    }
  });

  it('decode the same in 1-byte chunks', () => {
    for (const f of files) {
      const raw = new Uint8Array(readFileSync(f.path));
      const dec = new DbnDecoder();
      const got: Record<string, unknown>[] = [];
      for (let i = 0; i < raw.length; i++) {
        const b = dec.push(raw.subarray(i, i + 1));
        for (let j = 0; j < b.count; j++) got.push(recordToJson(b, j));
      }
      dec.finish();
      expect(got).toEqual(oracle[files.indexOf(f)]!.records);
    }
  });
});

const dbnCli = findDbnCli();

describe.skipIf(!dbnCli)('synthetic files match the official `dbn` CLI', () => {
  it('--json and --json --metadata', () => {
    for (const f of files) {
      const r = spawnSync(dbnCli!, [f.path, '--json'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const want = r.stdout
        .split('\n')
        .filter((l) => l.trim())
        .map(parseOfficialJson);
      const { metadata, batch } = decodeFile(readFileSync(f.path));
      expect(Array.from({ length: batch.count }, (_, i) => recordToJson(batch, i))).toEqual(want);
      const m = spawnSync(dbnCli!, [f.path, '--json', '--metadata'], { encoding: 'utf8' });
      expect(metadataToJson(metadata!)).toEqual(JSON.parse(m.stdout));
    }
  });
});

describe('layout tables match the official record layouts', () => {
  const ours: Record<string, Record<string, RecordLayout>> = {
    common: {
      MBOMsg: MBO_MSG,
      TradeMsg: TRADE_MSG,
      MBP1Msg: MBP1_MSG,
      MBP10Msg: MBP10_MSG,
      BBOMsg: BBO_MSG,
      CMBP1Msg: CMBP1_MSG,
      CBBOMsg: CBBO_MSG,
      OHLCVMsg: OHLCV_MSG,
      StatusMsg: STATUS_MSG,
      ImbalanceMsg: IMBALANCE_MSG,
    },
    v1: {
      StatMsg: STAT_MSG_V1,
      ErrorMsg: ERROR_MSG_V1,
      SystemMsg: SYSTEM_MSG_V1,
      SymbolMappingMsg: SYMBOL_MAPPING_MSG_V1,
      InstrumentDefMsg: INSTRUMENT_DEF_MSG_V1,
    },
    v2: {
      StatMsg: STAT_MSG_V1,
      ErrorMsg: ERROR_MSG_V2,
      SystemMsg: SYSTEM_MSG_V2,
      SymbolMappingMsg: SYMBOL_MAPPING_MSG_V2,
      InstrumentDefMsg: INSTRUMENT_DEF_MSG_V2,
    },
    v3: {
      StatMsg: STAT_MSG_V3,
      ErrorMsg: ERROR_MSG_V2,
      SystemMsg: SYSTEM_MSG_V2,
      SymbolMappingMsg: SYMBOL_MAPPING_MSG_V2,
      InstrumentDefMsg: INSTRUMENT_DEF_MSG_V3,
    },
  };
  const KIND: Record<string, string> = {
    u1: 'u8',
    i1: 'i8',
    u2: 'u16',
    i2: 'i16',
    u4: 'u32',
    i4: 'i32',
    u8: 'u64',
    i8: 'i64',
  };

  it('every field at the official offset, size and type', () => {
    const official = runOracle(['layouts']) as Record<
      string,
      Record<string, { size: number; dtypes: [string, string][] }>
    >;
    let checked = 0;
    for (const v of ['v1', 'v2', 'v3']) {
      for (const [cls, layout] of Object.entries({ ...ours.common, ...ours[v] })) {
        const o = official[v]![cls]!;
        expect(o, `${v} ${cls}`).toBeDefined();
        expect(layout.size, `${v} ${cls} size`).toBe(o.size);
        let off = 0;
        for (const [name, dtype] of o.dtypes) {
          const size = Number(dtype.slice(1));
          const where = `${v} ${cls}.${name}`;
          const level = /^(bid|ask)_(px|sz|ct|pb)_(\d\d)$/.exec(name);
          if (off < 16 || name.startsWith('_')) {
            // header (checked by the fixtures) or reserved: must not overlap a field of ours
            const f = layout.fields.find(
              (x) => x.kind !== 'pad' && off < x.offset + x.size && x.offset < off + size,
            );
            if (off >= 16 && f && !(f.kind === 'levels' || f.kind === 'clevels'))
              throw new Error(`${where} overlaps ${f.name}`);
          } else if (level) {
            const f = layout.byName.levels!;
            const within = off - f.offset - Number(level[3]) * LEVEL_SIZE;
            const sub = {
              px: level[1] === 'bid' ? 0 : 8,
              sz: level[1] === 'bid' ? 16 : 20,
              ct: level[1] === 'bid' ? 24 : 28,
              pb: level[1] === 'bid' ? 24 : 28,
            }[level[2] as 'px'];
            expect(within, where).toBe(sub);
            if (level[2] === 'pb' || level[2] === 'ct')
              expect(f.kind, where).toBe(level[2] === 'pb' ? 'clevels' : 'levels');
          } else {
            const f = layout.byName[name];
            expect(f, where).toBeDefined();
            expect(f!.offset, where).toBe(off);
            expect(f!.size, where).toBe(size);
            if (dtype.startsWith('S')) expect(f!.kind, where).toMatch(size === 1 ? /^e?char$/ : /^str$/);
            else expect(f!.kind, where).toBe(KIND[dtype]);
          }
          off += size;
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
