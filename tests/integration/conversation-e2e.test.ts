// End to end through the real parts: embedded Postgres (the product schema), a Temporal dev
// server, a Worker with every workflow and the real conversation/trade activity factories, and the
// screener's TriggerRecorder with its real Temporal signal. SMS go through the real SmsOutbox
// (packages/messaging/src/twilio) with the dev phone's sender: stored, never sent off the machine.
//
// "took AAPL 150.20 stop 148" -> "100" -> trade row + trade-<id> workflow + stop trigger ->
// the stop crosses at 147.95 -> "are you out?" -> "yes" -> closed at 148:
//   P&L = 100 x (148 - 150.20) = -220.00; R = -220 / (2.20 x 100) = -1.00
// -> journal note asked -> "note: chased the open" -> recorded, workflow completed.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createLogger } from '@tradeassist/runtime/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporalTradeSignal,
  type TemporalTradeSignal,
  TriggerRecorder,
} from '../../workers/screener/src/trigger-recorder.ts';
import {
  createTestWorker,
  createTrader,
  eventually,
  sentTo,
  storeInbound,
} from '../../workflows/src/activities/trades.test-support.ts';
import { conversationWorkflowId, inboundSmsSignal, tradeWorkflowId } from '../../workflows/src/contract.ts';
import { useTestDatabase } from '../harness/db.ts';
import { createDevServerEnv } from '../harness/temporal.ts';

const TASK_QUEUE = 'conversation-e2e';
const PHONE = '+15555550150';

describe('SMS conversation to a closed, journaled trade (Postgres + Temporal dev server + worker)', () => {
  const db = useTestDatabase();
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let signal: TemporalTradeSignal;
  let recorder: TriggerRecorder;
  let userId: string;
  const logger = createLogger({ component: 'conversation-e2e', level: 'warn' });

  beforeAll(async () => {
    env = await createDevServerEnv();
    userId = await createTrader(db.sql, PHONE);
    worker = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      sql: db.sql,
      taskQueue: TASK_QUEUE,
    });
    running = worker.run();
    // The screener's side, as main.ts builds it (its own connection to the server's address).
    signal = createTemporalTradeSignal({ temporal: { address: env.address, namespace: 'default' }, logger });
    recorder = new TriggerRecorder(db.sql, logger, signal.signal);
  });
  afterAll(async () => {
    await recorder?.close(1_000);
    await signal?.close();
    worker?.shutdown();
    await running?.catch(() => {});
    await env?.teardown();
  });

  /** As the webhook does it: store the inbound row, then signal-with-start the conversation. */
  async function text(body: string) {
    const m = await storeInbound(db.sql, userId, PHONE, body);
    await env.client.workflow.signalWithStart('conversation', {
      workflowId: conversationWorkflowId(PHONE),
      taskQueue: TASK_QUEUE,
      args: [{ phone: PHONE, userId }],
      signal: inboundSmsSignal,
      signalArgs: [m],
    });
    return m;
  }
  const sent = (prefix: string, count = 1) =>
    eventually(async () => {
      const found = (await sentTo(db.sql, PHONE)).filter((s) => s.key.startsWith(prefix));
      return found.length >= count ? found.at(-1)!.body : null;
    }, 30_000);

  it('opens, watches the stop, asks on the cross, closes with P&L and R, and journals the note', async () => {
    const took = await text('took AAPL 150.20 stop 148');
    expect(await sent(`reply-${took.messageId}`)).toBe('How many shares of AAPL?');
    await text('100');

    const trade = await eventually(
      async () => (await db.sql`select * from public.trades where user_id = ${userId}`)[0],
    );
    expect(trade).toMatchObject({
      symbol: 'AAPL',
      side: 'long',
      status: 'open',
      quantity: '100.000000',
      stop: '148.000000000',
    });
    expect(await sent(`trade-${trade.id}-opened`)).toBe(
      "Long AAPL 100 @ 150.20, stop 148.00, risk 2.20/sh ($220.00). Reply 'target 154.6' to add a target.",
    );
    const description = await env.client.workflow.getHandle(tradeWorkflowId(trade.id)).describe();
    expect(description.status.name).toBe('RUNNING');
    const stop = await eventually(
      async () =>
        (
          await db.sql`select id, symbol, level::text, direction from public.price_triggers
                        where trade_id = ${trade.id} and kind = 'stop' and active`
        )[0],
    );
    expect(stop).toMatchObject({ symbol: 'AAPL', level: '148.000000000', direction: 'below' });

    // The screener sees a print at 147.95 and records the cross (row fired, journal, signal).
    recorder.record({
      id: String(stop.id),
      tradeId: String(trade.id),
      symbol: 'AAPL',
      direction: 'below',
      level: '148',
      price: '147.95',
      ts_event: `${Date.now()}000000`,
    });
    expect(await sent('question-')).toBe('AAPL hit your stop 148.00 (last 147.95): are you out? YES or NO');
    const [fired] =
      await db.sql`select active, fired_price::text from public.price_triggers where id = ${stop.id}`;
    expect(fired).toEqual({ active: false, fired_price: '147.950000000' });

    await text('yes');
    expect(await sent('question-', 2)).toBe(
      "AAPL closed @ 148.00: -220.00 (-1.00R). Any note for the journal? Reply 'note: ...'",
    );
    const [closed] = await db.sql`
      select status, exit_price::text, realized_pnl::text, r_multiple::text from public.trades where id = ${trade.id}`;
    expect(closed).toEqual({
      status: 'closed',
      exit_price: '148.000000000',
      realized_pnl: '-220.000000000',
      r_multiple: '-1.0000',
    });

    await text('note: chased the open');
    const result = await env.client.workflow.getHandle(tradeWorkflowId(trade.id)).result();
    expect(result).toEqual({
      status: 'closed',
      realizedPnl: '-220.00',
      rMultiple: '-1.0000',
      journalNote: true,
    });
    const events =
      await db.sql`select kind, data from public.trade_events where trade_id = ${trade.id} order by id`;
    expect(events.map((e) => e.kind)).toEqual([
      'opened',
      'trigger_fired',
      'question',
      'answer',
      'closed',
      'result',
      'question',
      'answer',
      'note',
    ]);
    expect(events.at(-1)!.data).toMatchObject({ text: 'chased the open' });
    const [row] = await db.sql`select notes from public.trades where id = ${trade.id}`;
    expect(row!.notes).toBe('chased the open');
    // Every inbound message has what the parser understood stored beside it.
    const unparsed = await db.sql`
      select body from public.sms_messages where direction = 'in' and user_id = ${userId} and parsed_intent is null`;
    expect(unparsed).toHaveLength(0);
  });
});
