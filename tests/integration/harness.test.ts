// The harness itself: a real PostgreSQL with the migrations applied, and a Temporal time-skipping
// server on which a workflow sleeping a whole day completes in seconds of wall time.
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness/db.ts';
import { createTimeSkippingEnv } from '../harness/temporal.ts';

describe('embedded PostgreSQL', () => {
  const db = useTestDatabase();
  it('is a real, migrated PostgreSQL that looks like Supabase', async () => {
    const [row] = await db.sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
    expect(Number(row?.v)).toBeGreaterThanOrEqual(150000);
    const applied = await db.sql`select version from supabase_migrations.schema_migrations`;
    expect(applied.length).toBeGreaterThan(0);
    const roles =
      await db.sql`select rolname from pg_roles where rolname in ('anon','authenticated','service_role')`;
    expect(roles.map((r) => r.rolname).sort()).toEqual(['anon', 'authenticated', 'service_role']);
    const uid = '11111111-1111-1111-1111-111111111111';
    const [claims] = await db.sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: uid, role: 'authenticated' })}, true)`;
      return tx<{ who: string }[]>`select auth.uid() as who`;
    });
    expect(claims?.who).toBe(uid);
  });
});

describe('Temporal time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow with a one-day timer in seconds', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'harness',
      workflowsPath: fileURLToPath(new URL('./fixtures/sleepy.workflow.ts', import.meta.url)),
    });
    const started = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute('sleepForADay', { taskQueue: 'harness', workflowId: 'sleepy-1' }),
    );
    // The workflow's own clock moved a day (86,400,000 ms) while the wall clock moved seconds.
    expect(result.sleptMs).toBeGreaterThanOrEqual(86_400_000);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
