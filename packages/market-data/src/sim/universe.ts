// The simulated US equity universe: names, listing venues, prices, liquidity and the 20 prior daily
// bars, all drawn from one seeded stream. Per-symbol state lives in typed arrays indexed by a dense
// slot (0 = the most active name), as the hot generation loop needs.
//
// Shape, chosen to look like the listed US market:
// - average daily volume (ADV) is Zipf-like in activity rank: ~150 M shares for the most active name,
//   ~20-50 k for the tail (x lognormal noise), so a few hundred names carry most of the prints;
// - prices are log-normal (median ~$22), kept within $0.50-$1,000, on exchange ticks ($0.01 at or
//   above $1, $0.0001 below);
// - average trade size falls with price (cheap stocks trade in bigger lots); trades per day follow
//   as ADV / average size;
// - the most active names (`mbpCount`) are sent as MBP-1 (quotes and trades), the rest as trades.

import type { Prng } from './prng.ts';
import { makeTickers } from './tickers.ts';

export const PRICE_SCALE = 1e9;
/** Regular-session seconds of a full day (9:30-16:00). */
export const REGULAR_SECONDS = 23_400;
export const DAILY_BARS = 20;

/** Exchange tick for a raw 1e-9 price: $0.01 at or above $1.00, $0.0001 below (Reg NMS Rule 612). */
export function tickOf(priceRaw: number): number {
  return priceRaw >= PRICE_SCALE ? 10_000_000 : 100_000;
}

/** Rounds a dollar price to its tick, as a raw 1e-9 integer. */
export function toTickRaw(dollars: number): number {
  const raw = dollars * PRICE_SCALE;
  const tick = tickOf(raw);
  return Math.max(tick, Math.round(raw / tick) * tick);
}

export interface UniverseOptions {
  symbols: number;
  /** How many of the most active names are sent as MBP-1 with quotes (default: 10% of symbols). */
  mbpCount?: number;
  /** Scales every name's volume and print rate (default 1; tests use less for speed). */
  activity?: number;
}

export interface Universe {
  readonly n: number;
  /** By slot (activity rank). */
  readonly tickers: readonly string[];
  readonly instrumentId: Uint32Array;
  readonly publisherId: Uint16Array;
  /** 1 when the name is sent as MBP-1 (quotes + trades), 0 for trades only. */
  readonly mbp: Uint8Array;
  /** Raw 1e-9 prior close (the last daily bar's close). */
  readonly priorClose: Float64Array;
  /** Mean volume of the 20 daily bars, shares. */
  readonly adv: Float64Array;
  readonly avgTradeSize: Float64Array;
  /** Trades per second at the regular session's average pace (ADV / size / 23,400 s). */
  readonly tradeRate: Float64Array;
  /** Daily log-price volatility. */
  readonly dailyVol: Float64Array;
  /** Quoted spread as a fraction of price (before rounding to ticks). */
  readonly spreadFrac: Float64Array;
  /** Daily bars, index slot * DAILY_BARS + day (oldest first); raw 1e-9 prices, share volumes. */
  readonly bars: {
    readonly open: Float64Array;
    readonly high: Float64Array;
    readonly low: Float64Array;
    readonly close: Float64Array;
    readonly volume: Float64Array;
  };
}

/** Publisher ids of the two simulated listing venues (Nasdaq-like, NYSE-like). */
export const SIM_PUBLISHERS = { NASDAQ: 1, NYSE: 2 } as const;

export function makeUniverse(rng: Prng, opts: UniverseOptions): Universe {
  const n = opts.symbols;
  if (!Number.isInteger(n) || n < 50 || n > 20_000)
    throw new RangeError(`symbols must be 50..20000, got ${n}`);
  const mbpCount = Math.min(n, opts.mbpCount ?? Math.round(n * 0.1));
  const activity = opts.activity ?? 1;
  if (!(activity > 0 && activity <= 10)) throw new RangeError(`activity must be in (0, 10], got ${activity}`);
  const tickers = makeTickers(rng, n);

  // Instrument ids follow alphabetical order (as a venue's directory would), sparse on purpose so that
  // nothing downstream can confuse an instrument id with a slot.
  const alpha = tickers.map((t, i) => [t, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const instrumentId = new Uint32Array(n);
  alpha.forEach(([, slot], k) => {
    instrumentId[slot] = 10_001 + k * 3;
  });

  const publisherId = new Uint16Array(n);
  const mbp = new Uint8Array(n);
  const priorClose = new Float64Array(n);
  const adv = new Float64Array(n);
  const avgTradeSize = new Float64Array(n);
  const tradeRate = new Float64Array(n);
  const dailyVol = new Float64Array(n);
  const spreadFrac = new Float64Array(n);
  const nb = n * DAILY_BARS;
  const bars = {
    open: new Float64Array(nb),
    high: new Float64Array(nb),
    low: new Float64Array(nb),
    close: new Float64Array(nb),
    volume: new Float64Array(nb),
  };

  for (let i = 0; i < n; i++) {
    const t = tickers[i]!;
    const base = t.split('.')[0]!;
    publisherId[i] = base.length >= 4 ? SIM_PUBLISHERS.NASDAQ : SIM_PUBLISHERS.NYSE;
    mbp[i] = i < mbpCount ? 1 : 0;

    let price: number;
    do price = Math.exp(Math.log(22) + 1.2 * rng.normal());
    while (price < 0.5 || price > 1000);

    const advTarget = activity * 150e6 * (i + 1) ** -0.95 * Math.exp(0.25 * rng.normal());
    const vol = 0.01 + 0.015 * rng.float() + (price < 5 ? 0.01 : 0);
    dailyVol[i] = vol;
    // Liquid names quote a cent or two wide; the tail quotes tens of basis points.
    spreadFrac[i] = (i < mbpCount ? 0.0002 : 0.0008 + 0.002 * rng.float()) * (price < 5 ? 2 : 1);

    // Daily closes backwards from the prior close; open/high/low around them; volume around ADV.
    let c = price;
    let sumV = 0;
    for (let d = DAILY_BARS - 1; d >= 0; d--) {
      const k = i * DAILY_BARS + d;
      const prevC = c * Math.exp(-vol * rng.normal());
      const o = prevC * Math.exp(0.3 * vol * rng.normal());
      const hi = Math.max(o, c) * (1 + Math.abs(rng.normal()) * vol * 0.5);
      const lo = Math.min(o, c) * (1 - Math.abs(rng.normal()) * vol * 0.5);
      bars.close[k] = toTickRaw(c);
      bars.open[k] = toTickRaw(o);
      bars.high[k] = Math.max(toTickRaw(hi), bars.close[k]!, bars.open[k]!);
      bars.low[k] = Math.min(toTickRaw(Math.max(lo, 0.0001)), bars.close[k]!, bars.open[k]!);
      const v = Math.max(100, Math.round(advTarget * Math.exp(0.35 * rng.normal() - 0.06125)));
      bars.volume[k] = v;
      sumV += v;
      c = Math.max(0.3, prevC);
    }
    priorClose[i] = bars.close[i * DAILY_BARS + DAILY_BARS - 1]!;
    adv[i] = sumV / DAILY_BARS;
    const px = priorClose[i]! / PRICE_SCALE;
    avgTradeSize[i] = Math.min(5000, Math.max(30, 1200 / Math.sqrt(px)));
    tradeRate[i] = adv[i]! / avgTradeSize[i]! / REGULAR_SECONDS;
  }

  return {
    n,
    tickers,
    instrumentId,
    publisherId,
    mbp,
    priorClose,
    adv,
    avgTradeSize,
    tradeRate,
    dailyVol,
    spreadFrac,
    bars,
  };
}
