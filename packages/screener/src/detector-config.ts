// Thresholds of the built-in detectors, with DOMAIN.md's defaults. Every number can be overridden
// (deep-partial) when the engine is created. Cooldowns are in seconds of event time, so a replay
// behaves like the live run.
export interface DetectorConfig {
  /** Global filters for every market-wide detector except halt/resume. */
  minPrice: number; // dollars
  gap: {
    enabled: boolean;
    pct: number; // |gap| >= 4%
    /** Pre-market shares traded today before a pre-market gap counts (the open's print always does). */
    minPremarketVolume: number;
    /** A second alert the same day needs |gap| >= rearmFactor x the gap already alerted. */
    rearmFactor: number;
  };
  volumeSpike: {
    enabled: boolean;
    /** Current 1-minute volume vs the expected volume for this minute of the day. */
    multiple: number;
    minShares: number;
    cooldownS: number;
  };
  momentum: {
    enabled: boolean;
    pct: number; // >= 3% ...
    windowMin: number; // ... in 5 minutes ...
    minRvol: number; // ... with the window's relative volume >= 2
    cooldownS: number;
  };
  highLow: {
    enabled: boolean;
    /** Quiet period after the open (the first minutes always make new highs/lows). */
    afterOpenMin: number;
    /** A new high must clear the last alerted high (or the high at the end of the quiet period) by this %. */
    marginPct: number;
    minDayVolume: number;
    cooldownS: number;
  };
  /** VWAP cross, RSI, MACD, Bollinger: evaluated when a 1-minute bar closes, regular session only. */
  indicators: {
    enabled: boolean;
    minBarVolume: number;
    minDayVolume: number;
    /** ATR(14) as % of price below which a stock is "flat" and its indicator crosses are noise. */
    minAtrPct: number;
    /** The regular session's range (high - low) as % of price below which the stock is "flat" today
     *  and its indicator events are noise. */
    minDayRangePct: number;
    /** A VWAP cross counts once the close is this far (%) on the other side of VWAP. */
    vwapMinDistancePct: number;
    rsiOverbought: number;
    rsiOversold: number;
    /** |MACD - signal| after the cross, as % of price. */
    macdMinGapPct: number;
    /** Band width (upper - lower) as % of the middle band. */
    bollingerMinWidthPct: number;
    cooldownS: number;
  };
  halts: { enabled: boolean };
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  minPrice: 1,
  gap: { enabled: true, pct: 4, minPremarketVolume: 20_000, rearmFactor: 2 },
  volumeSpike: { enabled: true, multiple: 5, minShares: 20_000, cooldownS: 300 },
  momentum: { enabled: true, pct: 3, windowMin: 5, minRvol: 2, cooldownS: 600 },
  highLow: { enabled: true, afterOpenMin: 15, marginPct: 1, minDayVolume: 100_000, cooldownS: 900 },
  indicators: {
    enabled: true,
    minBarVolume: 2_000,
    minDayVolume: 50_000,
    minAtrPct: 0.1,
    minDayRangePct: 0.5,
    vwapMinDistancePct: 0.2,
    rsiOverbought: 70,
    rsiOversold: 30,
    macdMinGapPct: 0.01,
    bollingerMinWidthPct: 0.5,
    cooldownS: 1800,
  },
  halts: { enabled: true },
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function resolveConfig(over: DeepPartial<DetectorConfig> = {}): DetectorConfig {
  const base = structuredClone(DEFAULT_DETECTOR_CONFIG);
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const cur = (base as unknown as Record<string, unknown>)[k];
    if (cur && typeof cur === 'object' && typeof v === 'object') Object.assign(cur, v);
    else (base as unknown as Record<string, unknown>)[k] = v;
  }
  return base;
}
