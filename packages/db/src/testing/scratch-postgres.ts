// Benchmark/fault support: a private embedded Postgres in a temp directory with one migrated
// database, removed again by stop().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { prepareDatabase } from '../local/bootstrap.ts';
import { startEmbeddedPostgres } from '../local/embedded-postgres.ts';

export interface ScratchPostgres {
  /** Superuser URL of the migrated database. */
  url: string;
  stop(): Promise<void>;
}

export async function startScratchPostgres(name = 'bench'): Promise<ScratchPostgres> {
  const tmp = mkdtempSync(join(tmpdir(), `ta-${name}-`));
  const pg = await startEmbeddedPostgres({ dataDir: join(tmp, 'data'), persistent: false });
  try {
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = pg.urlFor(name);
    await prepareDatabase(url);
    return {
      url,
      async stop() {
        await pg.stop();
        rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
