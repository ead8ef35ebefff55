// Durability: a trade survives its worker. Worker A opens the trade (journal, stop trigger,
// confirmation) and is stopped; the stop crosses while no worker runs (the screener's signal waits
// on the server); worker B, a new process-equivalent on the same Temporal dev server, picks the
// trade up where A left it: asks, closes on "yes", takes the journal note. Nothing is done twice.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { createDevServerEnv } from '@tradeassist/tests/harness/temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestWorker,
  createTrader,
  eventually,
  sentTo,
  storeInbound,
} from '../activities/trades.test-support.ts';
import {
  conversationWorkflowId,
  inboundSmsSignal,
  tradeWorkflowId,
  triggerCrossedSignal,
} from '../contract.ts';
import type { tradeLifecycle } from './trade-lifecycle.workflow.ts';

const TASK_QUEUE = 'trade-restart-test';
const PHONE = '+15555550131';

describe('tradeLifecycle across a worker restart', () => {
  const db = useTestDatabase();
  let env: TestWorkflowEnvironment;
  const workers: { worker: Worker; running: Promise<void> }[] = [];

  beforeAll(async () => {
    env = await createDevServerEnv();
  });
  afterAll(async () => {
    for (const w of workers) {
      if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
      await w.running.catch(() => {});
    }
    await env?.teardown();
  });

  async function startWorker() {
    const worker = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      sql: db.sql,
      taskQueue: TASK_QUEUE,
    });
    const entry = { worker, running: worker.run() };
    workers.push(entry);
    return entry;
  }

  const sent = (prefix: string, count = 1) =>
    eventually(async () => {
      const found = (await sentTo(db.sql, PHONE)).filter((s) => s.key.startsWith(prefix));
      return found.length >= count ? found : null;
    }, 30_000);

  it('continues the trade on a new worker with nothing lost or repeated', async () => {
    const userId = await createTrader(db.sql, PHONE);
    const a = await startWorker();

    const tradeId = randomUUID();
    await db.sql`
      insert into public.trades (id, user_id, symbol, side, quantity, entry, stop, workflow_id)
      values (${tradeId}, ${userId}, 'AAPL', 'long', 100, 150.20, 148, ${tradeWorkflowId(tradeId)})`;
    const handle = await env.client.workflow.start<typeof tradeLifecycle>('tradeLifecycle', {
      workflowId: tradeWorkflowId(tradeId),
      taskQueue: TASK_QUEUE,
      args: [{ tradeId, userId, source: 'dashboard' }],
    });
    await sent(`trade-${tradeId}-opened`);
    const [stop] = await eventually(async () => {
      const rows = await db.sql`select id from public.price_triggers where trade_id = ${tradeId} and active`;
      return rows.length === 1 ? rows : null;
    });

    // Worker A goes away mid-trade.
    a.worker.shutdown();
    await a.running;
    expect(a.worker.getState()).toBe('STOPPED');

    // The stop crosses while no worker runs: the row is marked fired and the signal waits on the server.
    await db.sql`
      update public.price_triggers set active = false, fired_at = now(), fired_price = 147.95 where id = ${stop!.id}`;
    await handle.signal(triggerCrossedSignal, {
      triggerId: String(stop!.id),
      kind: 'stop',
      level: '148',
      price: '147.95',
      tsEvent: `${Date.now()}000000`,
    });

    await startWorker();
    const [question] = await sent('question-');
    expect(question!.body).toBe('AAPL hit your stop 148.00 (last 147.95): are you out? YES or NO');

    const text = async (body: string) => {
      const m = await storeInbound(db.sql, userId, PHONE, body);
      await env.client.workflow.signalWithStart('conversation', {
        workflowId: conversationWorkflowId(PHONE),
        taskQueue: TASK_QUEUE,
        args: [{ phone: PHONE, userId }],
        signal: inboundSmsSignal,
        signalArgs: [m],
      });
    };
    await text('yes');
    await sent('question-', 2);
    await text('note: took it back too late');
    // 100 x (148 - 150.20) = -220.00; R = -220 / 220 = -1
    expect(await handle.result()).toEqual({
      status: 'closed',
      realizedPnl: '-220.00',
      rMultiple: '-1.0000',
      journalNote: true,
    });

    const kinds = (
      await db.sql`select kind from public.trade_events where trade_id = ${tradeId} order by id`
    ).map((r) => r.kind);
    expect(kinds).toEqual(['opened', 'question', 'answer', 'closed', 'result', 'question', 'answer', 'note']);
    const keys = (await sentTo(db.sql, PHONE)).map((s) => s.key);
    expect(keys.filter((k) => k === `trade-${tradeId}-opened`)).toHaveLength(1);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
