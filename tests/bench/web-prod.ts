// The dashboard as users get it, for the web benchmarks: a production build of apps/web (`next
// build`, into its own directory apps/web/.next/bench so it never races a developer's or a test's
// build) served by `next start` on a loopback port, over a private embedded Postgres. The build is
// reused when it is newer than every source file it is made from (apps/web and the workspace
// packages it compiles); otherwise it is rebuilt, once per bench run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applySeed } from '@tradeassist/db/local';
import { startScratchPostgres } from '@tradeassist/db/testing/scratch-postgres';
import postgres, { type Sql } from 'postgres';
import { freePort } from '../e2e/web-server.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WEB = join(ROOT, 'apps/web');
const NEXT = join(ROOT, 'node_modules/next/dist/bin/next');
export const DIST_DIR = '.next/bench';
const BUILD_ID = join(WEB, DIST_DIR, 'BUILD_ID');
const SOURCES = [
  join(WEB, 'app'),
  join(WEB, 'components'),
  join(WEB, 'lib'),
  join(WEB, 'public'),
  join(WEB, 'next.config.ts'),
  join(WEB, 'package.json'),
  ...['core', 'db', 'config', 'runtime', 'messaging', 'screener', 'market-data'].map((p) =>
    join(ROOT, 'packages', p, 'src'),
  ),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    m = Math.max(m, newestMtime(join(path, e)));
  }
  return m;
}

const log = (msg: string) => process.stderr.write(`bench web: ${msg}\n`);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) => {
    let out = '';
    const p = spawn(cmd, args, { cwd: WEB, env, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('exit', (code) =>
      code === 0 ? res(out) : rej(new Error(`${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`)),
    );
  });
}

const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  NEXT_TELEMETRY_DISABLED: '1',
  NODE_ENV: 'production',
  TA_NEXT_DIST_DIR: DIST_DIR,
});

let built: Promise<'reused' | 'built'> | undefined;

/** Builds apps/web into .next/bench unless a build newer than its sources is there (once per process). */
export function ensureBuild(): Promise<'reused' | 'built'> {
  built ??= (async () => {
    const id = existsSync(BUILD_ID) ? statSync(BUILD_ID).mtimeMs : 0;
    const src = Math.max(...SOURCES.map(newestMtime));
    if (id > src) {
      log(`reusing the production build in apps/web/${DIST_DIR} (newer than its sources)`);
      return 'reused';
    }
    log(`building apps/web for production into apps/web/${DIST_DIR} (next build) ...`);
    const t0 = performance.now();
    // Another bench run may be building the same directory (Next holds a lock): wait for it, then build.
    for (let attempt = 0; ; attempt++) {
      try {
        await run(process.execPath, [NEXT, 'build'], baseEnv());
        break;
      } catch (e) {
        if (attempt >= 20 || !/still in progress|is already running/i.test((e as Error).message)) throw e;
        log('another next build holds the build directory; waiting 15 s');
        await new Promise((r) => setTimeout(r, 15_000));
      }
    }
    log(`built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return 'built';
  })();
  return built;
}

export interface ProdServer {
  url: string;
  /** Superuser connection to the server's database. */
  sql: Sql;
  build: 'reused' | 'built';
  stop(): Promise<void>;
}

/** `next start` on the production build, over a fresh migrated and seeded embedded Postgres. */
export async function startProdServer(name: string): Promise<ProdServer> {
  const build = await ensureBuild();
  const pg = await startScratchPostgres(name);
  await applySeed(pg.url); // the local profile's single user, as `npm run demo` does
  const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
  const port = await freePort();
  let out = '';
  const proc: ChildProcess = spawn(process.execPath, [NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: WEB,
    env: {
      ...baseEnv(),
      TRADEASSIST_PROFILE: 'local',
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: 'warn',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-50_000)));
  proc.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-50_000)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const stop = async () => {
    if (!gone && proc.pid) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (!gone) {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await sql.end({ timeout: 2 });
    await pg.stop();
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not come up:\n${out.slice(-4000)}`);
    }
    try {
      const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) });
      if (r.status < 500 || r.status === 503) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, sql, build, stop };
}
