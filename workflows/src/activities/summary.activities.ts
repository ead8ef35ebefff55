// Activities of the daily summary: who gets one (a verified phone and an SMS opt-in), and each
// trader's day: realized P&L of the trades closed that New York day (exact numeric sum in Postgres),
// trades opened and closed, the win rate, and the best alerts the trader was sent. One SMS per
// trader and day, keyed `summary-<date>-<user id>`, so a re-run of the schedule sends nothing twice.
import { ApplicationFailure } from '@temporalio/activity';
import { ALERT_TYPES } from '@tradeassist/core/alert';
import { tradingDayInfo } from '@tradeassist/core/calendar';
import type { Db } from '@tradeassist/db';
import { dailySummarySmsText } from '@tradeassist/messaging/delivery';
import type { SmsOutbox } from '@tradeassist/messaging/twilio/outbox-types';
import { z } from 'zod';

export interface SummaryDeps {
  sql: Db;
  outbox: SmsOutbox;
}

export interface DailySummaryOutcome {
  userId: string;
  sent: boolean;
  /** Why nothing was sent (no trades and no alerts that day, opted out since). */
  reason?: string;
  duplicate?: boolean;
  realizedPnl: string;
  opened: number;
  closed: number;
  wins: number;
}

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const sendInputSchema = z.object({ date: dateSchema, userId: z.string().uuid() });

const statsSchema = z.object({
  realized_pnl: z.string(),
  opened: z.coerce.number().int(),
  closed: z.coerce.number().int(),
  wins: z.coerce.number().int(),
});
const bestSchema = z.object({ symbol: z.string(), type: z.enum(ALERT_TYPES) });
const recipientSchema = z.object({ id: z.string().uuid(), phone: z.string() });

/** The New York day [start, end) of a date, as instants (23 or 25 hours on DST switches). */
function dayBounds(date: string): { start: Date; end: Date } {
  const info = tradingDayInfo(date);
  return { start: new Date(info.dayStart * 1000), end: new Date(info.dayEnd * 1000) };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw ApplicationFailure.nonRetryable(`bad ${what}: ${r.error.message}`, 'BadInput');
  return r.data;
}

export function createSummaryActivities(deps: SummaryDeps) {
  const { sql } = deps;
  return {
    /** Traders who can receive SMS at all. */
    async listSummaryRecipients(input: { date: string }): Promise<string[]> {
      parse(z.object({ date: dateSchema }), input, 'listSummaryRecipients input');
      const rows = await sql`
        select id from public.profiles
        where phone_verified and phone is not null and sms_opt_in = 'opted_in'
        order by id`;
      return rows.map((r) => parse(z.object({ id: z.string().uuid() }), r, 'profile row').id);
    },

    async sendDailySummary(input: { date: string; userId: string }): Promise<DailySummaryOutcome> {
      const { date, userId } = parse(sendInputSchema, input, 'sendDailySummary input');
      const { start, end } = dayBounds(date);
      const stats = parse(
        statsSchema,
        (
          await sql`
            select
              coalesce(sum(realized_pnl) filter (where status = 'closed' and closed_at >= ${start} and closed_at < ${end}), 0)::text
                as realized_pnl,
              count(*) filter (where opened_at >= ${start} and opened_at < ${end}) as opened,
              count(*) filter (where status = 'closed' and closed_at >= ${start} and closed_at < ${end}) as closed,
              count(*) filter (where status = 'closed' and closed_at >= ${start} and closed_at < ${end}
                               and realized_pnl > 0) as wins
            from public.trades
            where user_id = ${userId}
              and (opened_at >= ${start} or closed_at >= ${start})`
        )[0],
        'trade stats',
      );
      // The best alerts the trader was actually sent that day (any channel), highest score first.
      const best = (
        await sql`
          select a.symbol, a.type from public.alert_deliveries d
          join public.alerts a on a.id = d.alert_id
          where d.user_id = ${userId} and d.created_at >= ${start} and d.created_at < ${end}
          group by a.id, a.symbol, a.type, a.score
          order by a.score desc, a.id
          limit 3`
      ).map((r) => parse(bestSchema, r, 'alert row'));
      const base = {
        userId,
        realizedPnl: stats.realized_pnl,
        opened: stats.opened,
        closed: stats.closed,
        wins: stats.wins,
      };
      if (stats.opened === 0 && stats.closed === 0 && best.length === 0) {
        return { ...base, sent: false, reason: 'nothing to report' };
      }
      const [recipient] = (
        await sql`select id, phone from public.profiles
                  where id = ${userId} and phone_verified and phone is not null and sms_opt_in = 'opted_in'`
      ).map((r) => parse(recipientSchema, r, 'profile row'));
      if (!recipient) return { ...base, sent: false, reason: 'no verified, opted-in phone' };
      const body = dailySummarySmsText({ date, ...base, bestAlerts: best });
      try {
        const sent = await deps.outbox.send({
          userId,
          to: recipient.phone,
          body,
          idempotencyKey: `summary-${date}-${userId}`,
          alertId: null,
        });
        return { ...base, sent: sent.status !== 'failed', duplicate: sent.duplicate };
      } catch (e) {
        if ((e as Error).name === 'SmsOptedOutError') return { ...base, sent: false, reason: 'opted_out' };
        throw e;
      }
    },
  };
}

export type SummaryActivities = ReturnType<typeof createSummaryActivities>;
