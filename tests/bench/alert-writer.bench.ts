// AlertWriter into a private embedded Postgres with the real schema (indexes, the alerts_publish
// NOTIFY trigger): sustained throughput when pushed as fast as it accepts, and push-to-commit
// latency per alert at a paced 5,000 alerts/s. Durable mode (every batch fsynced in the spool, with
// group commit), the writer's default options (pipelined inserts, 5 ms flush timer).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AlertWriter, createDb } from '@tradeassist/db';
import { makeAlert } from '@tradeassist/db/testing/alert-factory';
import { startScratchPostgres } from '@tradeassist/db/testing/scratch-postgres';
import pino from 'pino';

type BenchResult = { name: string; value: number; unit: string; n: number; min: number; max: number };

const RUNS = 3;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const THROUGHPUT_ALERTS = 100_000;
const PACED_RATE = 5_000;
const PACED_SECONDS = 4;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const quantile = (xs: Float64Array, q: number) => {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const figure = (name: string, unit: string, xs: number[]): BenchResult => ({
  name,
  unit,
  value: Math.round(median(xs) * 100) / 100,
  n: xs.length,
  min: Math.round(Math.min(...xs) * 100) / 100,
  max: Math.round(Math.max(...xs) * 100) / 100,
});

/** The cluster's postmaster: the parent of our backend. */
async function postmasterPid(sql: ReturnType<typeof createDb>): Promise<number> {
  const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  return Number(statFields(row!.pid)[1]);
}

/** /proc/<pid>/stat after the command name: state, ppid, ... (utime is field 11 of this list). */
function statFields(pid: number | string): string[] {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
}

/** CPU ms used so far by the postmaster and its children (backends, WAL writer, checkpointer, ...). */
function clusterCpuMs(postmaster: number): number {
  let ticks = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const f = statFields(p);
      if (Number(p) !== postmaster && Number(f[1]) !== postmaster) continue;
      // utime, stime, cutime, cstime: the cluster's exited children count too.
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

export async function run(): Promise<BenchResult[]> {
  const pg = await startScratchPostgres('bench_writer');
  const sql = createDb({ url: pg.url, max: 4, application: 'bench-writer' });
  const spoolRoot = mkdtempSync(join(tmpdir(), 'ta-bench-spool-'));
  const silent = pino({ level: 'silent' });
  let run = 0;
  const newWriter = (onCommit?: (lat: Float64Array) => void) =>
    new AlertWriter({
      sql,
      spoolDir: join(spoolRoot, String(run++)),
      logger: silent,
      capacity: 50_000,
      onCommit: (c) => c.latencyMs && onCommit?.(c.latencyMs),
    });
  try {
    // Warm-up: connections, plans, the table's first pages.
    const warm = newWriter();
    for (let i = 0; i < 20_000; i++) warm.push(makeAlert(i, 'W'));
    await warm.close();

    // The alerts are built before the clock starts: this measures the writer (queue, spool, inserts,
    // the database), not the test's alert factory (about 3 us of CPU per alert on this machine, which
    // the screener spends in its own process). CPU per alert, of this process and of every process of
    // the Postgres cluster, is reported too: unlike a rate, it hardly moves when other work shares
    // the machine, and 2 cores / (CPU per alert) bounds the rate on a quiet 2-core machine.
    const postmaster = await postmasterPid(sql);
    const rates: number[] = [];
    const cpuPerAlert: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const alerts = Array.from({ length: THROUGHPUT_ALERTS }, (_, i) => makeAlert(i, `T${r}`));
      const w = newWriter();
      const cpu0 = process.cpuUsage();
      const pg0 = clusterCpuMs(postmaster);
      const t0 = performance.now();
      for (const a of alerts) {
        while (w.push(a) === 'full') await w.drained();
      }
      await w.flush();
      rates.push(THROUGHPUT_ALERTS / ((performance.now() - t0) / 1000));
      const cpu = process.cpuUsage(cpu0);
      const pgMs = clusterCpuMs(postmaster) - pg0;
      cpuPerAlert.push((cpu.user + cpu.system + pgMs * 1000) / THROUGHPUT_ALERTS);
      await w.close();
    }

    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const lat: number[] = [];
      const w = newWriter((l) => {
        for (const x of l) lat.push(x);
      });
      // 50 alerts every 10 ms = 5,000/s, scheduled against the clock so timer drift does not lower the rate.
      const total = PACED_RATE * PACED_SECONDS;
      const t0 = performance.now();
      let i = 0;
      while (i < total) {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * PACED_RATE) + 50);
        for (; i < due; i++) w.push(makeAlert(i, `P${r}`));
        await new Promise((res) => setTimeout(res, 10));
      }
      await w.close();
      const l = Float64Array.from(lat);
      p50s.push(quantile(l, 0.5));
      p99s.push(quantile(l, 0.99));
    }
    return [
      figure('alert_writer.throughput', 'alerts/s', rates),
      figure('alert_writer.cpu_per_alert', 'us', cpuPerAlert),
      figure('alert_writer.commit_p50', 'ms', p50s),
      figure('alert_writer.commit_p99', 'ms', p99s),
    ];
  } finally {
    await sql.end({ timeout: 1 });
    await pg.stop();
    rmSync(spoolRoot, { recursive: true, force: true });
  }
}
