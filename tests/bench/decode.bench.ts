// decode.mbp1: the DBN decoder on 5M realistic MBP-1 records (DBN v3, ~2,000 instruments, random-
// walk quotes, a mix of adds, cancels, modifies and trades) held in memory, pushed in 64 KiB chunks
// as a socket or file would deliver them; the consumer reads price and size of every record, as the
// screener does. Goal: >= 25 Mrec/s.
// decode.python_ratio: our speed over the official decoder's (Python package `databento_dbn`, the
// same file, the same chunks, reading the same two fields), measured in this run.
// decode.mbp1.cpu: decode.mbp1 per CPU-second of this process instead of per wall-second: the
// figure to read when other processes share the machine's two cores (scanning 400 MB is bound by
// memory bandwidth, which they share too, so even this one drops under load).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MBP1 } from '@tradeassist/core/dbn-layout';
import { DbnDecoder, encodeMetadata, nsTime, writeMbp1 } from '@tradeassist/market-data/dbn';
import { type BenchResult, summarize } from './stats.ts';

const RECORDS = 5_000_000;
const CHUNK = 64 * 1024;
const RUNS = 7;
const PYTHON_RUNS = 3;
const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.resolve(here, '../../packages/market-data/scripts/dbn_oracle.py');

/** A DBN v3 file of `n` MBP-1 records; deterministic (xorshift) so every run decodes the same bytes. */
export function buildMbp1File(n: number): Uint8Array {
  const head = encodeMetadata({
    version: 3,
    dataset: 'EQUS.MINI',
    schema: 'mbp-1',
    start: 1_700_000_000_000_000_000n,
    end: 1_700_023_400_000_000_000n,
    limit: null,
    stypeIn: 'raw_symbol',
    stypeOut: 'instrument_id',
    tsOut: false,
    symbolCstrLen: 71,
    symbols: ['ALL_SYMBOLS'],
    partial: [],
    notFound: [],
    mappings: [],
  });
  const out = new Uint8Array(head.length + n * MBP1.RECORD_SIZE);
  out.set(head);
  const view = new DataView(out.buffer);
  const INSTRUMENTS = 2000;
  const mid = new Float64Array(INSTRUMENTS);
  let seed = 0x9e3779b9;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  for (let i = 0; i < INSTRUMENTS; i++) mid[i] = Math.round(5 + rnd() * 500) * 100; // cents
  const actions = ['A', 'A', 'C', 'C', 'M', 'T'] as const;
  let off = head.length;
  for (let k = 0; k < n; k++) {
    const inst = Math.floor(rnd() * rnd() * INSTRUMENTS); // a few names dominate, as in real tape
    mid[inst]! += rnd() < 0.5 ? -1 : 1;
    const m = mid[inst]!;
    const bid = (m - 1) * 1e7; // cents -> 1e-9 fixed point
    const ask = (m + 1) * 1e7;
    const action = actions[Math.floor(rnd() * actions.length)]!;
    const side = rnd() < 0.5 ? 'B' : 'A';
    const price = action === 'T' ? (side === 'B' ? ask : bid) : side === 'B' ? bid : ask;
    const t = nsTime(1_700_000_000 + Math.floor(k / 250), (k % 250) * 4_000_000);
    off += writeMbp1(
      view,
      off,
      inst + 1,
      t,
      action,
      side,
      price,
      1 + Math.floor(rnd() * 500),
      bid,
      ask,
      100 + Math.floor(rnd() * 5000),
      100 + Math.floor(rnd() * 5000),
      1 + Math.floor(rnd() * 20),
      1 + Math.floor(rnd() * 20),
      t,
      128,
      k,
      95,
    );
  }
  return out;
}

/** Decodes `file` in 64 KiB chunks, reading price and size of each record; returns Mrec/s. */
function decodeOnce(file: Uint8Array): {
  mrecs: number;
  cpuMrecs: number;
  records: number;
  checksum: number;
} {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const dec = new DbnDecoder();
  let records = 0;
  let checksum = 0;
  for (let off = 0; off < file.length; off += CHUNK) {
    const { view, offsets, count } = dec.push(file.subarray(off, off + CHUNK));
    for (let i = 0; i < count; i++) {
      const o = offsets[i]!;
      const price =
        view.getInt32(o + MBP1.PRICE + 4, true) * 4294967296 + view.getUint32(o + MBP1.PRICE, true);
      const size = view.getUint32(o + MBP1.SIZE, true);
      checksum += price * 1e-9 + size;
    }
    records += count;
  }
  dec.finish();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { mrecs: records / seconds / 1e6, cpuMrecs: records / cpuSeconds / 1e6, records, checksum };
}

function findPython(): string {
  for (const c of [process.env.PYTHON, 'python3', 'python']) {
    if (c && spawnSync(c, ['-c', 'import databento_dbn'], { encoding: 'utf8' }).status === 0) return c;
  }
  throw new Error('decode.python_ratio needs python3 with databento-dbn (pip install databento-dbn)');
}

export async function run(): Promise<BenchResult[]> {
  const file = buildMbp1File(RECORDS);
  decodeOnce(buildMbp1File(200_000)); // warm-up: JIT
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  let checksum = 0;
  for (let r = 0; r < RUNS; r++) {
    const res = decodeOnce(file);
    if (res.records !== RECORDS) throw new Error(`decode.mbp1: decoded ${res.records} of ${RECORDS} records`);
    samples.push(res.mrecs);
    cpuSamples.push(res.cpuMrecs);
    checksum = res.checksum;
  }
  process.stderr.write(`decode.mbp1: checksum ${checksum.toFixed(3)}\n`);
  const mbp1 = summarize('decode.mbp1', 'Mrec/s', samples);

  const dir = mkdtempSync(path.join(tmpdir(), 'dbn-bench-'));
  try {
    const p = path.join(dir, 'mbp1.dbn');
    writeFileSync(p, file);
    const r = spawnSync(
      findPython(),
      [oracle, 'bench', p, '--chunk', String(CHUNK), '--runs', String(PYTHON_RUNS)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (r.status !== 0) throw new Error(`python bench failed: ${r.stderr}`);
    const py = JSON.parse(r.stdout) as { records: number; seconds: number[] };
    if (py.records !== RECORDS) throw new Error(`python decoded ${py.records} of ${RECORDS} records`);
    const pyMrecs = py.seconds.map((s) => RECORDS / s / 1e6);
    process.stderr.write(`decode.python: ${pyMrecs.map((x) => x.toFixed(2)).join(', ')} Mrec/s\n`);
    const ratios = pyMrecs.map((x) => mbp1.value / x);
    return [
      mbp1,
      summarize('decode.mbp1.cpu', 'Mrec/s', cpuSamples),
      summarize('decode.python_ratio', 'x', ratios, 1),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
