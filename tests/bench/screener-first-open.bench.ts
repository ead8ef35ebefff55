// The first open of a fresh screener process: the same market and pipeline as screener.bench.ts, run
// once in a new process (screener-first-open.child.ts), so the regular session's code is new to V8.
//
//   screener.first_open_tick_to_alert_p99_ms       after the worker's warm-up (warm-up.ts), as the
//                                                  worker starts. Goal <= 1, like tick-to-alert.
//   screener.first_open_unwarmed_tick_to_alert_p99_ms  the same without the warm-up: what it saves.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchResult, summarize } from './stats.ts';

const CHILD = fileURLToPath(new URL('./screener-first-open.child.ts', import.meta.url));
const RUNS = 3;

function firstOpen(warm: boolean): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, WARM: warm ? '1' : '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as { p99: number; alerts: number };
  if (r.alerts === 0) throw new Error('first open: no alerts');
  return r.p99;
}

export async function run(): Promise<BenchResult[]> {
  const warm: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    warm.push(firstOpen(true));
    cold.push(firstOpen(false));
  }
  return [
    summarize('screener.first_open_tick_to_alert_p99_ms', 'ms', warm, 3),
    summarize('screener.first_open_unwarmed_tick_to_alert_p99_ms', 'ms', cold, 3),
  ];
}
