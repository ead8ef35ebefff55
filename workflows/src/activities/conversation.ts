// Activities of the conversation workflow (one per phone): understanding a message (Claude or the
// deterministic parser, with the trader's open trades as context), opening a trade and starting its
// workflow, answering status / P&L from the database, watchlist and mute edits, and replies through
// the SmsOutbox. Idempotent: a trade insert on its workflow-made id, a workflow start on its id,
// an SMS on its key; watch/mute edits are set operations.
import { ApplicationFailure } from '@temporalio/activity';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { type Intent, intentSchema, type OpenTradeContext, PNL_PERIODS } from '@tradeassist/core/intent';
import { decimalToFixed, fixedToDecimal } from '@tradeassist/core/money';
import type { Db } from '@tradeassist/db';
import type { IntentParser } from '@tradeassist/messaging/intent';
import { SmsOptedOutError } from '@tradeassist/messaging/twilio';
import type { SentSms, SmsOutbox } from '@tradeassist/messaging/twilio/outbox-types';
import { z } from 'zod';
import { type TradeLifecycleInput, tradeWorkflowId, WORKFLOW_TYPES } from '../contract.ts';

export interface ConversationActivityDeps {
  sql: Db;
  outbox: SmsOutbox;
  parseIntent: IntentParser;
  /** Starts trade workflows. */
  client: Client;
  taskQueue: string;
}

/** An open trade as the conversation sees it (to route "out at 12.40" to the right workflow). */
export interface OpenTradeRef {
  tradeId: string;
  symbol: string;
  side: 'long' | 'short';
  quantity: string;
  entry: string;
}

export interface Interpretation {
  intent: Intent;
  confidence: number;
  source: 'claude' | 'rules';
  needsConfirmation: boolean;
  openTrades: OpenTradeRef[];
}

const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const openTradeRowSchema = z.object({
  id: z.string().uuid(),
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  quantity: decimal,
  exited_quantity: decimal,
  entry: decimal,
});

export interface NewTrade {
  tradeId: string;
  userId: string;
  symbol: string;
  side: 'long' | 'short';
  quantity: string;
  entry: string;
  stop: string | null;
  target: string | null;
}

function badInput(message: string): never {
  throw ApplicationFailure.create({ message, nonRetryable: true, type: 'BadInput' });
}

/** "150.200000000" -> "150.20"; "100.000000" -> "100" (for messages, no arithmetic). */
export function trimDecimal(s: string, minDecimals = 2): string {
  const [int, frac = ''] = s.split('.');
  let f = frac.replace(/0+$/, '');
  if (f.length < minDecimals) f = f.padEnd(minDecimals, '0');
  return f ? `${int}.${f}` : `${int}`;
}

export function createConversationActivities(deps: ConversationActivityDeps) {
  const { sql, outbox, parseIntent, client, taskQueue } = deps;

  async function openTrades(userId: string): Promise<OpenTradeRef[]> {
    const rows = await sql`
      select id, symbol, side, quantity::text, exited_quantity::text, entry::text
        from public.trades
       where user_id = ${userId} and status in ('open', 'pending')
       order by opened_at desc nulls last, created_at desc`;
    return z
      .array(openTradeRowSchema)
      .parse(rows)
      .map((r) => ({
        tradeId: r.id,
        symbol: r.symbol,
        side: r.side,
        // What is still open: the parser's context and "sell half" are about that.
        quantity: subtract(r.quantity, r.exited_quantity),
        entry: r.entry,
      }));
  }

  return {
    /**
     * Parses the message with the trader's open trades as context and stores what was understood
     * on the inbound sms_messages row (parsed_intent: the intent's fields plus source and confidence).
     */
    async interpretMessage(input: {
      userId: string;
      messageId: string;
      body: string;
    }): Promise<Interpretation> {
      const trades = await openTrades(input.userId);
      const context: OpenTradeContext[] = trades.map((t) => ({
        symbol: t.symbol,
        side: t.side,
        entry: /^\d{1,12}(\.\d{1,9})?$/.test(t.entry) ? t.entry : null,
        quantity:
          /^\d+(\.0+)?$/.test(t.quantity) && Number(t.quantity) > 0 ? Number.parseInt(t.quantity, 10) : null,
      }));
      const parsed = await parseIntent(input.body, { openTrades: context });
      // The parsers validate already; this is the boundary of the workflow's own data.
      const intent = intentSchema.parse(parsed.intent);
      const stored = {
        ...intent,
        source: parsed.source,
        confidence: parsed.confidence,
        needs_confirmation: parsed.needsConfirmation,
      };
      await sql`
        update public.sms_messages set parsed_intent = ${sql.json(stored)}
         where id = ${input.messageId} and direction = 'in'`;
      return {
        intent,
        confidence: parsed.confidence,
        source: parsed.source,
        needsConfirmation: parsed.needsConfirmation,
        openTrades: trades,
      };
    },

    /** Inserts the trade (status open) once: the id comes from the workflow. */
    async createTrade(t: NewTrade): Promise<void> {
      try {
        await sql`
          insert into public.trades (id, user_id, symbol, side, quantity, entry, stop, target, workflow_id)
          values (${t.tradeId}, ${t.userId}, ${t.symbol}, ${t.side}, ${t.quantity}::numeric, ${t.entry}::numeric,
                  ${t.stop}::numeric, ${t.target}::numeric, ${tradeWorkflowId(t.tradeId)})
          on conflict (id) do nothing`;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('23'))
          badInput(`trade rejected: ${(err as Error).message}`);
        throw err;
      }
    },

    /** Starts `trade-<id>`; a second start (a retry) finds it running and is fine. */
    async startTradeWorkflow(input: TradeLifecycleInput): Promise<void> {
      try {
        await client.workflow.start(WORKFLOW_TYPES.tradeLifecycle, {
          workflowId: tradeWorkflowId(input.tradeId),
          taskQueue,
          args: [input],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },

    /** null: the trader answered STOP (carriers forbid texting them); nothing to retry. */
    async sendReply(input: {
      userId: string;
      to: string;
      key: string;
      body: string;
    }): Promise<SentSms | null> {
      try {
        return await outbox.send({
          userId: input.userId,
          to: input.to,
          body: input.body,
          idempotencyKey: input.key,
        });
      } catch (err) {
        if (err instanceof SmsOptedOutError) return null;
        throw err;
      }
    },

    /** "AAPL long 100 @ 150.20 stop 148.00 tgt 155.00" per open trade. */
    async statusReport(input: { userId: string }): Promise<string> {
      const rows = await sql`
        select symbol, side, (quantity - exited_quantity)::text as open_qty, entry::text,
               coalesce(current_stop, stop)::text as stop, target::text
          from public.trades
         where user_id = ${input.userId} and status in ('open', 'pending')
         order by opened_at nulls last
         limit 10`;
      const parsed = z
        .array(
          z.object({
            symbol: z.string(),
            side: z.string(),
            open_qty: decimal,
            entry: decimal,
            stop: decimal.nullable(),
            target: decimal.nullable(),
          }),
        )
        .parse(rows);
      if (parsed.length === 0) return 'No open trades.';
      return parsed
        .map(
          (r) =>
            `${r.symbol} ${r.side} ${trimDecimal(r.open_qty, 0)} @ ${trimDecimal(r.entry)}` +
            (r.stop ? ` stop ${trimDecimal(r.stop)}` : ' no stop') +
            (r.target ? ` tgt ${trimDecimal(r.target)}` : ''),
        )
        .join('\n');
    },

    /**
     * Realized P&L of the period (exchange time, America/New_York): trades closed in it, plus
     * partial exits of trades still open. Summed in SQL numeric: exact.
     */
    async pnlReport(input: { userId: string; period: (typeof PNL_PERIODS)[number] }): Promise<string> {
      if (!PNL_PERIODS.includes(input.period)) badInput(`unknown period ${input.period}`);
      const unit = input.period === 'today' ? 'day' : input.period;
      const rows = await sql`
        with bounds as (
          select (date_trunc(${unit}, now() at time zone 'America/New_York') at time zone 'America/New_York') as since
        )
        select coalesce(sum(t.realized_pnl) filter (where t.status = 'closed'), 0)::numeric(24, 2)::text as closed_pnl,
               count(*) filter (where t.status = 'closed')::int as closed,
               count(*) filter (where t.status = 'closed' and t.realized_pnl > 0)::int as wins,
               coalesce(sum(t.realized_pnl) filter (where t.status = 'open'), 0)::numeric(24, 2)::text as partial_pnl
          from public.trades t, bounds b
         where t.user_id = ${input.userId}
           and ((t.status = 'closed' and t.closed_at >= b.since)
             or (t.status = 'open' and t.realized_pnl is not null and t.updated_at >= b.since))`;
      const r = z
        .object({
          closed_pnl: z.string(),
          closed: z.number().int(),
          wins: z.number().int(),
          partial_pnl: z.string(),
        })
        .parse(rows[0]);
      const label = input.period === 'today' ? 'Today' : input.period === 'week' ? 'This week' : 'This month';
      const signed = (s: string) => (s.startsWith('-') ? s : `+${s}`);
      let text = `${label}: ${signed(r.closed_pnl)} on ${r.closed} closed trade${r.closed === 1 ? '' : 's'}`;
      if (r.closed > 0) text += ` (${r.wins} win${r.wins === 1 ? '' : 's'})`;
      if (r.partial_pnl !== '0.00') text += `, ${signed(r.partial_pnl)} from partial exits`;
      return `${text}.`;
    },

    /** Adds to or removes from the default watchlist (made if the trader has none). */
    async editWatchlist(input: {
      userId: string;
      action: 'watch' | 'unwatch';
      symbols: string[];
    }): Promise<string[]> {
      const symbols = z
        .array(z.string().regex(/^[A-Z][A-Z0-9.]{0,9}$/))
        .min(1)
        .parse(input.symbols);
      return sql.begin(async (tx) => {
        await tx`
          insert into public.watchlists (user_id, name, is_default)
          select ${input.userId}, 'Watchlist', true
           where not exists (select 1 from public.watchlists where user_id = ${input.userId} and is_default)
          on conflict do nothing`;
        const [list] =
          await tx`select id from public.watchlists where user_id = ${input.userId} and is_default`;
        if (!list) badInput(`no default watchlist for ${input.userId}`);
        if (input.action === 'watch') {
          await tx`
            insert into public.watchlist_symbols (watchlist_id, user_id, symbol, position)
            select ${list.id}, ${input.userId}, s,
                   coalesce((select max(position) + 1 from public.watchlist_symbols where watchlist_id = ${list.id}), 0) + o
              from unnest(${symbols}::text[]) with ordinality as u(s, o)
            on conflict (watchlist_id, symbol) do nothing`;
        } else {
          await tx`
            delete from public.watchlist_symbols where watchlist_id = ${list.id} and symbol = any(${symbols}::text[])`;
        }
        const rows = await tx`
          select symbol from public.watchlist_symbols where watchlist_id = ${list.id} order by position, symbol`;
        return rows.map((r) => String(r.symbol));
      });
    },

    /** Mutes one symbol or everything, for `minutes` or until unmuted (one row per user and symbol). */
    async setMute(input: { userId: string; symbol: string | null; minutes: number | null }): Promise<void> {
      if (input.minutes !== null && !(Number.isInteger(input.minutes) && input.minutes > 0))
        badInput(`bad mute minutes ${input.minutes}`);
      await sql`
        insert into public.mutes (user_id, symbol, until)
        values (${input.userId}, ${input.symbol},
                case when ${input.minutes}::int is null then null
                     else now() + make_interval(mins => ${input.minutes}::int) end)
        on conflict (user_id, symbol) do update set until = excluded.until, created_at = now()`;
    },

    /** Unmutes one symbol, or (symbol null) everything. */
    async clearMute(input: { userId: string; symbol: string | null }): Promise<number> {
      const rows =
        input.symbol === null
          ? await sql`delete from public.mutes where user_id = ${input.userId} returning id`
          : await sql`delete from public.mutes where user_id = ${input.userId} and symbol = ${input.symbol} returning id`;
      return rows.length;
    },
  };
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;

/** a - b on decimal strings (exact, for display and the parser's context). */
function subtract(a: string, b: string): string {
  return fixedToDecimal(decimalToFixed(a) - decimalToFixed(b), 0);
}
