// Vitest global setup: one embedded PostgreSQL for the whole run, with a migrated template database
// from which each test file clones its own (tests/harness/db.ts). Every project's global setup runs
// in the main process, so the first one starts the server and the others reuse it via process.env.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabase, startEmbeddedPostgres } from '@tradeassist/db/local';
import postgres from 'postgres';

export const TEMPLATE_DB = 'ta_template';

let owner = false;
let stopServer: (() => Promise<void>) | undefined;
let tmp: string | undefined;

export async function setup(): Promise<void> {
  if (process.env.TA_TEST_PG_URL) return;
  owner = true;
  if (process.env.TA_TEST_EXTERNAL_PG_URL) {
    // An already running server (e.g. a developer's); we still own a fresh template on it.
    process.env.TA_TEST_PG_URL = process.env.TA_TEST_EXTERNAL_PG_URL;
  } else {
    tmp = mkdtempSync(join(tmpdir(), 'ta-test-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: join(tmp, 'data'), persistent: false });
    stopServer = pg.stop;
    process.env.TA_TEST_PG_URL = pg.url;
  }
  const admin = postgres(process.env.TA_TEST_PG_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(process.env.TA_TEST_PG_URL, TEMPLATE_DB);
  await prepareDatabase(templateUrl);
  process.env.TA_TEST_TEMPLATE_DB = TEMPLATE_DB;
}

export async function teardown(): Promise<void> {
  if (!owner) return;
  owner = false;
  await stopServer?.();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  delete process.env.TA_TEST_PG_URL;
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
