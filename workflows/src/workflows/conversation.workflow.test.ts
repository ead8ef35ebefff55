// The conversation workflow on the time-skipping server with the real activities on a real
// (embedded) Postgres: what the trader texts, what the assistant answers, what lands in the tables.
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createIntentParser, type IntentParser } from '@tradeassist/messaging/intent';
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
  conversationStateQuery,
  conversationWorkflowId,
  inboundSmsSignal,
  tradeStateQuery,
  tradeWorkflowId,
} from '../contract.ts';
import type { conversation } from './conversation.workflow.ts';

const TASK_QUEUE = 'conversation-test';
const PHONE = '+15555550111';

// The rules parser, except that a message starting with "maybe" is read without that word and
// reported as unsure (as Claude would be), so the confirm-first path runs deterministically.
const rules = createIntentParser();
const parseIntent: IntentParser = async (text, ctx) => {
  const unsure = /^maybe\s+/i.exec(text);
  if (!unsure) return rules(text, ctx);
  const r = await rules(text.slice(unsure[0].length), ctx);
  return { ...r, confidence: 0.4, needsConfirmation: true };
};

describe('conversation workflow', () => {
  const db = useTestDatabase();
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let userId: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    userId = await createTrader(db.sql, PHONE);
    worker = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      sql: db.sql,
      taskQueue: TASK_QUEUE,
      parseIntent,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => {});
    await env?.teardown();
  });

  const handle = () => env.client.workflow.getHandle<typeof conversation>(conversationWorkflowId(PHONE));

  /** Stores the message as the webhook does, then signal-with-starts the conversation. */
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
  const reply = (messageId: string) =>
    eventually(async () => (await sentTo(db.sql, PHONE)).find((s) => s.key === `reply-${messageId}`)?.body);
  const sentWithKey = (prefix: string) =>
    eventually(
      async () => (await sentTo(db.sql, PHONE)).filter((s) => s.key.startsWith(prefix)).at(-1)?.body,
    );
  const openTrade = () =>
    eventually(
      async () =>
        (await db.sql`select * from public.trades where user_id = ${userId} and status = 'open'`)[0],
    );

  it('asks for a missing quantity, then opens the trade, starts its workflow and confirms once', async () => {
    const m = await text('took AAPL 150.20 stop 148');
    expect(await reply(m.messageId)).toBe('How many shares of AAPL?');
    const n = await text('100');
    const trade = await openTrade();
    expect(trade).toMatchObject({
      symbol: 'AAPL',
      side: 'long',
      quantity: '100.000000',
      entry: '150.200000000',
    });
    expect(trade.workflow_id).toBe(tradeWorkflowId(trade.id));
    // risk per share 150.20 - 148 = 2.20; x 100 = $220.00; the 2R example target 150.20 + 4.40
    expect(await sentWithKey(`trade-${trade.id}-opened`)).toBe(
      "Long AAPL 100 @ 150.20, stop 148.00, risk 2.20/sh ($220.00). Reply 'target 154.6' to add a target.",
    );
    // The conversation itself sends nothing for the "100": the trade workflow's text is the answer.
    expect((await sentTo(db.sql, PHONE)).some((s) => s.key === `reply-${n.messageId}`)).toBe(false);
    const [parsed] = await db.sql`select parsed_intent from public.sms_messages where id = ${m.messageId}`;
    expect(parsed!.parsed_intent).toMatchObject({
      intent: 'open_trade',
      symbol: 'AAPL',
      stop: 148,
      source: 'rules',
    });
  });

  it('handles a re-delivered message once', async () => {
    const m = await text('status');
    expect(await reply(m.messageId)).toBe('AAPL long 100 @ 150.20 stop 148.00');
    await handle().signal(inboundSmsSignal, m);
    const s = await handle().query(conversationStateQuery);
    expect(s.recentMessageIds.filter((id) => id === m.messageId)).toHaveLength(1);
    const again = await text('help');
    await reply(again.messageId);
    expect((await sentTo(db.sql, PHONE)).filter((x) => x.key === `reply-${m.messageId}`)).toHaveLength(1);
  });

  it('routes "target 155" to the only open trade', async () => {
    const trade = await openTrade();
    const m = await text('target 155');
    expect(await sentWithKey(`trade-${trade.id}-update-${m.messageId}`)).toBe('AAPL target 155.00.');
    const state = await env.client.workflow.getHandle(tradeWorkflowId(trade.id)).query(tradeStateQuery);
    expect(state).toMatchObject({ target: '155', stop: '148', status: 'open', openQuantity: '100' });
    const triggers = await db.sql`
      select kind, level::text, direction from public.price_triggers where trade_id = ${trade.id} and active order by kind`;
    expect(triggers).toEqual([
      { kind: 'stop', level: '148.000000000', direction: 'below' },
      { kind: 'target', level: '155.000000000', direction: 'above' },
    ]);
  });

  it('asks before acting on an unsure reading, and acts on YES', async () => {
    const m = await text('maybe watch NVDA MSFT');
    expect(await reply(m.messageId)).toBe('Did you mean: watch NVDA, MSFT? Reply YES or NO.');
    expect((await handle().query(conversationStateQuery)).pendingQuestion?.kind).toBe('confirm_intent');
    const yes = await text('yes');
    expect(await reply(yes.messageId)).toBe('Watching NVDA, MSFT.');
    const symbols = await db.sql`
      select s.symbol from public.watchlist_symbols s join public.watchlists w on w.id = s.watchlist_id
       where w.user_id = ${userId} and w.is_default order by s.symbol`;
    expect(symbols.map((r) => r.symbol)).toEqual(['MSFT', 'NVDA']);
    const no = await text('no');
    expect(await reply(no.messageId)).toBe('OK.');
  });

  it('mutes and unmutes', async () => {
    const m = await text('mute TSLA 30m');
    expect(await reply(m.messageId)).toBe('Muted TSLA for 30 min.');
    const [row] =
      await db.sql`select symbol, until > now() + interval '29 minutes' as later from public.mutes where user_id = ${userId}`;
    expect(row).toEqual({ symbol: 'TSLA', later: true });
    const u = await text('unmute TSLA');
    expect(await reply(u.messageId)).toBe('Unmuted TSLA.');
    expect(await db.sql`select 1 from public.mutes where user_id = ${userId}`).toHaveLength(0);
  });

  it('sells half, closes the rest with exact P&L and R, then takes the journal note', async () => {
    const trade = await openTrade();
    const half = await text('sold half at 151');
    // 50 x (151 - 150.20) = +40.00
    expect(await sentWithKey(`trade-${trade.id}-exit-${half.messageId}`)).toBe(
      'AAPL: out 50 @ 151.00, +40.00 so far, 50 left.',
    );
    const out = await text('out at 152');
    // 40.00 + 50 x (152 - 150.20) = 40 + 90 = +130.00; R = 130 / (2.20 x 100) = 0.5909
    const question = await sentWithKey('question-');
    expect(question).toBe(
      "AAPL closed @ 151.50: +130.00 (+0.59R). Any note for the journal? Reply 'note: ...'",
    );
    const [closed] = await db.sql`
      select status, exit_price::text, realized_pnl::text, r_multiple::text, exited_quantity::text
        from public.trades where id = ${trade.id}`;
    expect(closed).toEqual({
      status: 'closed',
      exit_price: '151.500000000',
      realized_pnl: '130.000000000',
      r_multiple: '0.5909',
      exited_quantity: '100.000000',
    });
    expect(
      await db.sql`select 1 from public.price_triggers where trade_id = ${trade.id} and active`,
    ).toHaveLength(0);
    const note = await text('note: sized up too late');
    // A plain client: the test environment's own one lets the server skip time while it waits for
    // a result, which would also run the (idle) conversation into the server's default timeout.
    const plain = new Client({ connection: env.connection });
    const result = await plain.workflow.getHandle(tradeWorkflowId(trade.id)).result();
    expect(result).toEqual({
      status: 'closed',
      realizedPnl: '130.00',
      rMultiple: '0.5909',
      journalNote: true,
    });
    await saveHistoryIfAsked(
      env.client.workflow.getHandle(tradeWorkflowId(trade.id)),
      'trade-partial-exit-journal',
    );
    const events =
      await db.sql`select kind from public.trade_events where trade_id = ${trade.id} order by id`;
    expect(events.map((e) => e.kind)).toEqual([
      'opened',
      'target_moved',
      'partial_exit',
      'closed',
      'result',
      'question',
      'answer',
      'note',
    ]);
    const [notes] = await db.sql`select notes from public.trades where id = ${trade.id}`;
    expect(notes!.notes).toBe('sized up too late');
    expect(out.messageId).not.toBe(note.messageId);
    const pnl = await text('pnl');
    expect(await reply(pnl.messageId)).toBe('Today: +130.00 on 1 closed trade (1 win).');
    expect((await handle().describe()).status.name).toBe('RUNNING'); // one run carried the whole session
    await saveHistoryIfAsked(handle(), 'conversation-session');
  });

  it('answers "out at ..." with no open trade, and the unknown with a clarifying question', async () => {
    const m = await text('out at 12.40');
    expect(await reply(m.messageId)).toBe('No open trade.');
    const u = await text('what is the meaning of this');
    expect(await reply(u.messageId)).toMatch(/^Sorry, I didn't get that\./);
  });

  it('asks which trade when "out" fits several, and refuses a stop on the wrong side', async () => {
    const wrong = await text('took 10 MSFT 400 stop 410');
    expect(await reply(wrong.messageId)).toBe(
      'For a long, the stop goes below the entry 400.00. Send it again?',
    );
    await text('took 10 MSFT 400 stop 395');
    await text('took 5 NVDA 180 stop 175');
    await eventually(
      async () => (await db.sql`select 1 from public.trades where status = 'open'`).length === 2,
    );
    const m = await text('out at 401');
    expect(await reply(m.messageId)).toBe("Which one: NVDA, MSFT? Add the symbol, e.g. 'out NVDA 401'.");
  });

  it('asks for each missing number in turn: shares, entry, then the exit price', async () => {
    const phone = '+15555550113';
    const other = await createTrader(db.sql, phone);
    const send = async (body: string) => {
      const m = await storeInbound(db.sql, other, phone, body);
      await env.client.workflow.signalWithStart('conversation', {
        workflowId: conversationWorkflowId(phone),
        taskQueue: TASK_QUEUE,
        args: [{ phone, userId: other }],
        signal: inboundSmsSignal,
        signalArgs: [m],
      });
      return m;
    };
    const say = async (body: string) => {
      const m = await send(body);
      return eventually(
        async () => (await sentTo(db.sql, phone)).find((x) => x.key === `reply-${m.messageId}`)?.body,
      );
    };
    expect(await say('bought TSLA')).toBe('How many shares of TSLA?');
    expect(await say('20')).toBe('At what price did you get in TSLA?');
    await send('$251.30'); // the trade workflow answers this one (its confirmation)
    const trade = await eventually(
      async () => (await db.sql`select * from public.trades where user_id = ${other}`)[0],
    );
    expect(trade).toMatchObject({
      symbol: 'TSLA',
      quantity: '20.000000',
      entry: '251.300000000',
      stop: null,
    });
    // The rules are unsure of a bare "out": confirm first, then ask the price.
    expect(await say('out')).toBe('Did you mean: close TSLA? Reply YES or NO.');
    expect(await say('yes')).toBe('At what price did you exit TSLA?');
    await send('252'); // answered by the trade workflow, not as a reply
    // 20 x (252 - 251.30) = +14.00; no stop, so no R
    const question = await eventually(async () =>
      (await sentTo(db.sql, phone)).find((x) => x.body.startsWith('TSLA closed')),
    );
    expect(question.body).toBe("TSLA closed @ 252.00: +14.00. Any note for the journal? Reply 'note: ...'");
  });

  it('carries its state across continue-as-new: a message id seen before is not handled again', async () => {
    const phone = '+15555550112';
    const other = await createTrader(db.sql, phone);
    const m = await storeInbound(db.sql, other, phone, 'help');
    const h = await env.client.workflow.start('conversation', {
      workflowId: conversationWorkflowId(phone),
      taskQueue: TASK_QUEUE,
      args: [{ phone, userId: other, carried: { pendingQuestion: null, recentMessageIds: [m.messageId] } }],
    });
    await h.signal(inboundSmsSignal, m);
    const fresh = await storeInbound(db.sql, other, phone, 'help');
    await h.signal(inboundSmsSignal, fresh);
    await eventually(async () => (await sentTo(db.sql, phone)).length === 1);
    expect((await sentTo(db.sql, phone)).map((s) => s.key)).toEqual([`reply-${fresh.messageId}`]);
  });
});
