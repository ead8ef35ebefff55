// Trades with a journal, written straight to the database as the trade workflow would have left
// them: a closed NVDA long (+1.5R today), an open AMD short with a trailed stop, a cancelled trade.
// For the trades page tests and the screenshots. Numbers are chosen so the arithmetic is checkable:
//   NVDA long 100 @ 482.15, stop 479.95 (risk 2.20 × 100 = 220), half out @ 484.35 (+110),
//   rest @ 486.55 (+220): P&L 330 = 1.5R; average exit (484.35 + 486.55) ÷ 2 = 485.45.
import type { Sql } from 'postgres';

export const SEED_USER = '00000000-0000-4000-8000-000000000001';
export const CLOSED_TRADE = '11111111-1111-4111-8111-000000000001';
export const OPEN_TRADE = '11111111-1111-4111-8111-000000000002';
export const CANCELLED_TRADE = '11111111-1111-4111-8111-000000000003';

export async function seedTrades(sql: Sql): Promise<void> {
  await sql`
    insert into public.trades (id, user_id, symbol, side, quantity, exited_quantity, entry, stop, target, status,
                               opened_at, closed_at, exit_price, realized_pnl, r_multiple, workflow_id)
    values
      (${CLOSED_TRADE}, ${SEED_USER}, 'NVDA', 'long', 100, 100, 482.15, 479.95, 488.00, 'closed',
       now() - interval '50 minutes', now() - interval '5 minutes', 485.45, 330, 1.5, ${`trade-${CLOSED_TRADE}`}),
      (${OPEN_TRADE}, ${SEED_USER}, 'AMD', 'short', 200, 0, 142.80, 144.30, 138.00, 'open',
       now() - interval '30 minutes', null, null, null, null, ${`trade-${OPEN_TRADE}`}),
      (${CANCELLED_TRADE}, ${SEED_USER}, 'TSLA', 'long', 10, 0, 251.00, 246.00, null, 'cancelled',
       now() - interval '3 days', null, null, null, null, ${`trade-${CANCELLED_TRADE}`})`;
  await sql`update public.trades set current_stop = 143.10 where id = ${OPEN_TRADE}`;
  const events: [string, string, string, Record<string, unknown>][] = [
    [
      CLOSED_TRADE,
      'opened',
      '50 minutes',
      { side: 'long', quantity: '100', entry: '482.15', stop: '479.95', target: '488.00', source: 'sms' },
    ],
    [CLOSED_TRADE, 'alert', '49 minutes', { type: 'vwap_cross_up', price: '482.40' }],
    [CLOSED_TRADE, 'stop_moved', '30 minutes', { from: '479.95', to: '482.15' }],
    [
      CLOSED_TRADE,
      'partial_exit',
      '20 minutes',
      { quantity: '50', price: '484.35', realized_pnl: '110', remaining: '50' },
    ],
    [CLOSED_TRADE, 'note', '15 minutes', { text: 'Took half into the push; rest rides the VWAP.' }],
    [CLOSED_TRADE, 'closed', '5 minutes', { exit_price: '485.45', realized_pnl: '330', r_multiple: '1.5' }],
    [
      OPEN_TRADE,
      'opened',
      '30 minutes',
      { side: 'short', quantity: '200', entry: '142.80', stop: '144.30', target: '138.00' },
    ],
    [OPEN_TRADE, 'stop_moved', '10 minutes', { from: '144.30', to: '143.10' }],
    [CANCELLED_TRADE, 'opened', '3 days', { quantity: '10', entry: '251.00', stop: '246.00' }],
    [CANCELLED_TRADE, 'cancelled', '3 days', { reason: 'order never filled' }],
  ];
  for (const [trade, kind, ago, data] of events) {
    await sql`
      insert into public.trade_events (trade_id, user_id, kind, at, data)
      values (${trade}, ${SEED_USER}, ${kind}, now() - ${ago}::interval, ${sql.json(data as never)})`;
  }
}
