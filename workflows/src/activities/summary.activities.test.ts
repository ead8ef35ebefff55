import { MockActivityEnvironment } from '@temporalio/testing';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { describe, expect, it } from 'vitest';
import { createTrader, insertAlert, recordingOutbox } from '../testing/notification-fixtures.ts';
import { createSummaryActivities } from './summary.activities.ts';

const db = useTestDatabase();
const DATE = '2026-11-20'; // a Friday; New York day = 05:00 UTC on the 20th to 05:00 UTC on the 21st

async function trade(userId: string, t: { opened: string; closed?: string; pnl?: string; symbol?: string }) {
  await db.sql`
    insert into public.trades (user_id, symbol, side, quantity, entry, stop, status, opened_at, closed_at, exit_price, realized_pnl)
    values (${userId}, ${t.symbol ?? 'NVDA'}, 'long', 100, 50, 49, ${t.closed ? 'closed' : 'open'}, ${t.opened},
            ${t.closed ?? null}, ${t.closed ? '51' : null}, ${t.pnl ?? null})`;
}

describe('daily summary activities', () => {
  it('lists only traders with a verified, opted-in phone', async () => {
    const acts = createSummaryActivities({ sql: db.sql as never, outbox: recordingOutbox() });
    const yes = await createTrader(db.sql);
    await createTrader(db.sql, { optIn: 'pending' });
    await createTrader(db.sql, { verified: false });
    await createTrader(db.sql, { phone: null });
    const list = await new MockActivityEnvironment().run(acts.listSummaryRecipients, { date: DATE });
    expect(list).toContain(yes.id);
    expect(list).toHaveLength(1);
  });

  it("sums the day's realized P&L exactly, counts trades and wins, names the best alerts, sends once", async () => {
    const outbox = recordingOutbox();
    const acts = createSummaryActivities({ sql: db.sql as never, outbox });
    const env = new MockActivityEnvironment();
    const trader = await createTrader(db.sql);
    // Closed that New York day: +100.10, -30.05, +0.333333333 -> 70.383333333 (2 wins of 3).
    await trade(trader.id, { opened: '2026-11-20T14:40:00Z', closed: '2026-11-20T15:00:00Z', pnl: '100.10' });
    await trade(trader.id, { opened: '2026-11-20T15:10:00Z', closed: '2026-11-20T20:00:00Z', pnl: '-30.05' });
    // 23:30 New York on the 20th is 04:30 UTC on the 21st: still that day.
    await trade(trader.id, {
      opened: '2026-11-19T15:00:00Z',
      closed: '2026-11-21T04:30:00Z',
      pnl: '0.333333333',
    });
    // Opened that day and still open; and one from the day before, not counted.
    await trade(trader.id, { opened: '2026-11-20T19:00:00Z' });
    await trade(trader.id, { opened: '2026-11-19T15:00:00Z', closed: '2026-11-19T16:00:00Z', pnl: '999' });
    for (const [symbol, score] of [
      ['AMD', 0.7],
      ['NVDA', 0.95],
      ['TSLA', 0.4],
      ['META', 0.8],
    ] as const) {
      const alertId = await insertAlert(db.sql, { symbol, score });
      await db.sql`insert into public.alert_deliveries (alert_id, user_id, channel, status, created_at)
                   values (${alertId}, ${trader.id}, 'push', 'sent', '2026-11-20T15:00:00Z')`;
    }

    const out = await env.run(acts.sendDailySummary, { date: DATE, userId: trader.id });
    expect(out).toEqual({
      userId: trader.id,
      sent: true,
      duplicate: false,
      realizedPnl: '70.383333333',
      opened: 3,
      closed: 3,
      wins: 2,
    });
    expect(outbox.delivered).toEqual([
      {
        userId: trader.id,
        to: trader.phone,
        idempotencyKey: `summary-${DATE}-${trader.id}`,
        alertId: null,
        // 2 of 3 wins = 67%; best alerts by score: NVDA 0.95, META 0.8, AMD 0.7.
        body: '2026-11-20: P&L +$70.38, 3 opened, 3 closed, win 67%. Best: NVDA gap up, META gap up, AMD gap up',
      },
    ]);
    const again = await env.run(acts.sendDailySummary, { date: DATE, userId: trader.id });
    expect(again).toMatchObject({ duplicate: true, sent: true });
    expect(outbox.delivered).toHaveLength(1);
  });

  it('sends nothing to a trader with nothing to report', async () => {
    const outbox = recordingOutbox();
    const acts = createSummaryActivities({ sql: db.sql as never, outbox });
    const quiet = await createTrader(db.sql);
    const out = await new MockActivityEnvironment().run(acts.sendDailySummary, {
      date: DATE,
      userId: quiet.id,
    });
    expect(out).toMatchObject({ sent: false, reason: 'nothing to report', realizedPnl: '0' });
    expect(outbox.delivered).toEqual([]);
  });

  it('refuses a malformed date as non-retryable', async () => {
    const acts = createSummaryActivities({ sql: db.sql as never, outbox: recordingOutbox() });
    await expect(
      new MockActivityEnvironment().run(acts.sendDailySummary, { date: '20/11/2026', userId: 'x' }),
    ).rejects.toMatchObject({ nonRetryable: true });
  });
});
