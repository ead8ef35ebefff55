// NVDA's 1-minute bars on 2025-11-21 (07:00-11:44 New York) for the symbol page's screenshots and
// checks: a deterministic walk through the prices at which seedSymbolDay's alerts fire (08:30 479.80,
// 09:31 486.90, 09:37 491.25, 09:55 484.10, 10:15 478.35, 10:40 486.40, 11:10 493.70), with thin
// pre-market volume, a burst at the open and a midday lull.
import type { Sql } from 'postgres';

// 2025-11-21 is EST (UTC−5): 09:30 New York = 14:30 UTC.
const OPEN_UTC = 1_763_735_400;
const ANCHORS: [minuteFromOpen: number, price: number][] = [
  [-150, 481.2],
  [-60, 479.8],
  [-10, 482.6],
  [1, 486.9],
  [7, 491.25],
  [25, 484.1],
  [45, 478.35],
  [70, 486.4],
  [100, 493.7],
  [134, 492.1],
];

function priceAt(m: number): number {
  for (let i = 0; i + 1 < ANCHORS.length; i++) {
    const [m0, p0] = ANCHORS[i]!;
    const [m1, p1] = ANCHORS[i + 1]!;
    if (m >= m0 && m <= m1) return p0 + ((p1 - p0) * (m - m0)) / (m1 - m0);
  }
  return ANCHORS.at(-1)![1];
}

const cents = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

export interface SeedBar {
  ts: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: number;
  vwap: string;
  trades: number;
}

export function nvdaBars(): SeedBar[] {
  const out: SeedBar[] = [];
  let prev = priceAt(-150);
  for (let m = -150; m < 135; m++) {
    const close = priceAt(m) + Math.sin(m * 1.7) * 0.35;
    const open = prev;
    const wick = 0.15 + Math.abs(Math.sin(m * 0.9)) * (m >= 0 && m < 15 ? 0.9 : 0.35);
    const high = Math.max(open, close) + wick;
    const low = Math.min(open, close) - wick * 0.8;
    const volume = Math.round(
      m < 0
        ? 3_000 + 2_500 * Math.abs(Math.sin(m))
        : 40_000 + 260_000 * Math.exp(-m / 12) + 15_000 * Math.abs(Math.sin(m)),
    );
    out.push({
      ts: OPEN_UTC + m * 60,
      open: cents(open),
      high: cents(high),
      low: cents(low),
      close: cents(close),
      volume,
      vwap: cents((open + high + low + close) / 4),
      trades: Math.max(1, Math.round(volume / 90)),
    });
    prev = close;
  }
  return out;
}

export async function insertBars(sql: Sql, symbol: string, bars: readonly SeedBar[]): Promise<void> {
  await sql`
    insert into public.intraday_bars (symbol, ts, open, high, low, close, volume, vwap, trade_count)
    select ${symbol}, to_timestamp(t), o::numeric, h::numeric, l::numeric, c::numeric, v, w::numeric, n
      from unnest(${bars.map((b) => b.ts)}::bigint[], ${bars.map((b) => b.open)}::text[],
                  ${bars.map((b) => b.high)}::text[], ${bars.map((b) => b.low)}::text[],
                  ${bars.map((b) => b.close)}::text[], ${bars.map((b) => b.volume)}::bigint[],
                  ${bars.map((b) => b.vwap)}::text[], ${bars.map((b) => b.trades)}::int[])
           as x(t, o, h, l, c, v, w, n)
    on conflict (symbol, ts) do update
      set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
          volume = excluded.volume, vwap = excluded.vwap, trade_count = excluded.trade_count`;
}

export async function seedSymbolBars(sql: Sql): Promise<void> {
  await insertBars(sql, 'NVDA', nvdaBars());
}
