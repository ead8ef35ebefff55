import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { PushSender } from '@tradeassist/messaging/push';
import type { SmsOutbox } from '@tradeassist/messaging/twilio/outbox-types';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities, digestStarter } from '../activities/notifications.activities.ts';
import { alertNotificationWorkflowId } from '../contract.ts';
import { startAlertNotification } from '../dispatcher/start-notification.ts';
import {
  createTrader,
  insertAlert,
  type RecordingOutbox,
  recordingOutbox,
} from '../testing/notification-fixtures.ts';
import { type DigestAlertSignal, digestAlertSignal, digestWorkflowId } from './digest-contract.ts';
import type { alertDigest, alertNotification } from './index.ts';

const db = useTestDatabase();
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let queue = 0;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  bundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./index.ts', import.meta.url)) });
});
afterAll(async () => {
  await env?.teardown();
});

const okPush: PushSender = { send: async () => ({ outcome: 'sent', statusCode: 201, messageId: null }) };

async function withWorker<T>(outbox: SmsOutbox, run: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `notify-${++queue}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createNotificationActivities({
      sql: db.sql as never,
      outbox,
      push: okPush,
      startDigest: digestStarter(env.client, taskQueue),
    }),
  });
  return worker.runUntil(run(taskQueue));
}

const notify = (taskQueue: string, alertId: string) =>
  env.client.workflow.execute<typeof alertNotification>('alertNotification', {
    taskQueue,
    workflowId: alertNotificationWorkflowId(alertId),
    args: [{ alertId }],
  });

describe('alertNotification workflow', () => {
  it('sends the SMS and the push the policy chose and records them', async () => {
    const outbox = recordingOutbox();
    const trader = await createTrader(db.sql, { watch: ['NVDA'], pushEndpoints: ['https://push.example/1'] });
    const alertId = await insertAlert(db.sql, { symbol: 'NVDA' });
    const result = await withWorker(outbox, (q) => notify(q, alertId));
    expect(result).toEqual({ planned: 2, sms: 1, digested: 0, push: 1, failed: 0 });
    expect(outbox.delivered.map((m) => m.idempotencyKey)).toEqual([`alert-${alertId}-${trader.id}`]);
    const rows =
      await db.sql`select channel, status from public.alert_deliveries where alert_id = ${alertId} order by channel`;
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['push', 'sent'],
      ['sms', 'queued'],
    ]);
  });

  it('sends no second SMS when the activity fails after the message went out', async () => {
    const inner = recordingOutbox();
    let calls = 0;
    // The provider took the message, then the worker lost the answer (a crash, a reset connection).
    const flaky: SmsOutbox = {
      async send(m) {
        calls++;
        const r = await inner.send(m);
        if (calls === 1) throw new Error('connection reset after the send');
        return r;
      },
    };
    const trader = await createTrader(db.sql, { watch: ['AMD'], channels: { default: ['sms'] } });
    const alertId = await insertAlert(db.sql, { symbol: 'AMD' });
    const result = await withWorker(flaky, (q) => notify(q, alertId));
    expect(calls).toBe(2);
    expect(inner.delivered).toHaveLength(1);
    expect(inner.delivered[0]?.idempotencyKey).toBe(`alert-${alertId}-${trader.id}`);
    expect(result).toMatchObject({ sms: 1, failed: 0 });
    const [row] =
      await db.sql`select status, provider_id from public.alert_deliveries where alert_id = ${alertId}`;
    expect(row?.status).toBe('queued');
    expect(row?.provider_id).toMatch(/^SM/);
  });

  it("the dispatcher's start is refused for an alert already handled: one workflow per alert", async () => {
    const outbox = recordingOutbox();
    await createTrader(db.sql, { watch: ['INTC'], channels: { default: ['sms'] } });
    const alertId = await insertAlert(db.sql, { symbol: 'INTC' });
    await withWorker(outbox, async (q) => {
      expect(await startAlertNotification(env.client, q, alertId)).toBe('started');
      await env.client.workflow.getHandle(alertNotificationWorkflowId(alertId)).result();
      // Even after the first run completed.
      expect(await startAlertNotification(env.client, q, alertId)).toBe('duplicate');
    });
    expect(outbox.delivered).toHaveLength(1);
  });
});

describe('alertDigest workflow', () => {
  it('turns a burst into one SMS alone and one digest of the rest, after the window', async () => {
    const outbox: RecordingOutbox = recordingOutbox();
    const trader = await createTrader(db.sql, { watch: ['TSLA', 'AAPL'], channels: { default: ['sms'] } });
    const ids = [
      await insertAlert(db.sql, { symbol: 'TSLA' }),
      await insertAlert(db.sql, { symbol: 'AAPL', type: 'momentum_up' }),
      await insertAlert(db.sql, { symbol: 'TSLA', type: 'new_high_of_day', score: 0.9 }),
    ];
    // A plain client does not let the test server skip time while it waits, so the burst's three
    // notifications all land inside the digest window, as they would in a real burst.
    const plain = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    const digest = await withWorker(outbox, async (q) => {
      for (const id of ids) {
        await plain.workflow.execute('alertNotification', {
          taskQueue: q,
          workflowId: alertNotificationWorkflowId(id),
          args: [{ alertId: id }],
        });
      }
      // The digest workflow waits its 60 s window on a Temporal timer (skipped by the test server).
      return env.client.workflow.getHandle<typeof alertDigest>(digestWorkflowId(trader.id)).result();
    });
    expect(digest).toEqual({ messages: 1, alerts: 2 });
    expect(outbox.delivered.map((m) => m.idempotencyKey)).toEqual([
      `alert-${ids[0]}-${trader.id}`,
      `digest-${trader.id}-${ids[1]}`,
    ]);
    expect(outbox.delivered[1]?.body).toBe(
      '2 alerts: TSLA new HOD +6.0% 482.15; AAPL momentum up +6.0% 482.15',
    );
    // The recorded histories replay on the same code without non-determinism (timers, signals).
    for (const id of [digestWorkflowId(trader.id), alertNotificationWorkflowId(ids[1]!)]) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: bundle }, history, id);
    }
    const rows = await db.sql`select alert_id, digest_key from public.alert_deliveries
                              where user_id = ${trader.id} order by alert_id`;
    expect(rows.map((r) => r.digest_key)).toEqual([
      null,
      `digest-${trader.id}-${ids[1]}`,
      `digest-${trader.id}-${ids[1]}`,
    ]);
  });
});

describe('alertDigest rounds', () => {
  it('sends alerts signalled while a digest message was going out in one more message', async () => {
    const userId = '00000000-0000-4000-8000-00000000d1a1';
    const calls: string[][] = [];
    const taskQueue = `digest-rounds-${++queue}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: {
        // While the first message is being sent, one more alert arrives for the same trader.
        async sendDigestSms(input: { userId: string; alertIds: string[] }) {
          calls.push(input.alertIds);
          if (calls.length === 1) {
            await env.client.workflow
              .getHandle(digestWorkflowId(userId))
              .signal(digestAlertSignal, { alertId: '30' });
          }
          return { status: 'queued' as const, duplicate: false };
        },
      },
    });
    const result = await worker.runUntil(async () => {
      await env.client.workflow.signalWithStart<typeof alertDigest, [DigestAlertSignal]>('alertDigest', {
        workflowId: digestWorkflowId(userId),
        taskQueue,
        args: [{ userId }],
        signal: digestAlertSignal,
        signalArgs: [{ alertId: '10' }],
      });
      const handle = env.client.workflow.getHandle<typeof alertDigest>(digestWorkflowId(userId));
      // A re-delivered signal for an alert already collected adds nothing.
      await handle.signal(digestAlertSignal, { alertId: '10' });
      await handle.signal(digestAlertSignal, { alertId: '20' });
      return handle.result();
    });
    expect(calls).toEqual([['10', '20'], ['30']]);
    expect(result).toEqual({ messages: 2, alerts: 3 });
  });
});
