// The conversation activities in Temporal's activity context on a real Postgres: what the parser
// understood is stored on the message, trades insert once, status and P&L come from the database
// with exact sums, watchlist and mute edits are set operations.
import { randomUUID } from 'node:crypto';
import type { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createIntentParser } from '@tradeassist/messaging/intent';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ConversationActivities,
  createConversationActivities,
  type Interpretation,
} from './conversation.ts';
import { createDevPhoneOutbox, createTrader, storeInbound } from './trades.test-support.ts';

const PHONE = '+15555550142';

describe('conversation activities', () => {
  const db = useTestDatabase();
  const env = new MockActivityEnvironment();
  let acts: ConversationActivities;
  let userId: string;

  beforeAll(async () => {
    acts = createConversationActivities({
      sql: db.sql,
      outbox: createDevPhoneOutbox(db.sql),
      parseIntent: createIntentParser(),
      client: undefined as never, // startTradeWorkflow is covered by the workflow tests
      taskQueue: 'unused',
    });
    userId = await createTrader(db.sql, PHONE);
  });

  const trade = (over: Partial<Parameters<ConversationActivities['createTrade']>[0]> = {}) => ({
    tradeId: randomUUID(),
    userId,
    symbol: 'AAPL',
    side: 'long' as const,
    quantity: '100',
    entry: '150.20',
    stop: '148',
    target: null,
    ...over,
  });

  it('reads a message with the open trades as context and stores what it understood', async () => {
    const t = trade();
    await env.run(acts.createTrade, t);
    await env.run(acts.createTrade, t); // a retry: still one row
    expect(await db.sql`select 1 from public.trades where user_id = ${userId}`).toHaveLength(1);
    const m = await storeInbound(db.sql, userId, PHONE, 'out at 151.5');
    const read: Interpretation = await env.run(acts.interpretMessage, {
      userId,
      messageId: m.messageId,
      body: m.body,
    });
    // "out at 151.5" with one open trade is that trade.
    expect(read.intent).toEqual({ intent: 'close_trade', symbol: 'AAPL', exit: 151.5, quantity: null });
    expect(read.openTrades).toEqual([
      { tradeId: t.tradeId, symbol: 'AAPL', side: 'long', quantity: '100', entry: '150.200000000' },
    ]);
    const [row] = await db.sql`select parsed_intent from public.sms_messages where id = ${m.messageId}`;
    expect(row!.parsed_intent).toMatchObject({
      intent: 'close_trade',
      symbol: 'AAPL',
      source: 'rules',
      needs_confirmation: false,
    });
  });

  it('refuses a trade the schema refuses, without retrying', async () => {
    const err = await env
      .run(acts.createTrade, trade({ stop: '152' }))
      .catch((e: unknown) => e as ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: 'BadInput' });
  });

  it('reports open trades and P&L with exact sums', async () => {
    expect(await env.run(acts.statusReport, { userId })).toBe('AAPL long 100 @ 150.20 stop 148.00');
    // Two closed today: +0.10 and +0.20 (binary floats would give 0.30000000000000004), one loser.
    for (const pnl of ['0.1', '0.2', '-5.5']) {
      const id = randomUUID();
      await db.sql`
        insert into public.trades (id, user_id, symbol, side, quantity, entry, status, exit_price, closed_at, realized_pnl)
        values (${id}, ${userId}, 'MSFT', 'long', 1, 400, 'closed', 401, now(), ${pnl})`;
    }
    expect(await env.run(acts.pnlReport, { userId, period: 'today' as const })).toBe(
      'Today: -5.20 on 3 closed trades (2 wins).',
    );
  });

  it('edits the default watchlist and mutes', async () => {
    expect(
      await env.run(acts.editWatchlist, { userId, action: 'watch' as const, symbols: ['NVDA', 'BRK.B'] }),
    ).toEqual(['NVDA', 'BRK.B']);
    expect(
      await env.run(acts.editWatchlist, { userId, action: 'watch' as const, symbols: ['NVDA'] }),
    ).toEqual(['NVDA', 'BRK.B']);
    expect(
      await env.run(acts.editWatchlist, { userId, action: 'unwatch' as const, symbols: ['NVDA'] }),
    ).toEqual(['BRK.B']);

    await env.run(acts.setMute, { userId, symbol: null, minutes: null });
    await env.run(acts.setMute, { userId, symbol: 'TSLA', minutes: 30 });
    await env.run(acts.setMute, { userId, symbol: 'TSLA', minutes: 60 }); // again: updated, not added
    const mutes = await db.sql`
      select symbol, until is null as forever from public.mutes where user_id = ${userId} order by symbol nulls first`;
    expect(mutes).toEqual([
      { symbol: null, forever: true },
      { symbol: 'TSLA', forever: false },
    ]);
    expect(await env.run(acts.clearMute, { userId, symbol: null })).toBe(2);
  });
});
