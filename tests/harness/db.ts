// A fresh, migrated database per test file, cloned from the template the global setup migrated, and
// dropped afterwards. Usage:
//   const db = useTestDatabase();            // registers beforeAll/afterAll
//   it('...', async () => { await db.sql`select 1`; });
import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { templateDatabase, testServerUrl } from './env.ts';

export interface TestDatabase {
  /** Superuser (bypasses RLS), like the service role's direct connection. */
  readonly sql: Sql;
  readonly url: string;
  readonly name: string;
}

function serverUrl(): string {
  const url = testServerUrl();
  if (!url)
    throw new Error('TA_TEST_PG_URL is not set: run tests through vitest (tests/harness/global-setup.ts)');
  return url;
}

export function databaseUrl(name: string): string {
  const u = new URL(serverUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new database cloned from the migrated template; `name` when a test must know it beforehand. */
export async function createTestDatabase(
  name = `t_${randomBytes(6).toString('hex')}`,
): Promise<TestDatabase & { drop(): Promise<void> }> {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${templateDatabase()}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const sql = postgres(url, { max: 5, onnotice: () => {} });
  return {
    sql,
    url,
    name,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = postgres(serverUrl(), { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

export function useTestDatabase(): TestDatabase {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  const get = () => {
    if (!db) throw new Error('test database used before beforeAll ran');
    return db;
  };
  return {
    get sql() {
      return get().sql;
    },
    get url() {
      return get().url;
    },
    get name() {
      return get().name;
    },
  };
}
