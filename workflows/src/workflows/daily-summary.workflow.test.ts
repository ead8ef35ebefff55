import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { createDevServerEnv, createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummaryActivities } from '../activities/summary.activities.ts';
import { DAILY_SUMMARY_SCHEDULE_ID } from '../contract.ts';
import { createTrader, recordingOutbox } from '../testing/notification-fixtures.ts';
import { ensureDailySummarySchedule } from './daily-summary.schedule.ts';
import type { dailySummary } from './index.ts';

const db = useTestDatabase();

describe('dailySummary workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('skips exchange holidays and weekends, and sends each opted-in trader their day once', async () => {
    const outbox = recordingOutbox();
    const trader = await createTrader(db.sql);
    await createTrader(db.sql, { optIn: 'opted_out' });
    await db.sql`
      insert into public.trades (user_id, symbol, side, quantity, entry, status, opened_at, closed_at, exit_price, realized_pnl)
      values (${trader.id}, 'NVDA', 'long', 10, 100, 'closed', '2026-11-20T15:00:00Z', '2026-11-20T16:00:00Z', 101.5, 15)`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'summary-test',
      workflowsPath: fileURLToPath(new URL('./index.ts', import.meta.url)),
      activities: createSummaryActivities({ sql: db.sql as never, outbox }),
    });
    const run = (date: string, id: string) =>
      env.client.workflow.execute<typeof dailySummary>('dailySummary', {
        taskQueue: 'summary-test',
        workflowId: id,
        args: [{ date }],
      });
    const results = await worker.runUntil(async () => ({
      // Thanksgiving 2026 is Thursday 2026-11-26: the schedule fires, the workflow sends nothing.
      holiday: await run('2026-11-26', 'sum-holiday'),
      weekend: await run('2026-11-21', 'sum-weekend'),
      friday: await run('2026-11-20', 'sum-friday'),
      again: await run('2026-11-20', 'sum-friday-again'),
    }));
    expect(results.holiday).toEqual({
      date: '2026-11-26',
      skipped: 'Thanksgiving Day',
      recipients: 0,
      sent: 0,
      failed: 0,
    });
    expect(results.weekend).toMatchObject({ skipped: 'weekend', sent: 0 });
    expect(results.friday).toEqual({ date: '2026-11-20', skipped: null, recipients: 1, sent: 1, failed: 0 });
    // A second run of the same day (a manual re-trigger) sends nothing new.
    expect(results.again).toMatchObject({ recipients: 1, sent: 0 });
    expect(outbox.delivered.map((m) => [m.idempotencyKey, m.body])).toEqual([
      [`summary-2026-11-20-${trader.id}`, '2026-11-20: P&L +$15.00, 1 opened, 1 closed, win 100%.'],
    ]);
  });
});

describe('daily summary schedule', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createDevServerEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('is created once at 16:10 New York, Monday to Friday; creating it again updates it', async () => {
    expect(await ensureDailySummarySchedule(env.client, 'queue-a')).toBe('created');
    expect(await ensureDailySummarySchedule(env.client, 'queue-b')).toBe('updated');
    const d = await env.client.schedule.getHandle(DAILY_SUMMARY_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('America/New_York');
    expect(d.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 16, end: 16, step: 1 }],
      minute: [{ start: 10, end: 10, step: 1 }],
      dayOfWeek: [
        { start: 'MONDAY', end: 'MONDAY', step: 1 },
        { start: 'TUESDAY', end: 'TUESDAY', step: 1 },
        { start: 'WEDNESDAY', end: 'WEDNESDAY', step: 1 },
        { start: 'THURSDAY', end: 'THURSDAY', step: 1 },
        { start: 'FRIDAY', end: 'FRIDAY', step: 1 },
      ],
    });
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'dailySummary',
      taskQueue: 'queue-b',
    });
    expect(d.policies.overlap).toBe('SKIP');
    // The next runs are weekday afternoons at 16:10 in New York (21:10 UTC in winter, 20:10 in summer).
    for (const at of d.info.nextActionTimes) {
      const ny = new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(at);
      expect(ny).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 16:10$/);
    }
    expect(d.info.nextActionTimes.length).toBeGreaterThan(0);
  });
});
