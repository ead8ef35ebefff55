// The trade activities in Temporal's activity context (MockActivityEnvironment) on a real Postgres:
// each write is idempotent on its key (a retried activity changes nothing), triggers are replaced
// (one live stop per trade), and a row the schema refuses is a non-retryable failure.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { SentSms } from '@tradeassist/messaging/twilio/outbox-types';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDevPhoneOutbox, createTrader, sentTo } from './trades.test-support.ts';
import { createTradeActivities, type TradeActivities } from './trades.ts';

const PHONE = '+15555550141';

describe('trade activities', () => {
  const db = useTestDatabase();
  const env = new MockActivityEnvironment();
  let acts: TradeActivities;
  let userId: string;
  let tradeId: string;

  beforeAll(async () => {
    // The client is only used by askTrader (covered by the workflow tests).
    acts = createTradeActivities({
      sql: db.sql,
      outbox: createDevPhoneOutbox(db.sql),
      client: undefined as never,
      taskQueue: 'unused',
    });
    userId = await createTrader(db.sql, PHONE);
    tradeId = randomUUID();
    await db.sql`
      insert into public.trades (id, user_id, symbol, side, quantity, entry, stop)
      values (${tradeId}, ${userId}, 'AAPL', 'long', 100, 150.20, 148)`;
  });

  it('loads the trade with its owner phone, validated', async () => {
    const t = await env.run(acts.loadTrade, tradeId);
    expect(t).toMatchObject({
      symbol: 'AAPL',
      side: 'long',
      entry: '150.200000000',
      stop: '148.000000000',
      phone: PHONE,
    });
    const missing = await env.run(acts.loadTrade, randomUUID()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApplicationFailure);
    expect((missing as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('journals an event once per key', async () => {
    const e = { tradeId, userId, kind: 'opened' as const, key: 'opened', data: { source: 'sms' } };
    expect(await env.run(acts.recordTradeEvent, e)).toBe(true);
    expect(await env.run(acts.recordTradeEvent, e)).toBe(false);
    const rows = await db.sql`select kind, data from public.trade_events where trade_id = ${tradeId}`;
    expect(rows).toEqual([{ kind: 'opened', data: { source: 'sms', key: 'opened' } }]);
    // The database holds the key unique per trade: two attempts in concurrent transactions (where
    // neither sees the other's row yet) cannot both write it; notes without a key may repeat.
    const other = randomUUID();
    await db.sql`
      insert into public.trades (id, user_id, symbol, side, quantity, entry, stop)
      values (${other}, ${userId}, 'MSFT', 'long', 10, 400, 395)`;
    const keyed = (text: string) => db.sql`
      insert into public.trade_events (trade_id, user_id, kind, data)
      values (${other}, ${userId}, 'note', ${db.sql.json({ key: 'note-1', text })})`;
    await keyed('first');
    await expect(keyed('again')).rejects.toMatchObject({ code: '23505' });
    for (let i = 0; i < 2; i++)
      await db.sql`insert into public.trade_events (trade_id, user_id, kind, data)
        values (${other}, ${userId}, 'note', ${db.sql.json({ text: 'from the dashboard' })})`;
    expect(await db.sql`select 1 from public.trade_events where trade_id = ${other}`).toHaveLength(3);
  });

  it('keeps one live stop: same level is a no-op, a new level replaces it', async () => {
    const args = {
      tradeId,
      userId,
      symbol: 'AAPL',
      kind: 'stop' as const,
      level: '148',
      direction: 'below' as const,
    };
    const first = await env.run(acts.setPriceTrigger, args);
    expect(await env.run(acts.setPriceTrigger, { ...args, level: '148.00' })).toBe(first);
    const moved = await env.run(acts.setPriceTrigger, { ...args, level: '149.5' });
    expect(moved).not.toBe(first);
    const rows = await db.sql`
      select id, level::text, active from public.price_triggers where trade_id = ${tradeId} order by created_at, active`;
    expect(rows).toEqual([
      { id: first, level: '148.000000000', active: false },
      { id: moved, level: '149.500000000', active: true },
    ]);
    const bad = await env.run(acts.setPriceTrigger, { ...args, level: '-1' }).catch((e: unknown) => e);
    expect((bad as ApplicationFailure).nonRetryable).toBe(true);
    expect((bad as ApplicationFailure).type).toBe('BadInput');
  });

  it('lists fired triggers for the lost-signal check', async () => {
    await db.sql`
      update public.price_triggers set active = false, fired_at = '2026-11-23T15:00:00.123456Z', fired_price = 149.45
       where trade_id = ${tradeId} and active`;
    const fired = await env.run(acts.listFiredTriggers, tradeId);
    expect(fired).toEqual([
      expect.objectContaining({
        kind: 'stop',
        level: '149.500000000',
        price: '149.450000000',
        tsEvent: '1795446000123456000',
      }),
    ]);
  });

  it('records a partial exit once, then closes once with the result', async () => {
    const partial = {
      tradeId,
      userId,
      key: 'exit-r1',
      quantity: '50',
      price: '151',
      exitedQuantity: '50',
      realizedPnl: '40',
    };
    await env.run(acts.recordPartialExit, partial);
    await env.run(acts.recordPartialExit, partial);
    const [mid] =
      await db.sql`select exited_quantity::text, realized_pnl::text from public.trades where id = ${tradeId}`;
    expect(mid).toEqual({ exited_quantity: '50.000000', realized_pnl: '40.000000000' });

    const close = {
      tradeId,
      userId,
      exitPrice: '150.1',
      lastPrice: '149.2',
      lastQuantity: '50',
      realizedPnl: '-10',
      rMultiple: '-0.0455',
      fees: '0',
      closedAt: new Date().toISOString(),
    };
    await env.run(acts.closeTrade, close);
    await env.run(acts.closeTrade, close);
    const [row] = await db.sql`
      select status, exit_price::text, realized_pnl::text, r_multiple::text, exited_quantity::text
        from public.trades where id = ${tradeId}`;
    expect(row).toEqual({
      status: 'closed',
      exit_price: '150.100000000',
      realized_pnl: '-10.000000000',
      r_multiple: '-0.0455',
      exited_quantity: '100.000000',
    });
    const kinds = await db.sql`select kind from public.trade_events where trade_id = ${tradeId} order by id`;
    expect(kinds.map((k) => k.kind)).toEqual(['opened', 'partial_exit', 'closed', 'result']);
  });

  it('appends journal notes once per key', async () => {
    await env.run(acts.recordJournalNote, { tradeId, userId, key: 'journal', text: ' chased the open ' });
    await env.run(acts.recordJournalNote, { tradeId, userId, key: 'journal', text: ' chased the open ' });
    await env.run(acts.recordJournalNote, { tradeId, userId, key: 'note-2', text: 'next time wait' });
    const [row] = await db.sql`select notes from public.trades where id = ${tradeId}`;
    expect(row!.notes).toBe('chased the open\nnext time wait');
  });

  it('texts the trader once per key through the outbox', async () => {
    const first: SentSms | null = await env.run(acts.sendTradeSms, {
      userId,
      key: 'trade-x-opened',
      body: 'Long AAPL',
    });
    const again: SentSms | null = await env.run(acts.sendTradeSms, {
      userId,
      key: 'trade-x-opened',
      body: 'Long AAPL',
    });
    expect(first?.duplicate).toBe(false);
    expect(again?.duplicate).toBe(true);
    expect(await sentTo(db.sql, PHONE)).toEqual([{ body: 'Long AAPL', key: 'trade-x-opened' }]);
  });
});
