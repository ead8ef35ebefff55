// The simulator's record writers produce records the official decoder reads back as written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RType } from '@tradeassist/core/dbn-layout';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFile } from './decoder.ts';
import { recordToJson } from './json.ts';
import { type DbnMetadata, encodeMetadata } from './metadata.ts';
import { oracleDecodeMany } from './test-support.ts';
import {
  appendTsOut,
  nsTime,
  nsToBigInt,
  writeMbp1,
  writeOhlcv,
  writeStatus,
  writeSymbolMapping,
  writeTrade,
} from './writers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dbn-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function meta(version: 1 | 2 | 3, tsOut: boolean): DbnMetadata {
  return {
    version,
    dataset: 'EQUS.MINI',
    schema: null,
    start: 1_700_000_000_000_000_000n,
    end: null,
    limit: null,
    stypeIn: 'raw_symbol',
    stypeOut: 'instrument_id',
    tsOut,
    symbolCstrLen: version === 1 ? 22 : 71,
    symbols: ['NVDA'],
    partial: [],
    notFound: [],
    mappings: [
      { rawSymbol: 'NVDA', intervals: [{ startDate: 20231114, endDate: 20231115, symbol: '11667' }] },
    ],
  };
}

describe('nsTime', () => {
  it('splits seconds + nanos exactly (no float rounding)', () => {
    // 1700000000 s + 123456789 ns = 1700000000123456789 ns
    expect(nsToBigInt(nsTime(1_700_000_000, 123_456_789))).toBe(1_700_000_000_123_456_789n);
    expect(nsToBigInt(nsTime(4_102_444_800, 999_999_999))).toBe(4_102_444_800_999_999_999n);
    expect(nsToBigInt(nsTime(0, 1))).toBe(1n);
  });
});

describe('writers', () => {
  for (const version of [1, 2, 3] as const) {
    for (const tsOut of [false, true]) {
      it(`v${version}${tsOut ? ' with ts_out' : ''}: official decoder reads what we wrote`, () => {
        const buf = new Uint8Array(4096).fill(0xee); // dirty: writers must zero reserved bytes
        const view = new DataView(buf.buffer);
        const t = nsTime(1_700_000_000, 5);
        const recv = 1_700_000_000_000_000_777n;
        let off = 0;
        const put = (n: number) => {
          off += tsOut ? appendTsOut(view, off, n, 42n) : n;
        };
        put(writeSymbolMapping(view, off, version, 11667, t, 'NVDA', 'NVDA', t, nsTime(1_700_086_400)));
        put(writeTrade(view, off, 11667, t, 482_150_000_000, 100, 'B', recv, 130, 7, 95, -12));
        put(
          writeMbp1(
            view,
            off,
            11667,
            t,
            'T',
            'A',
            -1,
            5,
            482_100_000_000,
            482_200_000_000,
            300,
            400,
            3,
            4,
            recv,
            128,
            9,
            95,
          ),
        );
        put(writeOhlcv(view, off, RType.OHLCV_1D, 11667, t, 1, 2, -3, 4, 2 ** 53 - 1, 95));
        put(writeStatus(view, off, 11667, t, 8, 1, 0, 'N', 'Y', '~', recv, 95));
        const file = path.join(dir, `w${version}${tsOut}.dbn`);
        const bytes = new Uint8Array([...encodeMetadata(meta(version, tsOut)), ...buf.subarray(0, off)]);
        writeFileSync(file, bytes);
        const [official] = oracleDecodeMany([{ path: file }]);
        const { batch } = decodeFile(bytes);
        const ours = Array.from({ length: batch.count }, (_, i) => recordToJson(batch, i));
        expect(ours).toEqual(official!.records);
        const [sm, trade, mbp, bar, status] = official!.records as Record<string, unknown>[];
        expect(sm!.stype_out_symbol).toBe('NVDA');
        expect(sm!.end_ts).toBe('1700086400000000000');
        expect(trade).toMatchObject({
          hd: { ts_event: '1700000000000000005', rtype: 0, publisher_id: 95, instrument_id: 11667 },
          ts_recv: '1700000000000000777',
          action: 'T',
          side: 'B',
          price: '482150000000',
          size: 100,
          flags: 130,
          sequence: 7,
          ts_in_delta: -12,
        });
        expect(mbp).toMatchObject({
          action: 'T',
          side: 'A',
          price: '-1',
          levels: [{ bid_px: '482100000000', ask_ct: 4 }],
        });
        expect(bar).toMatchObject({ open: '1', low: '-3', volume: '9007199254740991' });
        expect(status).toMatchObject({
          action: 8,
          reason: 1,
          is_trading: 'N',
          is_quoting: 'Y',
          is_short_sell_restricted: '~',
        });
        if (tsOut) expect(trade!.ts_out).toBe('42');
      });
    }
  }
});
