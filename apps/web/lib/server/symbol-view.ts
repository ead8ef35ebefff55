// What the symbol page shows, read from what the database holds: the symbol's alerts (the newest
// trading day's become the intraday timeline), its daily bars and its prior close. There is no
// intraday bar store yet, so the intraday chart plots the prices at which alerts fired, not candles.
import { etDateOf, etOffsetSeconds } from '@tradeassist/core/calendar';
import { decimalToFixed } from '@tradeassist/core/money';
import { liveAlertSchema, normalizeLiveAlert } from '@tradeassist/db/live-alert';
import type { ApiAlert } from './alerts.ts';
import { db } from './db.ts';

export interface DailyBar {
  trade_date: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

export interface SymbolView {
  symbol: string;
  /** The New York trading day of the newest alert (null without alerts). */
  day: string | null;
  alerts: ApiAlert[];
  dayAlerts: ApiAlert[];
  bars: DailyBar[];
  priorClose: string | null;
  priorDate: string | null;
  avgVolume20: string | null;
  /** Newest alert price against the prior close, in percent to 2 decimals (exact arithmetic). */
  changePct: number | null;
}

const ALERT_LIMIT = 500;
const BAR_DAYS = 90;

/** (last − prior) ÷ prior × 100, rounded to 2 decimals, on fixed-point integers. */
export function changePercent(last: string, prior: string): number | null {
  const p = decimalToFixed(prior);
  if (p <= 0n) return null;
  const bp = ((decimalToFixed(last) - p) * 1_000_000n) / p; // 1e-6 units of a ratio
  return Math.round(Number(bp) / 100) / 100;
}

/** Seconds on the chart's clock: UTC shifted to New York wall time, as lightweight-charts shows UTC. */
export function chartTime(tsEventNanos: string): number {
  const s = Number(BigInt(tsEventNanos) / 1_000_000_000n);
  return s - etOffsetSeconds(s);
}

export async function symbolView(symbol: string): Promise<SymbolView> {
  const sql = db();
  const [rows, bars] = await Promise.all([
    sql`
      select id::text as id, symbol, type, ts_event::text as ts_event, price::text as price, session,
             score, details, dedupe_key, user_id::text as user_id, rule_id::text as rule_id,
             to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
        from public.alerts
       where symbol = ${symbol}
       order by ts_event desc, id desc
       limit ${ALERT_LIMIT}`,
    sql<DailyBar[]>`
      select trade_date::text as trade_date, open::text as open, high::text as high, low::text as low,
             close::text as close, volume::text as volume
        from (select * from public.daily_bars where symbol = ${symbol}
               order by trade_date desc limit ${BAR_DAYS}) b
       order by trade_date`,
  ]);
  const alerts = rows.map((row) => {
    const p = liveAlertSchema.safeParse(row);
    if (!p.success) throw new Error(`alerts row ${String(row.id)} does not match the alert schema`);
    return normalizeLiveAlert(p.data);
  });
  const newest = alerts[0];
  const day = newest ? etDateOf(Number(BigInt(newest.ts_event) / 1_000_000_000n)) : null;
  const dayAlerts = day
    ? alerts.filter((a) => etDateOf(Number(BigInt(a.ts_event) / 1_000_000_000n)) === day)
    : [];
  let ref:
    | { prior_close: string | null; prior_date: string | null; avg_volume_20: string | null }
    | undefined;
  if (day) {
    [ref] = await sql<
      { prior_close: string | null; prior_date: string | null; avg_volume_20: string | null }[]
    >`
      select prior_close::text as prior_close, prior_date::text as prior_date, avg_volume_20::text as avg_volume_20
        from public.daily_reference(${day}::date, ${[symbol]}::text[])`;
  }
  const priorClose = ref?.prior_close ? normalizeDecimal(ref.prior_close) : null;
  return {
    symbol,
    day,
    alerts,
    dayAlerts,
    bars,
    priorClose,
    priorDate: ref?.prior_date ?? null,
    avgVolume20: ref?.avg_volume_20 ?? null,
    changePct: newest && priorClose ? changePercent(newest.price, priorClose) : null,
  };
}

function normalizeDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const t = s.replace(/0+$/, '');
  return t.endsWith('.') ? t.slice(0, -1) : t;
}
