// A morning's worth of varied alerts for screenshots: every tone, pre-market and regular session,
// with the details the rows show (pct, rvol), created over the last half hour.
import type { Sql } from 'postgres';

const SAMPLE: [string, string, string, 'pre' | 'regular' | 'post', number, Record<string, unknown>][] = [
  ['NVDA', 'gap_up', '482.15', 'pre', 0.83, { prev_close: '455.00', pct: 5.97, rvol: 4.1 }],
  ['TSLA', 'gap_down', '212.40', 'pre', 0.71, { prev_close: '224.10', pct: -5.22, rvol: 3.2 }],
  ['AMD', 'momentum_up', '151.32', 'regular', 0.64, { pct: 3.4, rvol: 2.6, window_min: 5 }],
  ['SMCI', 'halt', '38.90', 'regular', 1, { reason: 'LULD pause' }],
  ['SMCI', 'resume', '41.25', 'regular', 1, { pct: 6.04 }],
  ['AAPL', 'vwap_cross_up', '228.61', 'regular', 0.42, { vwap: '228.40', rvol: 1.3 }],
  ['PLTR', 'volume_spike', '64.07', 'regular', 0.9, { rvol: 11.8, pct: 1.2 }],
  ['META', 'new_high_of_day', '603.88', 'regular', 0.55, { pct: 2.1, rvol: 1.9 }],
  ['RIVN', 'new_low_of_day', '11.02', 'regular', 0.51, { pct: -4.7, rvol: 2.4 }],
  ['COIN', 'rsi_overbought', '302.5', 'regular', 0.47, { rsi: 78.2 }],
  ['MARA', 'momentum_down', '17.84', 'regular', 0.77, { pct: -3.9, rvol: 3.7 }],
  ['BRK.B', 'macd_cross_down', '462.1', 'regular', 0.33, { pct: -0.4 }],
  ['SOFI', 'bollinger_break_up', '15.66', 'regular', 0.61, { pct: 2.8, rvol: 2.2 }],
  ['GME', 'gap_up', '28.37', 'pre', 0.95, { prev_close: '22.05', pct: 28.66, rvol: 14.2 }],
];

export async function seedAlerts(sql: Sql): Promise<void> {
  let i = 0;
  for (const [symbol, type, price, session, score, details] of SAMPLE) {
    i++;
    await sql`
      insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key, created_at)
      values (${symbol}, ${type}, ${String(1_763_730_000_000_000_000n + BigInt(i) * 60_000_000_000n)}, ${price},
              ${session}, ${score}, ${sql.json(details as never)}, ${`seed:${symbol}:${type}`},
              now() - make_interval(secs => ${(SAMPLE.length - i) * 130 + 5}))`;
  }
}

/**
 * NVDA's day for the symbol page: daily bars for the 30 weekdays before 2025-11-21 (a gentle walk
 * ending at a 455.00 close on 2025-11-20, the prior close of the gap-up alert) and alerts through
 * the morning of 2025-11-21.
 */
export async function seedSymbolDay(sql: Sql): Promise<void> {
  await sql`
    with days as (
      select d::date as trade_date, row_number() over (order by d desc) as k
        from generate_series(date '2025-11-20' - 41, date '2025-11-20', interval '1 day') d
       where extract(isodow from d) < 6
    )
    insert into public.daily_bars (symbol, trade_date, open, high, low, close, volume)
    select 'NVDA', trade_date,
           round((455 - (k - 1) * 1.5 + sin(k) * 3 - 1.2)::numeric, 2),
           round((455 - (k - 1) * 1.5 + sin(k) * 3 + 4.1)::numeric, 2),
           round((455 - (k - 1) * 1.5 + sin(k) * 3 - 5.3)::numeric, 2),
           round((455 - (k - 1) * 1.5 + sin(k) * 3 * (k > 1)::int)::numeric, 2),
           40000000 + k * 100000
      from days where k <= 30
    on conflict do nothing`;
  // 2025-11-21 is EST (UTC−5): 14:30 UTC = 09:30 New York.
  const open = 1_763_735_400n;
  const day: [number, string, string, Record<string, unknown>][] = [
    [-3600, 'volume_spike', '479.80', { rvol: 6.2, pct: 5.45 }],
    [60, 'momentum_up', '486.90', { pct: 3.1, rvol: 3.3 }],
    [420, 'new_high_of_day', '491.25', { pct: 0.9, rvol: 2.8 }],
    [1500, 'vwap_cross_down', '484.10', { vwap: '485.02' }],
    [2700, 'momentum_down', '478.35', { pct: -3.2, rvol: 2.4 }],
    [4200, 'vwap_cross_up', '486.40', { vwap: '485.60' }],
    [6000, 'new_high_of_day', '493.70', { pct: 0.5, rvol: 1.9 }],
  ];
  for (const [offset, type, price, details] of day) {
    const ts = (open + BigInt(offset)) * 1_000_000_000n;
    await sql`
      insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
      values ('NVDA', ${type}, ${String(ts)}, ${price}, ${offset < 0 ? 'pre' : 'regular'}, 0.6,
              ${sql.json(details as never)}, ${`seed:NVDA:${type}:${offset}`})`;
  }
}
