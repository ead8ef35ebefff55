// Simulator and replay throughput. Figures:
// - sim.generate: records/s generating the first 5 minutes after the open (10,000 names, seed 42,
//   15 minutes of pre-market before it), median of 3, per wall second and per CPU second;
// - sim.open30.*: the 30-minute open at seed 42 (`sim:42:30`), once: record count, DBN file
//   size and generation speed while writing the file;
// - replay.max: records/s replaying that file at max speed through the replay source (read, decode,
//   symbology), median of 3.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaySource } from '../../packages/market-data/src/replay/replay-source.ts';
import { createSimulator } from '../../packages/market-data/src/sim/simulator.ts';
import { type BenchResult, summarize } from './stats.ts';

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const gen: number[] = [];
  const genCpu: number[] = [];
  for (let r = 0; r < 3; r++) {
    const sim = createSimulator({ seed: 42, minutes: 5 });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    for (const b of sim.generate()) n += b.count;
    const cpu = process.cpuUsage(c0);
    gen.push(n / ((performance.now() - t0) / 1000) / 1e6);
    genCpu.push(n / ((cpu.user + cpu.system) / 1e6) / 1e6);
  }
  out.push(summarize('sim.generate', 'Mrec/s', gen));
  // Per CPU-second of this process: less sensitive to other processes sharing the cores.
  out.push(summarize('sim.generate.cpu', 'Mrec/cpu-s', genCpu));

  const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
  try {
    const path = join(dir, 'open.dbn');
    const sim = createSimulator({ seed: 42, minutes: 30 });
    const t0 = performance.now();
    const { records, bytes } = await sim.writeDbn(path);
    const sec = (performance.now() - t0) / 1000;
    out.push(summarize('sim.open30.records', 'Mrec', [records / 1e6], 3));
    out.push(summarize('sim.open30.file', 'MB', [bytes / 1e6], 1));
    out.push(summarize('sim.open30.write', 'Mrec/s', [records / sec / 1e6]));

    const rep: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t1 = performance.now();
      let n = 0;
      for await (const b of replaySource(path, { speed: 'max' }).batches()) n += b.records.count;
      if (n !== records) throw new Error(`replay read ${n} records, wrote ${records}`);
      rep.push(n / ((performance.now() - t1) / 1000) / 1e6);
    }
    out.push(summarize('replay.max', 'Mrec/s', rep));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
