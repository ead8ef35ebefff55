// The trader's trades: reading them (list, detail with the journal, today's P&L), opening one from
// the dashboard (the row, then its `tradeLifecycle` workflow: no trade without its workflow), and
// handing changes to an open trade to that workflow as `tradeUpdate` signals. The workflow owns
// the lifecycle after the start and writes the rows; the dashboard never edits an open trade itself.
import { randomUUID } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import {
  type TradeLifecycleInput,
  type TradeUpdateSignal,
  tradeUpdateSignal,
  tradeWorkflowId,
  WORKFLOW_TYPES,
} from '@tradeassist/workflows/client';
import { asUser, pgCode } from './auth-db.ts';
import { db } from './db.ts';
import { getEnv } from './env.ts';
import { temporalConnection } from './temporal.ts';
import type { OpenTradeInput } from './trades-input.ts';

export type TradeStatus = 'pending' | 'open' | 'closed' | 'cancelled';

export interface TradeRow {
  id: string;
  symbol: string;
  side: 'long' | 'short';
  quantity: string;
  exited_quantity: string;
  entry: string;
  stop: string | null;
  current_stop: string | null;
  target: string | null;
  status: TradeStatus;
  opened_at: string | null;
  closed_at: string | null;
  exit_price: string | null;
  fees: string;
  realized_pnl: string | null;
  r_multiple: string | null;
  workflow_id: string | null;
  notes: string | null;
}

export interface TradeEvent {
  id: string;
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const TRADE_COLUMNS = `id::text as id, symbol, side, quantity::text as quantity,
  exited_quantity::text as exited_quantity, entry::text as entry, stop::text as stop,
  current_stop::text as current_stop, target::text as target, status,
  ${iso('opened_at')} as opened_at, ${iso('closed_at')} as closed_at, exit_price::text as exit_price,
  fees::text as fees, realized_pnl::text as realized_pnl, r_multiple::text as r_multiple, workflow_id, notes`;

/** Open (and pending) trades first, newest first; then the latest closed and cancelled ones. */
export async function listTrades(userId: string, closedLimit = 100): Promise<TradeRow[]> {
  const sql = db();
  return sql<TradeRow[]>`
    (select ${sql.unsafe(TRADE_COLUMNS)}, 0 as grp, coalesce(opened_at, created_at) as ord
       from public.trades where user_id = ${userId} and status in ('open', 'pending'))
    union all
    (select ${sql.unsafe(TRADE_COLUMNS)}, 1 as grp, coalesce(closed_at, updated_at) as ord
       from public.trades where user_id = ${userId} and status in ('closed', 'cancelled')
      order by coalesce(closed_at, updated_at) desc limit ${closedLimit})
    order by grp, ord desc`;
}

/** Realized P&L of the trades closed today (the New York trading day), exact, as a decimal string. */
export async function todaysPnl(userId: string): Promise<{ pnl: string; closed: number }> {
  const [row] = await db()<{ pnl: string; closed: number }[]>`
    select coalesce(sum(realized_pnl), 0)::text as pnl, count(*)::int as closed
      from public.trades
     where user_id = ${userId} and status = 'closed'
       and closed_at >= (date_trunc('day', now() at time zone 'America/New_York') at time zone 'America/New_York')`;
  return row ?? { pnl: '0', closed: 0 };
}

export async function getTrade(userId: string, id: string): Promise<TradeRow | null> {
  const sql = db();
  const [row] = await sql<TradeRow[]>`
    select ${sql.unsafe(TRADE_COLUMNS)} from public.trades where id = ${id} and user_id = ${userId}`;
  return row ?? null;
}

/** The journal: the trade's events in the order they happened. */
export async function tradeEvents(userId: string, tradeId: string): Promise<TradeEvent[]> {
  return db()<TradeEvent[]>`
    select id::text as id, kind, ${db().unsafe(iso('at'))} as at, data
      from public.trade_events
     where trade_id = ${tradeId} and user_id = ${userId}
     order by at, id`;
}

export class TradeRefused extends Error {
  constructor(
    message: string,
    readonly field: string = 'form',
  ) {
    super(message);
  }
}

/** The database's own checks, in the words of the form (it refuses what the form should have). */
const CONSTRAINT_MESSAGES: Record<string, [string, string]> = {
  trades_stop_side: ['stop', 'the stop is on the wrong side of the entry'],
  trades_target_side: ['target', 'the target is on the wrong side of the entry'],
  trades_symbol_format: ['symbol', 'not a ticker'],
  trades_quantity_positive: ['quantity', 'must be above 0'],
  trades_entry_positive: ['entry', 'must be above 0'],
};

async function workflowClient(): Promise<Client> {
  return new Client({ connection: await temporalConnection(), namespace: getEnv().TEMPORAL_NAMESPACE });
}

function temporalDown(e: unknown): TradeRefused {
  const why = e instanceof Error ? e.message : String(e);
  return new TradeRefused(
    `Temporal is unreachable at ${getEnv().TEMPORAL_ADDRESS} (${why}); nothing was changed.`,
  );
}

/**
 * Inserts the trade (status 'open') and starts its lifecycle workflow. If the start fails the row
 * is deleted again, so that no trade exists that nothing follows.
 */
export async function openTrade(userId: string, t: OpenTradeInput): Promise<string> {
  const id = randomUUID();
  const workflowId = tradeWorkflowId(id);
  try {
    await asUser(
      userId,
      (tx) => tx`
      insert into public.trades (id, user_id, symbol, side, quantity, entry, stop, target, status, workflow_id)
      values (${id}, ${userId}, ${t.symbol}, ${t.side}, ${t.quantity}, ${t.entry}, ${t.stop}, ${t.target},
              'open', ${workflowId})`,
    );
  } catch (e) {
    const { code, constraint } = pgCode(e);
    const known = constraint ? CONSTRAINT_MESSAGES[constraint] : undefined;
    if (code === '23514' && known) throw new TradeRefused(known[1], known[0]);
    throw e;
  }
  try {
    const client = await workflowClient();
    const input: TradeLifecycleInput = { tradeId: id, userId, source: 'dashboard' };
    await client.workflow.start(WORKFLOW_TYPES.tradeLifecycle, {
      workflowId,
      taskQueue: getEnv().TEMPORAL_TASK_QUEUE,
      args: [input],
    });
  } catch (e) {
    await asUser(userId, (tx) => tx`delete from public.trades where id = ${id} and user_id = ${userId}`);
    const why = e instanceof Error ? e.message : String(e);
    throw new TradeRefused(`The trade was not opened: its workflow did not start (${why}).`);
  }
  return id;
}

export type TradeUpdate = TradeUpdateSignal extends infer U
  ? U extends { requestId: string }
    ? Omit<U, 'requestId'>
    : never
  : never;

/** Sends a change to the trade's workflow; a fresh requestId per submit (the workflow dedupes). */
export async function signalTrade(trade: TradeRow, update: TradeUpdate): Promise<string> {
  const requestId = randomUUID();
  let client: Client;
  try {
    client = await workflowClient();
  } catch (e) {
    throw temporalDown(e);
  }
  try {
    await client.workflow
      .getHandle(trade.workflow_id ?? tradeWorkflowId(trade.id))
      .signal(tradeUpdateSignal, { ...update, requestId } as TradeUpdateSignal);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) {
      throw new TradeRefused('This trade’s workflow is not running any more, so it cannot change.');
    }
    throw temporalDown(e);
  }
  return requestId;
}

/** A note on a finished trade: its workflow is gone, and the journal takes the trader's notes. */
export async function addNoteEvent(userId: string, tradeId: string, text: string): Promise<void> {
  await asUser(
    userId,
    (tx) => tx`
    insert into public.trade_events (trade_id, user_id, kind, data)
    values (${tradeId}, ${userId}, 'note', ${tx.json({ text, source: 'dashboard' })})`,
  );
}
