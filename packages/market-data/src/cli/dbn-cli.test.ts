// `npm run -s dbn -- --json | --metadata | --stats FILE` as CONTRACTS.md says, checked against the
// official decoder: stdout only results, errors on stderr with a non-zero exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbnMetadata, encodeMetadata } from '../dbn/metadata.ts';
import {
  fixturesDir,
  type OracleResult,
  oracleDecodeMany,
  repoRoot,
  runOracle,
} from '../dbn/test-support.ts';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const cli = path.join(repoRoot, 'packages/market-data/src/cli/dbn-cli.ts');
const fixture = (name: string) => path.join(fixturesDir, name);

function dbn(args: string[], input?: Uint8Array) {
  const r = spawnSync(tsx, [cli, ...args], { input, encoding: 'utf8', cwd: repoRoot, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

import { nsTime, writeTrade } from '../dbn/writers.ts';

const tradesMeta: DbnMetadata = {
  version: 3,
  dataset: 'XNAS.ITCH',
  schema: 'trades',
  start: 1_700_000_000_000_000_000n,
  end: null,
  limit: null,
  stypeIn: 'raw_symbol',
  stypeOut: 'instrument_id',
  tsOut: false,
  symbolCstrLen: 71,
  symbols: [],
  partial: [],
  notFound: [],
  mappings: [],
};

const lines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/** What --stats must print, worked out from the official decoder's records. */
function expectedStats(records: Record<string, unknown>[]) {
  const byRtype: Record<string, number> = {};
  let maxPrice: bigint | null = null;
  let sumSize = 0n;
  for (const r of records) {
    const rt = String((r.hd as { rtype: number }).rtype);
    byRtype[rt] = (byRtype[rt] ?? 0) + 1;
    if (typeof r.price === 'string') {
      const p = BigInt(r.price);
      if (p !== 9223372036854775807n && (maxPrice === null || p > maxPrice)) maxPrice = p;
    }
    if (typeof r.size === 'number') sumSize += BigInt(r.size);
  }
  return {
    records: records.length,
    by_rtype: byRtype,
    max_price: maxPrice === null ? null : maxPrice.toString(),
    sum_size: sumSize.toString(),
  };
}

let dir = '';
let synthV3 = '';
let oracle: OracleResult[] = [];
const files = [
  'official/test_data.mbp-1.v1.dbn.zst',
  'official/test_data.mbo.v3.dbn',
  'official/test_data.statistics.v3.dbn.zst',
  'us-equities/XNAS.ITCH/test_data.mbp-10.dbn.zst',
];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dbn-cli-'));
  const synth = runOracle(['synth', dir]) as { files: { path: string; version: number; ts_out: boolean }[] };
  synthV3 = synth.files.find((f) => f.version === 3 && f.ts_out)!.path;
  oracle = oracleDecodeMany([...files.map((f) => ({ path: fixture(f) })), { path: synthV3 }]);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each case starts a few `tsx` processes (about a second each, more on a busy machine).
describe('dbn CLI', { timeout: 180_000 }, () => {
  it('--json prints one official-shaped object per record', () => {
    for (const [i, f] of files.entries()) {
      const r = dbn(['--json', fixture(f)]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(lines(r.stdout)).toEqual(oracle[i]!.records);
    }
    const r = dbn(['--json', synthV3]); // every record type, with ts_out
    expect(lines(r.stdout)).toEqual(oracle[files.length]!.records);
  });

  it('--metadata prints the header as one object', () => {
    const r = dbn(['--metadata', fixture(files[0]!)]);
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([oracle[0]!.metadata]);
  });

  it('--stats counts records by rtype, the top price and the size sum', () => {
    for (const [i, f] of [...files.map(fixture), synthV3].entries()) {
      const r = dbn(['--stats', f]);
      expect(r.status, r.stderr).toBe(0);
      expect(lines(r.stdout)).toEqual([expectedStats(oracle[i]!.records)]);
    }
    // official/test_data.mbp-1.v1.dbn.zst: two MBP-1 records at 3720.50 (raw 3720500000000),
    // size 1 each -> max_price "3720500000000", sum_size "2".
    expect(lines(dbn(['--stats', fixture(files[0]!)]).stdout)).toEqual([
      { records: 2, by_rtype: { '1': 2 }, max_price: '3720500000000', sum_size: '2' },
    ]);
  });

  it('- reads stdin', () => {
    const r = dbn(['--json', '-'], readFileSync(fixture(files[0]!)));
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(oracle[0]!.records);
  });

  it('reads fragments with --fragment VERSION', () => {
    const r = dbn(['--json', '--fragment', '1', fixture('official/test_data.definition.v1.dbn.frag')]);
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(2);
  });

  it('a DBZ file, a truncated file and an unknown version fail on stderr naming the offset', () => {
    const dbz = dbn(['--json', fixture('official/test_data.mbo.dbz')]);
    expect(dbz.status).toBe(1);
    expect(dbz.stdout).toBe('');
    expect(dbz.stderr).toMatch(/legacy DBZ.*byte offset 0/);

    const whole = readFileSync(fixture('official/test_data.mbp-1.dbn'));
    const cut = dbn(['--stats', '-'], whole.subarray(0, 353 + 100));
    expect(cut.status).toBe(1);
    expect(cut.stdout).toBe('');
    expect(cut.stderr).toMatch(/truncated record.*byte offset 433/);

    const v9 = new Uint8Array(whole);
    v9[3] = 9;
    const bad = dbn(['--metadata', '-'], v9);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unsupported DBN version 9.*byte offset 3/);
  });

  it('stops quietly when the reader goes away (| head)', () => {
    // 100k trades: far more output than a pipe holds, so the CLI sees the reader leave.
    const n = 100_000;
    const body = new Uint8Array(n * 48);
    const view = new DataView(body.buffer);
    for (let i = 0; i < n; i++) writeTrade(view, i * 48, 1, nsTime(1_700_000_000, i), 1e9 + i, 1, 'B');
    const big = path.join(dir, 'big.dbn');
    writeFileSync(big, new Uint8Array([...encodeMetadata(tradesMeta), ...body]));
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${tsx}" "${cli}" --json "${big}" | head -1`], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  it('usage errors exit 2; a missing file exits 1', () => {
    expect(dbn([]).status).toBe(2);
    expect(dbn(['--json']).status).toBe(2);
    expect(dbn(['--bogus', 'x']).status).toBe(2);
    const missing = dbn(['--json', path.join(dir, 'nope.dbn')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
  });
});
