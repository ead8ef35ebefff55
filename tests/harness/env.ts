// Everything the tests read from the environment, in one place. The database variables are set by
// the global setup (tests/harness/global-setup.ts) at run time, so they are read when asked for.

/** PATH for child processes that tests start with an otherwise empty environment. */
export function childPath(): string {
  return process.env.PATH ?? '';
}

/** The embedded server the global setup started (or TA_TEST_EXTERNAL_PG_URL). */
export function testServerUrl(): string | undefined {
  return process.env.TA_TEST_PG_URL;
}

/** The migrated template every test database is cloned from. */
export function templateDatabase(): string {
  return process.env.TA_TEST_TEMPLATE_DB ?? 'ta_template';
}

/** TA_WRITE_HISTORIES=1: workflow tests save their histories for the replay tests. */
export function writeHistories(): boolean {
  return process.env.TA_WRITE_HISTORIES === '1';
}
