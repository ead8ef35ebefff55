// Fault: the screener process is killed (SIGKILL: no handler, no flush) while its AlertWriter has
// batches in flight. Accepted-durably means: the child printed `durable D` (onDurable) before it
// died, so alerts 0..D-1 were committed or fsynced in the spool. After a restart (which replays the
// spool first) each of them is in `alerts` exactly once; nothing outside 0..N-1 appears; the spool
// is empty. Alerts pushed but not yet reported durable may or may not be there (at most once).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, describe, expect, it } from 'vitest';

const db = useTestDatabase();
const CHILD = fileURLToPath(new URL('./fixtures/writer-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function runChild(args: string[], onLine: (line: string, child: ChildProcess) => void) {
  // node itself with tsx's loader: one process, so SIGKILL hits the writer (the tsx CLI would be a
  // wrapper whose child survives it).
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      onLine(buf.slice(0, nl), child);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

describe.each([
  { durable: true, prefix: 'KD' },
  { durable: false, prefix: 'KN' },
])('kill -9 of a writer process mid-stream (durable: $durable)', ({ durable, prefix }) => {
  it('keeps every durably accepted alert, exactly once, after restart', async () => {
    const N = 40_000;
    const spool = mkdtempSync(join(tmpdir(), 'ta-kill-'));
    dirs.push(spool);
    let durableSeq = 0;
    let killedAt = 0;
    const first = await runChild([db.url, spool, String(N), prefix, durable ? '1' : '0'], (line, child) => {
      const m = /^durable (\d+)$/.exec(line);
      if (!m) return;
      durableSeq = Math.max(durableSeq, Number(m[1]));
      // Well into the stream, with batches queued and in flight behind this one.
      if (!killedAt && durableSeq >= 10_000) {
        killedAt = durableSeq;
        child.kill('SIGKILL');
      }
    });
    expect(first.signal, first.stderr).toBe('SIGKILL');
    expect(durableSeq).toBeGreaterThanOrEqual(10_000);
    expect(durableSeq).toBeLessThan(N); // it really died mid-stream

    const second = await runChild([db.url, spool, '0', prefix, durable ? '1' : '0'], () => {});
    expect(second.code, second.stderr).toBe(0);

    const rows = await db.sql<{ i: number }[]>`
      select (details->>'i')::int as i from alerts where dedupe_key like ${`${prefix}:%`} order by 1`;
    const present = rows.map((r) => r.i);
    expect(new Set(present).size).toBe(present.length); // no duplicate
    expect(present.every((i) => i >= 0 && i < N)).toBe(true);
    // Every alert 0..D-1 is there: the durable ones form a prefix of the stream.
    const have = new Set(present);
    const missing: number[] = [];
    for (let i = 0; i < durableSeq; i++) if (!have.has(i)) missing.push(i);
    expect(missing).toEqual([]);
    expect(readdirSync(spool).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  });
});
