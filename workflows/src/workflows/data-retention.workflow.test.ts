import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createDevServerEnv, createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PurgeInput, PurgeOutcome, RetentionActivities } from '../activities/retention.activities.ts';
import { DATA_RETENTION_SCHEDULE_ID, WORKFLOW_TYPES } from '../contract.ts';
import {
  DATA_RETENTION_TIME_ZONE,
  dataRetentionScheduleOptions,
  ensureDataRetentionSchedule,
} from './data-retention.schedule.ts';
import type { dataRetention } from './index.ts';

describe('dataRetention workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('purges alerts, then intraday bars, and returns both counts; a failed attempt resumes from its heartbeat', async () => {
    const calls: { table: string; attempt: number; details: unknown }[] = [];
    const activities: RetentionActivities = {
      async purgeOldRows({ table }: PurgeInput): Promise<PurgeOutcome> {
        const { attempt, heartbeatDetails } = Context.current().info;
        calls.push({ table, attempt, details: heartbeatDetails ?? null });
        if (table === 'alerts') return { table, olderThanDays: 30, deleted: 7, batches: 2 };
        if (attempt === 1) {
          // The worker goes away after two batches: the server keeps what it heartbeated.
          Context.current().heartbeat({ deleted: 100_000, batches: 2 });
          throw new Error('worker lost its database connection');
        }
        const done = heartbeatDetails as { deleted: number; batches: number };
        return { table, olderThanDays: 10, deleted: done.deleted + 1234, batches: done.batches + 1 };
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'retention-test',
      workflowsPath: fileURLToPath(new URL('./index.ts', import.meta.url)),
      activities,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof dataRetention>(WORKFLOW_TYPES.dataRetention, {
        taskQueue: 'retention-test',
        workflowId: 'retention-run',
      }),
    );
    expect(result).toEqual({
      alerts: { table: 'alerts', olderThanDays: 30, deleted: 7, batches: 2 },
      // 100,000 from the lost attempt + 1,234 from the retry, over 2 + 1 batches.
      intradayBars: { table: 'intraday_bars', olderThanDays: 10, deleted: 101_234, batches: 3 },
    });
    expect(calls).toEqual([
      { table: 'alerts', attempt: 1, details: null },
      { table: 'intraday_bars', attempt: 1, details: null },
      { table: 'intraday_bars', attempt: 2, details: { deleted: 100_000, batches: 2 } },
    ]);
  });
});

describe('data retention schedule', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createDevServerEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('starts dataRetention every day at 03:30 New York time, never two at once', () => {
    const o = dataRetentionScheduleOptions('queue-a');
    expect(o.scheduleId).toBe(DATA_RETENTION_SCHEDULE_ID);
    expect(o.spec.timezone).toBe(DATA_RETENTION_TIME_ZONE);
    expect(DATA_RETENTION_TIME_ZONE).toBe('America/New_York');
    // Every day: no dayOfWeek, month or day of month restriction.
    expect(o.spec.calendars).toEqual([{ hour: 3, minute: 30, comment: expect.any(String) }]);
    expect(o.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'dataRetention',
      workflowId: 'data-retention',
      taskQueue: 'queue-a',
      args: [],
    });
    expect(o.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: '30m' });
  });

  it('is created once by the worker; creating it again updates it; it fires nightly at 03:30 in New York', async () => {
    expect(await ensureDataRetentionSchedule(env.client, 'queue-a')).toBe('created');
    expect(await ensureDataRetentionSchedule(env.client, 'queue-b')).toBe('updated');
    const d = await env.client.schedule.getHandle(DATA_RETENTION_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('America/New_York');
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'dataRetention',
      taskQueue: 'queue-b',
    });
    expect(d.policies.overlap).toBe('SKIP');
    // The next runs: consecutive days at 03:30 New York (08:30 UTC in winter, 07:30 in summer).
    const ny = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const times = d.info.nextActionTimes.map((at) => ny.format(at));
    expect(times.length).toBeGreaterThan(1);
    for (const t of times) expect(t).toMatch(/, 03:30$/);
    const days = d.info.nextActionTimes.map((at) => ny.format(at).slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
    const gapsHours = d.info.nextActionTimes
      .slice(1)
      .map((at, i) => (at.getTime() - d.info.nextActionTimes[i]!.getTime()) / 3_600_000);
    // 24 hours apart (23 or 25 across a DST switch).
    for (const h of gapsHours) expect([23, 24, 25]).toContain(h);
  });
});
