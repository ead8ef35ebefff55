// The web process's Postgres pool: one per server process (kept on globalThis so that dev-mode
// module reloads do not open a new pool each time).
import { createDb, type Db } from '@tradeassist/db/client';
import { getEnv } from './env.ts';

const g = globalThis as { __taWebDb?: Db };

export function db(): Db {
  if (!g.__taWebDb) {
    const env = getEnv();
    g.__taWebDb = createDb({
      url: env.DATABASE_URL,
      max: env.DATABASE_POOL_MAX,
      application: 'web',
      connectTimeoutSeconds: 5,
    });
  }
  return g.__taWebDb;
}
