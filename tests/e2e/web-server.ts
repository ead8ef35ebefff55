// Starts the dashboard for a browser test: a fresh migrated database (tests/harness/db.ts) and
// `next dev` for apps/web on a free loopback port, in its own process group so that stop() leaves
// nothing behind. No Temporal and no screener: the tests write alerts to the database themselves.
// TA_E2E_NEXT=start runs `next start` instead, on the build in apps/web/.next (`npx next build`
// in apps/web first): production bundles, for the offline and performance checks.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applySeed } from '@tradeassist/db/local';
import type { Sql } from 'postgres';
import { createTestDatabase } from '../harness/db.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STARTUP_MS = 120_000;

export async function freePort(): Promise<number> {
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

export type NextMode = 'dev' | 'start';

export interface WebServer {
  url: string;
  mode: NextMode;
  sql: Sql;
  log: () => string;
  stop(): Promise<void>;
}

export interface WebServerOptions {
  /** Extra environment for the server (a passcode, a Temporal address); overrides the defaults. */
  env?: Record<string, string>;
  /** `next dev`'s build directory under apps/web (default .next/e2e); `next start` uses the build. */
  devDistDir?: string;
}

export async function startWebServer(opts: WebServerOptions = {}): Promise<WebServer> {
  const db = await createTestDatabase();
  await applySeed(db.url); // the local profile's single user, as `npm run demo` does
  const port = await freePort();
  const mode: NextMode = process.env.TA_E2E_NEXT === 'start' ? 'start' : 'dev';
  let out = '';
  const proc: ChildProcess = spawn(
    process.execPath,
    [resolve(ROOT, 'node_modules/next/dist/bin/next'), mode, '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: resolve(ROOT, 'apps/web'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TRADEASSIST_PROFILE: 'local',
        DATABASE_URL: db.url,
        // Nothing listens there: health reports workflows down quickly instead of hanging.
        TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
        LOG_LEVEL: 'warn',
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: mode === 'dev' ? 'development' : 'production',
        // Beside a developer's `next dev` (one per build directory); `next start` uses the build.
        ...(mode === 'dev' ? { TA_NEXT_DIST_DIR: opts.devDistDir ?? '.next/e2e' } : {}),
        ...opts.env,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const collect = (c: Buffer) => {
    out += c.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => {
    exitCode = c;
  });

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exitCode === undefined && proc.pid) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const killed = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (killed === 'timeout') {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await db.drop();
  };

  // Ready once the home page renders (the first request compiles it).
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`next ${mode} exited with ${exitCode} before it was up:\n${out.slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next ${mode} not up within ${STARTUP_MS} ms:\n${out.slice(-4000)}`);
    }
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, mode, sql: db.sql, log: () => out, stop };
}
