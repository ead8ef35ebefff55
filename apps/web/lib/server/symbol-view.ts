// What the symbol page shows, read from what the database holds: the symbol's trading day (the New
// York day of its newest 1-minute bar or alert), that day's 1-minute bars (intraday_bars, written by
// the screener) and alerts, its daily bars, and the key numbers a trader reads first - last price,
// prior close, gap, relative volume, high/low of day, VWAP - computed here on fixed-point integers
// from the bars' decimal strings (prices never pass through a float; plotting converts on the client).
import { etDateOf, etOffsetSeconds, tradingDayInfo } from '@tradeassist/core/calendar';
import { decimalToFixed, fixedToDecimal } from '@tradeassist/core/money';
// The intraday volume profile behind the screener's relative volume, so the page's RVOL is the
// alerts' RVOL. A pure table; it belongs in packages/core (noted for the lead).
import { CUMULATIVE_SHARE } from '@tradeassist/core/volume-profile';
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

/** A 1-minute bar on the wire: `t` = the minute's start in UTC seconds, prices as decimal strings. */
export interface IntradayBar {
  t: number;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  /** The bar's own VWAP (null without volume). */
  w: string | null;
  n: number;
}

export interface KeyNumbers {
  /** Newest price: the last bar's close, or a newer alert's price. */
  last: string | null;
  /** UTC seconds of `last`. */
  lastAt: number | null;
  priorClose: string | null;
  priorDate: string | null;
  /** last against the prior close, percent to 2 decimals. */
  changePct: number | null;
  /** The regular open against the prior close (before the open: the last pre-market price). */
  gapPct: number | null;
  gapBasis: 'open' | 'pre' | null;
  /** Today's volume against the 20-day average's expected volume by this minute (as the screener). */
  rvol: number | null;
  volume: string | null;
  /** Regular-session high/low once it has started, else the pre-market's. */
  high: string | null;
  low: string | null;
  /** Session VWAP (regular from 9:30; before it, the pre-market's). */
  vwap: string | null;
  session: 'pre' | 'regular' | 'post' | null;
}

export interface SymbolView {
  symbol: string;
  /** The New York trading day shown (null: nothing for the symbol yet). */
  day: string | null;
  /** UTC seconds: the day's regular open (VWAP resets there). */
  openAt: number | null;
  alerts: ApiAlert[];
  bars: IntradayBar[];
  daily: DailyBar[];
  avgVolume20: string | null;
  stats: KeyNumbers;
  /** The newest alert id of any symbol when the page was read: the live feed resumes after it. */
  latestAlertId: string | null;
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

/**
 * A derived price (VWAP) rounded as quotes are: to the cent from $1 up, to 1/100 of a cent below
 * (Reg NMS sub-penny rule), half up, on raw 1e-9 integers.
 */
export function roundQuote(raw: bigint): bigint {
  const step = raw >= 1_000_000_000n ? 10_000_000n : 100_000n;
  return ((raw + step / 2n) / step) * step;
}

function normalizeDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const t = s.replace(/0+$/, '');
  return t.endsWith('.') ? t.slice(0, -1) : t;
}

/**
 * The key numbers of a day from its bars (ascending), the reference and the newest alert. Pure, so
 * the bars route recomputes them for each refresh and the tests check the arithmetic.
 */
export function keyNumbers(input: {
  day: string;
  bars: readonly IntradayBar[];
  priorClose: string | null;
  priorDate: string | null;
  avgVolume20: string | null;
  newestAlert?: { price: string; at: number } | undefined;
}): KeyNumbers {
  const { bars, priorClose } = input;
  const info = tradingDayInfo(input.day);
  const regular = bars.filter((b) => b.t >= info.open && b.t < info.close);
  const pre = bars.filter((b) => b.t < info.open);
  const lastBar = bars.at(-1);
  let last: string | null = lastBar ? lastBar.c : null;
  let lastAt: number | null = lastBar ? lastBar.t + 60 : null;
  const na = input.newestAlert;
  if (na && (lastAt === null || na.at > lastAt)) {
    last = na.price;
    lastAt = na.at;
  }
  const session =
    lastAt === null ? null : lastAt <= info.open ? 'pre' : lastAt <= info.close ? 'regular' : 'post';

  const hlBars = regular.length > 0 ? regular : pre;
  let high: bigint | null = null;
  let low: bigint | null = null;
  for (const b of hlBars) {
    const h = decimalToFixed(b.h);
    const l = decimalToFixed(b.l);
    if (high === null || h > high) high = h;
    if (low === null || l < low) low = l;
  }

  // Session VWAP = sum(bar VWAP x bar volume) / sum(volume), on raw integers.
  let pv = 0n;
  let vol = 0n;
  for (const b of regular.length > 0 ? regular : pre) {
    if (b.w === null) continue;
    const v = BigInt(b.v);
    pv += decimalToFixed(b.w) * v;
    vol += v;
  }
  let dayVolume = 0n;
  for (const b of bars) dayVolume += BigInt(b.v);

  let rvol: number | null = null;
  const avg = input.avgVolume20 ? Number(input.avgVolume20) : 0;
  if (lastBar && avg > 0) {
    const m = Math.min(Math.floor((lastBar.t - info.preOpen) / 60), CUMULATIVE_SHARE.length - 1);
    const share = m >= 0 ? CUMULATIVE_SHARE[m]! : 0;
    if (share > 0) rvol = Math.round((Number(dayVolume) / (avg * share)) * 100) / 100;
  }

  const firstRegular = regular[0];
  const gapPrice = firstRegular ? firstRegular.o : pre.length > 0 ? pre.at(-1)!.c : null;
  return {
    last: last ? normalizeDecimal(last) : null,
    lastAt,
    priorClose,
    priorDate: input.priorDate,
    changePct: last && priorClose ? changePercent(last, priorClose) : null,
    gapPct: gapPrice && priorClose ? changePercent(gapPrice, priorClose) : null,
    gapBasis: firstRegular ? 'open' : gapPrice ? 'pre' : null,
    rvol,
    volume: bars.length > 0 ? dayVolume.toString() : null,
    high: high === null ? null : normalizeDecimal(fixedToDecimal(high)),
    low: low === null ? null : normalizeDecimal(fixedToDecimal(low)),
    vwap: vol > 0n ? normalizeDecimal(fixedToDecimal(roundQuote((pv + vol / 2n) / vol))) : null,
    session,
  };
}

interface BarRow {
  t: string;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  w: string | null;
  n: number;
}

const toBar = (r: BarRow): IntradayBar => ({
  t: Number(r.t),
  o: normalizeDecimal(r.o),
  h: normalizeDecimal(r.h),
  l: normalizeDecimal(r.l),
  c: normalizeDecimal(r.c),
  v: r.v,
  w: r.w === null ? null : normalizeDecimal(r.w),
  n: r.n,
});

/** The day's bars from `fromS` (UTC seconds, inclusive) on; the primary key serves it as one range. */
export async function dayBars(symbol: string, day: string, fromS?: number): Promise<IntradayBar[]> {
  const info = tradingDayInfo(day);
  const from = Math.max(info.dayStart, fromS ?? info.dayStart);
  const rows = await db()<BarRow[]>`
    select extract(epoch from ts)::bigint::text as t, open::text as o, high::text as h, low::text as l,
           close::text as c, volume::text as v, vwap::text as w, trade_count as n
      from public.intraday_bars
     where symbol = ${symbol} and ts >= to_timestamp(${from}) and ts < to_timestamp(${info.dayEnd})
     order by ts`;
  return rows.map(toBar);
}

async function dayAlerts(symbol: string, day: string): Promise<ApiAlert[]> {
  const info = tradingDayInfo(day);
  const rows = await db()`
    select id::text as id, symbol, type, ts_event::text as ts_event, price::text as price, session,
           score, details, dedupe_key, user_id::text as user_id, rule_id::text as rule_id,
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
      from public.alerts
     where symbol = ${symbol}
       and ts_event >= ${String(BigInt(info.dayStart) * 1_000_000_000n)}::bigint
       and ts_event < ${String(BigInt(info.dayEnd) * 1_000_000_000n)}::bigint
     order by ts_event desc, id desc
     limit ${ALERT_LIMIT}`;
  return rows.map((row) => {
    const p = liveAlertSchema.safeParse(row);
    if (!p.success) throw new Error(`alerts row ${String(row.id)} does not match the alert schema`);
    return normalizeLiveAlert(p.data);
  });
}

interface Reference {
  prior_close: string | null;
  prior_date: string | null;
  avg_volume_20: string | null;
}

async function reference(symbol: string, day: string): Promise<Reference | undefined> {
  const [ref] = await db()<Reference[]>`
    select prior_close::text as prior_close, prior_date::text as prior_date, avg_volume_20::text as avg_volume_20
      from public.daily_reference(${day}::date, ${[symbol]}::text[])`;
  return ref;
}

/** The day the page shows: that of the symbol's newest bar or alert, whichever is newer. */
export async function latestDay(symbol: string): Promise<string | null> {
  const [r] = await db()<{ bar: string | null; alert: string | null }[]>`
    select (select extract(epoch from ts)::bigint::text from public.intraday_bars
             where symbol = ${symbol} order by ts desc limit 1) as bar,
           (select (ts_event / 1000000000)::text from public.alerts
             where symbol = ${symbol} order by ts_event desc limit 1) as alert`;
  const s = Math.max(Number(r?.bar ?? -1), Number(r?.alert ?? -1));
  return s < 0 ? null : etDateOf(s);
}

const atOf = (a: ApiAlert) => Number(BigInt(a.ts_event) / 1_000_000_000n);

export async function symbolView(symbol: string): Promise<SymbolView> {
  const sql = db();
  const [day, daily, [latest]] = await Promise.all([
    latestDay(symbol),
    sql<DailyBar[]>`
      select trade_date::text as trade_date, open::text as open, high::text as high, low::text as low,
             close::text as close, volume::text as volume
        from (select * from public.daily_bars where symbol = ${symbol}
               order by trade_date desc limit ${BAR_DAYS}) b
       order by trade_date`,
    sql<{ id: string | null }[]>`select (select id from public.alerts order by id desc limit 1)::text as id`,
  ]);
  if (!day) {
    return {
      symbol,
      day: null,
      openAt: null,
      alerts: [],
      bars: [],
      daily,
      avgVolume20: null,
      stats: keyNumbers({
        day: etDateOf(Date.now() / 1000),
        bars: [],
        priorClose: null,
        priorDate: null,
        avgVolume20: null,
      }),
      latestAlertId: latest?.id ?? null,
    };
  }
  const [bars, alerts, ref] = await Promise.all([
    dayBars(symbol, day),
    dayAlerts(symbol, day),
    reference(symbol, day),
  ]);
  const priorClose = ref?.prior_close ? normalizeDecimal(ref.prior_close) : null;
  const newest = alerts[0];
  return {
    symbol,
    day,
    openAt: tradingDayInfo(day).open,
    alerts,
    bars,
    daily,
    avgVolume20: ref?.avg_volume_20 ?? null,
    stats: keyNumbers({
      day,
      bars,
      priorClose,
      priorDate: ref?.prior_date ?? null,
      avgVolume20: ref?.avg_volume_20 ?? null,
      newestAlert: newest ? { price: newest.price, at: atOf(newest) } : undefined,
    }),
    latestAlertId: latest?.id ?? null,
  };
}

/** For the page's refresh: the day's bars from `fromS` on and the key numbers over the whole day. */
export async function symbolBarsSince(
  symbol: string,
  day: string,
  fromS: number,
): Promise<{ bars: IntradayBar[]; stats: KeyNumbers }> {
  // Key numbers need the whole day (high/low, VWAP, volume): one index range of at most 960 rows.
  const [all, ref, [newest]] = await Promise.all([
    dayBars(symbol, day),
    reference(symbol, day),
    db()<{ price: string; at: string }[]>`
      select price::text as price, (ts_event / 1000000000)::text as at from public.alerts
       where symbol = ${symbol} order by ts_event desc limit 1`,
  ]);
  const priorClose = ref?.prior_close ? normalizeDecimal(ref.prior_close) : null;
  const stats = keyNumbers({
    day,
    bars: all,
    priorClose,
    priorDate: ref?.prior_date ?? null,
    avgVolume20: ref?.avg_volume_20 ?? null,
    newestAlert:
      newest && etDateOf(Number(newest.at)) === day
        ? { price: normalizeDecimal(newest.price), at: Number(newest.at) }
        : undefined,
  });
  return { bars: all.filter((b) => b.t >= fromS), stats };
}
