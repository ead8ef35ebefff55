// tradeLifecycle on the time-skipping server with the real activities on a real (embedded)
// Postgres and the real conversation workflow carrying the questions: follow-ups over two trading
// days, stop crosses answered "no" (re-armed) and "yes" (closed at the stop), a cross whose signal
// was lost (found by the fired-trigger check), cancel.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { etDaysOf, formatDays, nextTradingDay, tradingDayInfo } from '@tradeassist/core/calendar';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestWorker,
  createTrader,
  eventually,
  saveHistoryIfAsked,
  sentTo,
  storeInbound,
} from '../activities/trades.test-support.ts';
import {
  conversationWorkflowId,
  inboundSmsSignal,
  tradeStateQuery,
  tradeUpdateSignal,
  tradeWorkflowId,
  triggerCrossedSignal,
} from '../contract.ts';
import type { tradeLifecycle } from './trade-lifecycle.workflow.ts';
import { firedCheckAfter } from './trade-lifecycle-schedule.ts';

const TASK_QUEUE = 'trade-lifecycle-test';

describe('tradeLifecycle workflow', () => {
  const db = useTestDatabase();
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      sql: db.sql,
      taskQueue: TASK_QUEUE,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => {});
    await env?.teardown();
  });

  async function openTrade(userId: string, levels: { stop: string | null; target: string | null }) {
    const id = randomUUID();
    // Opened "now" on the server's clock, which the earlier tests move days ahead of the database's.
    const openedAt = new Date(await env.currentTimeMs());
    await db.sql`
      insert into public.trades (id, user_id, symbol, side, quantity, entry, stop, target, workflow_id, opened_at)
      values (${id}, ${userId}, 'AAPL', 'long', 100, 150.20, ${levels.stop}, ${levels.target}, ${tradeWorkflowId(id)},
              ${openedAt})`;
    const handle = await env.client.workflow.start<typeof tradeLifecycle>('tradeLifecycle', {
      workflowId: tradeWorkflowId(id),
      taskQueue: TASK_QUEUE,
      args: [{ tradeId: id, userId, source: 'dashboard' }],
    });
    return { id, handle };
  }

  function texter(userId: string, phone: string) {
    return async (body: string) => {
      const m = await storeInbound(db.sql, userId, phone, body);
      await env.client.workflow.signalWithStart('conversation', {
        workflowId: conversationWorkflowId(phone),
        taskQueue: TASK_QUEUE,
        args: [{ phone, userId }],
        signal: inboundSmsSignal,
        signalArgs: [m],
      });
      return m;
    };
  }

  const lastSent = (phone: string, prefix: string, count = 1) =>
    eventually(async () => {
      const found = (await sentTo(db.sql, phone)).filter((s) => s.key.startsWith(prefix));
      return found.length >= count ? found.at(-1)!.body : null;
    });
  const kinds = async (tradeId: string) =>
    (await db.sql`select kind from public.trade_events where trade_id = ${tradeId} order by id`).map(
      (r) => r.kind,
    );

  /** Milliseconds from the server's now to `at` (UTC ms), plus a minute's margin. */
  const until = async (at: number) => at - (await env.currentTimeMs()) + 60_000;

  /** The screener's side of a cross: the trigger marked fired and journaled (TriggerRecorder). */
  async function fire(tradeId: string, kind: 'stop' | 'target', last: string) {
    const [t] = await db.sql`
      update public.price_triggers set active = false, fired_at = now(), fired_price = ${last}
       where trade_id = ${tradeId} and kind = ${kind} and active
      returning id, user_id, level::text`;
    await db.sql`
      insert into public.trade_events (trade_id, user_id, kind, data)
      values (${tradeId}, ${t!.user_id}, 'trigger_fired', ${db.sql.json({ trigger_id: t!.id, price: last })})`;
    return {
      triggerId: String(t!.id),
      kind,
      level: String(t!.level),
      price: last,
      tsEvent: `${Date.now()}000000`,
    };
  }

  it('follows up: no stop after 15 min, then "hold overnight?" before each close, two days running', async () => {
    const phone = '+15555550121';
    const userId = await createTrader(db.sql, phone);
    const text = texter(userId, phone);
    const { id, handle } = await openTrade(userId, { stop: null, target: null });
    expect(await lastSent(phone, `trade-${id}-opened`)).toBe(
      "Long AAPL 100 @ 150.20, no stop yet. Reply 'stop <price>' to set one.",
    );
    await env.sleep(16 * 60_000);
    expect(await lastSent(phone, `trade-${id}-no-stop`)).toBe(
      "AAPL: no stop yet after 15 min. Reply 'stop <price>' to set one.",
    );

    // The next two sessions' 15:45 (12:45 on an early close) New York time.
    const now = await env.currentTimeMs();
    let day = formatDays(etDaysOf(Math.floor(now / 1000)));
    const followups: string[] = [];
    for (let info = tradingDayInfo(day); followups.length < 2; ) {
      if (info.isTradingDay && (info.close - 15 * 60) * 1000 > now) followups.push(info.date);
      day = nextTradingDay(info.date);
      info = tradingDayInfo(day);
    }
    const at = (date: string) => (tradingDayInfo(date).close - 15 * 60) * 1000;

    await env.sleep(await until(at(followups[0]!)));
    expect(await lastSent(phone, 'question-')).toBe(
      "AAPL 100 still open, close in 15 min. Hold overnight? YES to hold, or 'out at <price>'.",
    );
    await text('yes');
    await eventually(async () => (await kinds(id)).includes('answer'));

    await env.sleep(await until(at(followups[1]!)));
    await lastSent(phone, 'question-', 2);
    expect((await handle.query(tradeStateQuery)).pendingQuestion).toMatch(/Hold overnight\?/);
    await text('out at 151');
    // 100 x (151 - 150.20) = +80.00; no stop, so no R
    expect(await lastSent(phone, 'question-', 3)).toBe(
      "AAPL closed @ 151.00: +80.00. Any note for the journal? Reply 'note: ...'",
    );
    // Nobody writes a note: after 24 h the workflow journals that and completes.
    await env.sleep(25 * 60 * 60_000);
    expect(await handle.result()).toEqual({
      status: 'closed',
      realizedPnl: '80.00',
      rMultiple: null,
      journalNote: false,
    });
    await saveHistoryIfAsked(handle, 'trade-two-day-followups');
    expect(await kinds(id)).toEqual([
      'opened',
      'followup', // no stop
      'followup', // before the first close
      'question',
      'answer',
      'followup', // before the second close
      'question',
      'closed',
      'result',
      'question', // journal note
      'followup', // no journal note
    ]);
    const [events] = await db.sql`
      select array_agg(data->>'date' order by id) filter (where data->>'kind' = 'before_close') as dates
        from public.trade_events where trade_id = ${id}`;
    expect(events!.dates).toEqual(followups);
  });

  it('asks on a stop cross: "no" re-arms the stop, a lost signal is still found, "yes" closes at the stop', async () => {
    const phone = '+15555550122';
    const userId = await createTrader(db.sql, phone);
    const text = texter(userId, phone);
    const { id, handle } = await openTrade(userId, { stop: '148', target: '155' });
    expect(await lastSent(phone, `trade-${id}-opened`)).toBe(
      'Long AAPL 100 @ 150.20, stop 148.00, risk 2.20/sh ($220.00). Target 155.00 (2.18R).',
    );
    const first = await fire(id, 'stop', '147.95');
    await handle.signal(triggerCrossedSignal, first);
    await handle.signal(triggerCrossedSignal, first); // re-delivered: asked once
    expect(await lastSent(phone, 'question-')).toBe(
      'AAPL hit your stop 148.00 (last 147.95): are you out? YES or NO',
    );
    await text('no');
    expect(await lastSent(phone, `trade-${id}-rearm-${first.triggerId}`)).toBe(
      'OK, still in AAPL; watching stop 148.00 again.',
    );
    const [rearmed] = await db.sql`
      select id, level::text from public.price_triggers where trade_id = ${id} and kind = 'stop' and active`;
    expect(rearmed!.level).toBe('148.000000000');
    expect(rearmed!.id).not.toBe(first.triggerId);

    // The screener marks the re-armed stop fired and dies before it signals.
    await fire(id, 'stop', '147.90');
    // The workflow's own check (every 15 min in the extended session, else at the next 4:00) finds it.
    await env.sleep(await until(firedCheckAfter(await env.currentTimeMs()) + 60_000));
    expect(await lastSent(phone, 'question-', 2)).toBe(
      'AAPL hit your stop 148.00 (last 147.90): are you out? YES or NO',
    );
    await text('yes');
    // 100 x (148 - 150.20) = -220.00; R = -220 / (2.20 x 100) = -1
    expect(await lastSent(phone, 'question-', 3)).toBe(
      "AAPL closed @ 148.00: -220.00 (-1.00R). Any note for the journal? Reply 'note: ...'",
    );
    await text('note: should have respected the first cross');
    expect(await handle.result()).toEqual({
      status: 'closed',
      realizedPnl: '-220.00',
      rMultiple: '-1.0000',
      journalNote: true,
    });
    await saveHistoryIfAsked(handle, 'trade-cross-rearm-lost-signal-close');
    const [row] =
      await db.sql`select status, exit_price::text, realized_pnl::text, r_multiple::text, notes from public.trades where id = ${id}`;
    expect(row).toEqual({
      status: 'closed',
      exit_price: '148.000000000',
      realized_pnl: '-220.000000000',
      r_multiple: '-1.0000',
      notes: 'should have respected the first cross',
    });
    expect(await db.sql`select 1 from public.price_triggers where trade_id = ${id} and active`).toHaveLength(
      0,
    );
  });

  it('picks up where the previous run left off after continue-as-new (carried exits, levels, handled crosses)', async () => {
    const phone = '+15555550124';
    const userId = await createTrader(db.sql, phone);
    const id = randomUUID();
    // The state the previous run handed over: 50 of 100 sold at 151 (+40.00), stop moved to 149.
    await db.sql`
      insert into public.trades (id, user_id, symbol, side, quantity, exited_quantity, entry, stop, current_stop,
                                 realized_pnl, opened_at)
      values (${id}, ${userId}, 'AAPL', 'long', 100, 50, 150.20, 148, 149, 40, ${new Date(await env.currentTimeMs())})`;
    const handle = await env.client.workflow.start<typeof tradeLifecycle>('tradeLifecycle', {
      workflowId: tradeWorkflowId(id),
      taskQueue: TASK_QUEUE,
      args: [
        {
          tradeId: id,
          userId,
          source: 'sms',
          carried: {
            exits: [{ quantity: '50', price: '151' }],
            stop: '149',
            target: null,
            handledTriggerIds: [],
            appliedRequestIds: ['already-applied'],
            pendingQuestion: null,
            noStopFollowupSent: false,
            lastCloseFollowupDate: null,
          },
        },
      ],
    });
    // Answered from the first moment; the open quantity once the trades row is read.
    const state = await eventually(async () => {
      const st = await handle.query(tradeStateQuery);
      return st.openQuantity === '50' ? st : null;
    });
    expect(state).toMatchObject({ stop: '149', status: 'open' });
    await handle.signal(tradeUpdateSignal, { requestId: 'already-applied', type: 'cancel' }); // seen: ignored
    await handle.signal(tradeUpdateSignal, {
      requestId: 'r9',
      type: 'close',
      exit: '152',
      quantity: null,
      fraction: null,
    });
    // 50 x 0.80 + 50 x 1.80 = 130.00; R on the entry stop: 130 / (2.20 x 100) = 0.5909
    expect(await lastSent(phone, 'question-')).toBe(
      "AAPL closed @ 151.50: +130.00 (+0.59R). Any note for the journal? Reply 'note: ...'",
    );
    // No second 'opened', no second confirmation: this run is a continuation.
    expect(await kinds(id)).toEqual(['closed', 'result', 'question']);
    expect((await sentTo(db.sql, phone)).some((s) => s.key === `trade-${id}-opened`)).toBe(false);
    await handle.terminate('test over');
  });

  it('moves the stop, refuses a target on the wrong side, and cancels', async () => {
    const phone = '+15555550123';
    const userId = await createTrader(db.sql, phone);
    const { id, handle } = await openTrade(userId, { stop: '148', target: null });
    await lastSent(phone, `trade-${id}-opened`);
    await handle.signal(tradeUpdateSignal, { requestId: 'r1', type: 'update_stop', stop: '149.5' });
    expect(await lastSent(phone, `trade-${id}-update-r1`)).toBe('AAPL stop 149.50 (was 148.00).');
    await handle.signal(tradeUpdateSignal, { requestId: 'r2', type: 'update_target', target: '140' });
    expect(await lastSent(phone, `trade-${id}-update-r2`)).toBe('A long target goes above the entry 150.20.');
    await handle.signal(tradeUpdateSignal, { requestId: 'r1', type: 'update_stop', stop: '149.5' }); // again: once
    await handle.signal(tradeUpdateSignal, { requestId: 'r3', type: 'cancel' });
    expect(await handle.result()).toEqual({
      status: 'cancelled',
      realizedPnl: null,
      rMultiple: null,
      journalNote: false,
    });
    await saveHistoryIfAsked(handle, 'trade-stop-move-cancel');
    const [row] =
      await db.sql`select status, stop::text, current_stop::text from public.trades where id = ${id}`;
    expect(row).toEqual({ status: 'cancelled', stop: '148.000000000', current_stop: '149.500000000' });
    expect(await kinds(id)).toEqual(['opened', 'stop_moved', 'cancelled']);
    expect(await db.sql`select 1 from public.price_triggers where trade_id = ${id} and active`).toHaveLength(
      0,
    );
  });
});
