import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertNotificationWorkflowId } from '../contract.ts';
import { createTrader, insertAlert } from '../testing/notification-fixtures.ts';
import { type AlertDispatcher, startAlertDispatcher } from './alert-dispatcher.ts';
import { startAlertNotification } from './start-notification.ts';

const db = useTestDatabase();
const logger = pino({ level: 'silent' });
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Real Temporal starts (no worker: the workflows just wait), with every outcome recorded. */
function recorder(taskQueue: string) {
  const outcomes = new Map<string, string[]>();
  return {
    outcomes,
    started: () => [...outcomes].filter(([, r]) => r.includes('started')).map(([id]) => id),
    start: async (alertId: string) => {
      const r = await startAlertNotification(env.client, taskQueue, alertId);
      outcomes.set(alertId, [...(outcomes.get(alertId) ?? []), r]);
      return r;
    },
  };
}

const dispatcher = (
  start: (id: string) => Promise<'started' | 'duplicate'>,
  settleMs = 50,
): AlertDispatcher =>
  startAlertDispatcher({
    sql: db.sql as never,
    listenUrl: db.url,
    pushEnabled: true,
    start,
    logger,
    settleMs,
    pollMs: 100,
    chunk: 1000,
  });

const waitFor = async (check: () => boolean | Promise<boolean>, what: string) => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('alert dispatcher', () => {
  it('starts one workflow per wanted alert across a restart mid-stream, none for unwatched symbols', async () => {
    const rec = recorder('dispatch-a');
    // An alert from before the first start is history, not news.
    await insertAlert(db.sql, { symbol: 'NVDA' });
    await createTrader(db.sql, { watch: ['NVDA'], channels: { default: ['sms'] } });
    // None of these can be reached for AMD: web only, push without a subscription, SMS not opted in,
    // and a score filter above every alert's 0.8.
    await createTrader(db.sql, { watch: ['AMD'], channels: { default: ['web'] } });
    await createTrader(db.sql, { watch: ['AMD'], channels: { default: ['web', 'push'] } });
    await createTrader(db.sql, { watch: ['AMD'], optIn: 'pending' });
    await createTrader(db.sql, { watch: ['AMD'], minScore: 0.9, pushEndpoints: ['https://push.example/x'] });
    const owner = await createTrader(db.sql, { channels: { default: ['web'] } });
    const [smsRule] = await db.sql<
      { id: string }[]
    >`insert into public.rules (user_id, name, definition, channels)
      values (${owner.id}, 'sms rule', '{}', array['web', 'sms']) returning id`;
    const [webRule] = await db.sql<
      { id: string }[]
    >`insert into public.rules (user_id, name, definition, channels)
      values (${owner.id}, 'web rule', '{}', array['web']) returning id`;

    let d = dispatcher(rec.start);
    await d.ready;
    const wanted: string[] = [];
    const insertBatch = async (n: number) => {
      for (let i = 0; i < n; i++) {
        wanted.push(await insertAlert(db.sql, { symbol: 'NVDA' }));
        await insertAlert(db.sql, { symbol: 'AMD' });
        await insertAlert(db.sql, { symbol: `Z${i}` });
      }
    };
    await insertBatch(10);
    wanted.push(await insertAlert(db.sql, { symbol: 'QQQ', type: 'rule', ruleId: smsRule!.id }));
    await insertAlert(db.sql, { symbol: 'QQQ', type: 'rule', ruleId: webRule!.id });
    await createTrader(db.sql, {
      watch: ['PUSH'],
      channels: { default: ['push'] },
      pushEndpoints: ['https://push.example/p'],
    });
    wanted.push(await insertAlert(db.sql, { symbol: 'PUSH' }));
    await waitFor(() => rec.started().length >= 5, 'the first live dispatches');
    // The worker restarts while alerts keep coming.
    await d.stop();
    await insertBatch(10);
    d = dispatcher(rec.start);
    await d.ready;
    await insertBatch(5);
    await waitFor(() => rec.started().length === wanted.length, 'every wanted alert');
    await d.flush();

    expect(rec.started().sort()).toEqual([...wanted].sort());
    for (const [id, results] of rec.outcomes) {
      expect(
        results.filter((r) => r === 'started'),
        `alert ${id}`,
      ).toHaveLength(1);
    }
    // And the server holds exactly those workflows.
    for (const id of wanted) {
      const desc = await env.client.workflow.getHandle(alertNotificationWorkflowId(id)).describe();
      expect(desc.type).toBe('alertNotification');
    }
    // Once settled, the durable cursor reaches the end of the table.
    const [max] = await db.sql`select max(id)::text as id from public.alerts`;
    await waitFor(async () => {
      await d.flush();
      return d.position.durable === max?.id;
    }, 'the cursor to settle');
    const [cursor] = await db.sql`select last_alert_id::text as id from public.notification_cursors`;
    expect(cursor?.id).toBe(max?.id);
    await d.stop();
  });

  it('catches an alert whose transaction commits after a later one was dispatched', async () => {
    const rec = recorder('dispatch-b');
    await createTrader(db.sql, { watch: ['LATE'], channels: { default: ['push', 'sms'] } });
    const d = dispatcher(rec.start, 300);
    await d.ready;
    // A slow writer takes an id first and commits last.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let lateId = '';
    const slow = db.sql.begin(async (tx) => {
      lateId = await insertAlert(tx as never, { symbol: 'LATE' });
      await held;
    });
    await waitFor(() => lateId !== '', 'the slow insert');
    const early = await insertAlert(db.sql, { symbol: 'LATE' });
    await waitFor(() => rec.started().includes(early), 'the later alert');
    expect(BigInt(d.position.scanned)).toBeGreaterThanOrEqual(BigInt(early));
    release();
    await slow;
    await waitFor(() => rec.started().includes(lateId), 'the late-committed alert');
    expect(rec.outcomes.get(lateId)).toEqual(['started']);
    await d.stop();
  });

  it('filters market noise in SQL: a pass over 200,000 unwatched alerts starts nothing', async () => {
    const rec = recorder('dispatch-c');
    await createTrader(db.sql, { watch: ['KEEP'], channels: { default: ['sms'] } });
    const d = dispatcher(rec.start);
    await d.ready;
    await d.stop(); // passes run by hand below
    await db.sql`
      insert into public.alerts (symbol, type, ts_event, price, session, score, dedupe_key)
      select 'N' || (g % 9000), 'volume_spike', 1700577000000000000 + g, 10.5, 'regular', 0.9, 'noise:' || g
      from generate_series(1, 200000) g`;
    const runner = startAlertDispatcher({
      sql: db.sql as never,
      listenUrl: db.url,
      pushEnabled: true,
      start: rec.start,
      logger,
      pollMs: 60_000,
    });
    const t0 = performance.now();
    await runner.ready; // its first pass covers the 200,000 rows
    const ms = performance.now() - t0;
    await runner.stop();
    expect(rec.outcomes.size).toBe(0);
    console.log(
      JSON.stringify({
        name: 'dispatcher.filter',
        value: Math.round(200_000 / (ms / 1000)),
        unit: 'alerts/s',
        ms: Math.round(ms),
      }),
    );
  });
});
