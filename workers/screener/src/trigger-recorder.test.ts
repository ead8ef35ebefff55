// The screener's trade-workflow signal: it reaches the trade's workflow (triggerCrossed with the
// fired trigger), gives up quietly when Temporal is unreachable (the workflow's own check finds the
// cross later), and the recorder never waits for it before the next write.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import { tradeWorkflowId } from '@tradeassist/workflows/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalTradeSignal, type FiredTrigger, TriggerRecorder } from './trigger-recorder.ts';

const logger = pino({ level: 'silent' });
const event = (id: string, tradeId: string) => ({
  id,
  tradeId,
  symbol: 'AAPL',
  direction: 'below' as const,
  level: '148',
  price: '147.95',
  ts_event: '1795446000123456000',
});

describe('createTemporalTradeSignal', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('signals triggerCrossed to trade-<trade id>', async () => {
    // A stand-in workflow of the trade's id that returns the first triggerCrossed it gets.
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'trigger-signal-test',
      workflowsPath: fileURLToPath(new URL('./trigger-recorder.test-workflow.ts', import.meta.url)),
    });
    const tradeId = randomUUID();
    const fired: FiredTrigger = { id: randomUUID(), trade_id: tradeId, user_id: randomUUID(), kind: 'stop' };
    const signal = createTemporalTradeSignal({
      temporal: { address: env.address, namespace: 'default' },
      logger,
    });
    try {
      const received = await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('firstCross', {
          workflowId: tradeWorkflowId(tradeId),
          taskQueue: 'trigger-signal-test',
        });
        await signal.signal(fired, event(fired.id, tradeId));
        return handle.result();
      });
      expect(received).toEqual({
        triggerId: fired.id,
        kind: 'stop',
        level: '148',
        price: '147.95',
        tsEvent: '1795446000123456000',
      });
    } finally {
      await signal.close();
    }
  });

  it('gives up without throwing when the trade has no workflow or Temporal is unreachable', async () => {
    const fired: FiredTrigger = {
      id: randomUUID(),
      trade_id: randomUUID(),
      user_id: randomUUID(),
      kind: 'stop',
    };
    const reachable = createTemporalTradeSignal({
      temporal: { address: env.address, namespace: 'default' },
      logger,
    });
    await expect(reachable.signal(fired, event(fired.id, fired.trade_id!))).resolves.toBeUndefined();
    await reachable.close();

    const away = createTemporalTradeSignal({
      temporal: { address: '127.0.0.1:1', namespace: 'default' },
      logger,
      attempts: 3,
      firstRetryMs: 10,
      connectTimeoutMs: 500,
    });
    const started = Date.now();
    await expect(away.signal(fired, event(fired.id, fired.trade_id!))).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    await away.close();
  });
});

describe('TriggerRecorder with a slow signal', () => {
  const db = useTestDatabase();

  it('records the next fire without waiting for the previous signal', async () => {
    const user = randomUUID();
    await db.sql`insert into auth.users (id) values (${user})`;
    const [trade] = await db.sql`
      insert into public.trades (user_id, symbol, side, quantity, entry) values (${user}, 'AAPL', 'long', 100, 150.2)
      returning id`;
    const triggers = await db.sql`
      insert into public.price_triggers (trade_id, user_id, symbol, level, direction, kind)
      values (${trade!.id}, ${user}, 'AAPL', 148, 'below', 'stop'), (${trade!.id}, ${user}, 'AAPL', 155, 'above', 'target')
      returning id`;
    let released: () => void = () => {};
    const signalled: string[] = [];
    const recorder = new TriggerRecorder(db.sql, logger, async (t) => {
      signalled.push(t.id);
      await new Promise<void>((r) => {
        released = r;
      }); // Temporal hangs
    });
    recorder.record(event(String(triggers[0]!.id), String(trade!.id)));
    recorder.record({
      ...event(String(triggers[1]!.id), String(trade!.id)),
      direction: 'above',
      level: '155',
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const fired =
        await db.sql`select 1 from public.price_triggers where trade_id = ${trade!.id} and fired_at is not null`;
      if (fired.length === 2) break;
      if (Date.now() > deadline)
        throw new Error('the second fire was not recorded while the first signal hung');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(signalled).toHaveLength(2);
    released();
    await recorder.close(1_000);
  });
});
