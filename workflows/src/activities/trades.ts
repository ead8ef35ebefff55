// Activities of the trade workflow (tradeLifecycle): the trades row, its journal (trade_events),
// its price triggers, and what it tells the trader (SMS through the SmsOutbox, questions through
// the trader's conversation workflow). Every write is idempotent on a key the workflow derives
// from its own state (a retried activity, or a replay after a worker crash, writes nothing twice);
// bad input is a non-retryable ApplicationFailure.
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '@tradeassist/db';
import { SmsOptedOutError } from '@tradeassist/messaging/twilio';
import type { SentSms, SmsOutbox } from '@tradeassist/messaging/twilio/outbox-types';
import { z } from 'zod';
import {
  type AskTraderSignal,
  askTraderSignal,
  type ConversationInput,
  conversationWorkflowId,
  WORKFLOW_TYPES,
} from '../contract.ts';

export interface TradeActivityDeps {
  sql: Db;
  outbox: SmsOutbox;
  /** Signals (with start) the trader's conversation workflow when a trade asks something. */
  client: Client;
  taskQueue: string;
}

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

export const tradeRowSchema = z.object({
  id: z.string().uuid(),
  user_id: z.string().uuid(),
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  quantity: decimal,
  exited_quantity: decimal,
  entry: decimal,
  stop: decimal.nullable(),
  current_stop: decimal.nullable(),
  target: decimal.nullable(),
  status: z.enum(['pending', 'open', 'closed', 'cancelled']),
  opened_at: z.string().nullable(),
  fees: decimal,
  realized_pnl: decimal.nullable(),
  phone: z.string().nullable(),
});
export type TradeRow = z.infer<typeof tradeRowSchema>;

export type TradeEventKind =
  | 'opened'
  | 'stop_moved'
  | 'target_moved'
  | 'partial_exit'
  | 'closed'
  | 'cancelled'
  | 'note'
  | 'alert'
  | 'trigger_fired'
  | 'question'
  | 'answer'
  | 'followup'
  | 'result';

export interface TradeEventInput {
  tradeId: string;
  userId: string;
  kind: TradeEventKind;
  /** Unique per trade: the event is written once per key. */
  key: string;
  data: Record<string, unknown>;
}

export interface FiredTriggerRow {
  triggerId: string;
  kind: 'stop' | 'target' | 'custom';
  level: string;
  price: string;
  /** Nanoseconds since the epoch, decimal string. */
  tsEvent: string;
}

const firedRowSchema = z.object({
  id: z.string().uuid(),
  kind: z.enum(['stop', 'target', 'custom']),
  level: decimal,
  fired_price: decimal,
  fired_ns: decimal,
});

/** A transaction's sql (postgres.js TransactionSql), named through Db to keep one import. */
type Tx = Parameters<Parameters<Db['begin']>[1]>[0];

function badInput(message: string, details?: unknown): never {
  throw ApplicationFailure.create({ message, nonRetryable: true, type: 'BadInput', details: [details] });
}

/** A CHECK or foreign-key violation will fail the same way on every retry: bad input. */
function rethrowConstraint(err: unknown, what: string): never {
  const pg = err as { code?: unknown; message?: string; constraint_name?: string };
  if (typeof pg.code === 'string' && pg.code.startsWith('23')) {
    badInput(`${what}: ${pg.message}`, { constraint: pg.constraint_name });
  }
  throw err;
}

export function createTradeActivities(deps: TradeActivityDeps) {
  const { sql, outbox, client, taskQueue } = deps;

  async function loadTrade(tradeId: string): Promise<TradeRow> {
    const rows = await sql`
      select t.id, t.user_id, t.symbol, t.side, t.quantity::text, t.exited_quantity::text, t.entry::text,
             t.stop::text, t.current_stop::text, t.target::text, t.status,
             to_json(t.opened_at)#>>'{}' as opened_at, t.fees::text, t.realized_pnl::text, p.phone
        from public.trades t left join public.profiles p on p.id = t.user_id
       where t.id = ${tradeId}`;
    if (!rows[0]) badInput(`no trade ${tradeId}`);
    const parsed = tradeRowSchema.safeParse(rows[0]);
    if (!parsed.success) badInput(`trade ${tradeId} has an unexpected shape: ${parsed.error.message}`);
    return parsed.data;
  }

  async function insertEvent(tx: Db | Tx, e: TradeEventInput): Promise<boolean> {
    const data = { ...e.data, key: e.key };
    const rows = await tx`
      insert into public.trade_events (trade_id, user_id, kind, data)
      values (${e.tradeId}, ${e.userId}, ${e.kind}, ${tx.json(data as Parameters<Db['json']>[0])})
      on conflict (trade_id, (data->>'key')) where data ? 'key' do nothing
      returning id`;
    return rows.length > 0;
  }

  async function phoneOf(userId: string): Promise<string | null> {
    const rows = await sql`select phone from public.profiles where id = ${userId}`;
    return z
      .string()
      .nullable()
      .parse(rows[0]?.phone ?? null);
  }

  return {
    loadTrade,

    /** Appends a journal event once per key; true when this call wrote it. */
    async recordTradeEvent(e: TradeEventInput): Promise<boolean> {
      try {
        return await insertEvent(sql, e);
      } catch (err) {
        rethrowConstraint(err, `trade event ${e.kind}`);
      }
    },

    /**
     * The trade's live stop or target at `level`: replaces the active one of that kind (the unique
     * index allows one), or keeps it when it is already at that level (a retry). Returns its id.
     */
    async setPriceTrigger(input: {
      tradeId: string;
      userId: string;
      symbol: string;
      kind: 'stop' | 'target';
      level: string;
      direction: 'above' | 'below';
    }): Promise<string> {
      try {
        return await sql.begin(async (tx) => {
          const active = await tx`
            select id, level::text from public.price_triggers
             where trade_id = ${input.tradeId} and kind = ${input.kind} and active for update`;
          const current = active[0];
          if (
            current &&
            (await tx`select ${current.level}::numeric = ${input.level}::numeric as same`)[0]?.same
          )
            return current.id as string;
          if (current) await tx`update public.price_triggers set active = false where id = ${current.id}`;
          const rows = await tx`
            insert into public.price_triggers (trade_id, user_id, symbol, level, direction, kind)
            values (${input.tradeId}, ${input.userId}, ${input.symbol}, ${input.level}::numeric,
                    ${input.direction}, ${input.kind})
            returning id`;
          return rows[0]!.id as string;
        });
      } catch (err) {
        rethrowConstraint(err, `price trigger ${input.kind} ${input.level}`);
      }
    },

    async deactivatePriceTriggers(tradeId: string): Promise<number> {
      const rows = await sql`
        update public.price_triggers set active = false where trade_id = ${tradeId} and active returning id`;
      return rows.length;
    },

    /**
     * Triggers of this trade the screener has marked fired: the safety net for a `triggerCrossed`
     * signal lost between the screener's commit and its signal (the workflow skips those it knows).
     */
    async listFiredTriggers(tradeId: string): Promise<FiredTriggerRow[]> {
      const rows = await sql`
        select id, kind, level::text, fired_price::text,
               ((extract(epoch from fired_at) * 1000000)::bigint * 1000)::text as fired_ns
          from public.price_triggers
         where trade_id = ${tradeId} and fired_at is not null
         order by fired_at`;
      return z
        .array(firedRowSchema)
        .parse(rows)
        .map((r) => ({
          triggerId: r.id,
          kind: r.kind,
          level: r.level,
          price: r.fired_price,
          tsEvent: r.fired_ns,
        }));
    },

    /** A new stop or target on the trades row (the first stop also becomes the risk basis). */
    async updateTradeLevels(input: { tradeId: string; stop?: string; target?: string }): Promise<void> {
      try {
        if (input.stop !== undefined) {
          await sql`
            update public.trades
               set stop = coalesce(stop, ${input.stop}::numeric),
                   current_stop = case when stop is null then null else ${input.stop}::numeric end
             where id = ${input.tradeId}`;
        }
        if (input.target !== undefined) {
          await sql`update public.trades set target = ${input.target}::numeric where id = ${input.tradeId}`;
        }
      } catch (err) {
        rethrowConstraint(err, 'trade levels');
      }
    },

    /** A partial exit: the journal event and the running totals, once per key. */
    async recordPartialExit(input: {
      tradeId: string;
      userId: string;
      key: string;
      quantity: string;
      price: string;
      exitedQuantity: string;
      realizedPnl: string;
    }): Promise<void> {
      try {
        await sql.begin(async (tx) => {
          const wrote = await insertEvent(tx, {
            tradeId: input.tradeId,
            userId: input.userId,
            kind: 'partial_exit',
            key: input.key,
            data: { quantity: input.quantity, price: input.price, realized_pnl: input.realizedPnl },
          });
          if (!wrote) return;
          await tx`
            update public.trades
               set exited_quantity = ${input.exitedQuantity}::numeric, realized_pnl = ${input.realizedPnl}::numeric
             where id = ${input.tradeId}`;
        });
      } catch (err) {
        rethrowConstraint(err, 'partial exit');
      }
    },

    /** The full exit: trades row closed, triggers off, 'closed' and 'result' events; once. */
    async closeTrade(input: {
      tradeId: string;
      userId: string;
      exitPrice: string;
      lastPrice: string;
      lastQuantity: string;
      realizedPnl: string;
      rMultiple: string | null;
      fees: string;
      /** When the trader's exit was handled (workflow time, so a retry does not move it). */
      closedAt: string;
    }): Promise<void> {
      try {
        await sql.begin(async (tx) => {
          await tx`
            update public.trades
               -- greatest(): a few seconds of clock skew between Temporal and the database must not
               -- make a close violate trades_closed_after_opened.
               set status = 'closed', exit_price = ${input.exitPrice}::numeric,
                   closed_at = greatest(${input.closedAt}::timestamptz, opened_at),
                   exited_quantity = quantity, realized_pnl = ${input.realizedPnl}::numeric,
                   r_multiple = ${input.rMultiple}::numeric
             where id = ${input.tradeId} and status in ('open', 'pending')`;
          await tx`update public.price_triggers set active = false where trade_id = ${input.tradeId} and active`;
          await insertEvent(tx, {
            tradeId: input.tradeId,
            userId: input.userId,
            kind: 'closed',
            key: 'closed',
            data: { price: input.lastPrice, quantity: input.lastQuantity, exit_price: input.exitPrice },
          });
          await insertEvent(tx, {
            tradeId: input.tradeId,
            userId: input.userId,
            kind: 'result',
            key: 'result',
            data: { realized_pnl: input.realizedPnl, r_multiple: input.rMultiple, fees: input.fees },
          });
        });
      } catch (err) {
        rethrowConstraint(err, 'close trade');
      }
    },

    async cancelTrade(input: { tradeId: string; userId: string; reason: string }): Promise<void> {
      await sql.begin(async (tx) => {
        await tx`
          update public.trades set status = 'cancelled'
           where id = ${input.tradeId} and status in ('open', 'pending')`;
        await tx`update public.price_triggers set active = false where trade_id = ${input.tradeId} and active`;
        await insertEvent(tx, {
          tradeId: input.tradeId,
          userId: input.userId,
          kind: 'cancelled',
          key: 'cancelled',
          data: { reason: input.reason },
        });
      });
    },

    /** The trader's journal note: a 'note' event and appended to trades.notes; once per key. */
    async recordJournalNote(input: {
      tradeId: string;
      userId: string;
      key: string;
      text: string;
    }): Promise<void> {
      const text = input.text.trim().slice(0, 1600);
      if (!text) badInput('empty journal note');
      await sql.begin(async (tx) => {
        const wrote = await insertEvent(tx, {
          tradeId: input.tradeId,
          userId: input.userId,
          kind: 'note',
          key: input.key,
          data: { text },
        });
        if (!wrote) return;
        await tx`
          update public.trades
             set notes = right(case when notes is null or notes = '' then ${text}
                                    else notes || E'\n' || ${text} end, 4000)
           where id = ${input.tradeId}`;
      });
    },

    /** A plain message to the trader about this trade (no answer expected). */
    async sendTradeSms(input: { userId: string; key: string; body: string }): Promise<SentSms | null> {
      const phone = await phoneOf(input.userId);
      if (!phone) return null; // no phone on file: the dashboard still shows the journal
      try {
        return await outbox.send({
          userId: input.userId,
          to: phone,
          body: input.body,
          idempotencyKey: input.key,
        });
      } catch (err) {
        if (err instanceof SmsOptedOutError) return null; // STOP: the journal still has it
        throw err;
      }
    },

    /**
     * Asks the trader through their conversation workflow (started if needed), which sends the SMS
     * and routes the "yes"/"no" back as an `answer` signal. False when the trader has no phone.
     */
    async askTrader(input: { userId: string; ask: AskTraderSignal }): Promise<boolean> {
      const phone = await phoneOf(input.userId);
      if (!phone) return false;
      const args: ConversationInput = { phone, userId: input.userId };
      await client.workflow.signalWithStart(WORKFLOW_TYPES.conversation, {
        workflowId: conversationWorkflowId(phone),
        taskQueue,
        args: [args],
        signal: askTraderSignal,
        signalArgs: [input.ask],
      });
      return true;
    },
  };
}

export type TradeActivities = ReturnType<typeof createTradeActivities>;
