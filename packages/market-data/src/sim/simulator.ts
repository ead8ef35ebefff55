// `createSimulator`: the whole US equity market for one session, as DBN (version 3, dataset SIM.US,
// schema mixed), deterministic by seed. See plan.ts for what is planted, universe.ts for the market's
// shape, generator.ts for the record stream.
//
// Window: `minutes` of the regular session counted from the 9:30 open, preceded by
// `preMarketMinutes` of pre-market (default 15: 9:15-9:30, so pre-market gaps are seen before the
// open; up to 330 = from 4:00). The window may run past the close into the post-market (to 20:00).
// Default day: Friday 2026-11-20, a full trading day (the week before Thanksgiving).
import { open } from 'node:fs/promises';
import { parseDate, previousTradingDay, tradingDayInfo } from '@tradeassist/core/calendar';
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { type DbnMetadata, encodeMetadata } from '../dbn/metadata.ts';
import type { MarketDataSource, SourceOptions } from '../source.ts';
import { type GenClock, generateRecords } from './generator.ts';
import { makePlan, type SimPlan, type SimScript } from './plan.ts';
import { Prng } from './prng.ts';
import { type Speed, simSource } from './sim-source.ts';
import { DAILY_BARS, makeUniverse, type Universe } from './universe.ts';

export const SIM_DATASET = 'SIM.US';
export const DEFAULT_SIM_DATE = '2026-11-20';
export const DEFAULT_SYMBOLS = 10_000;
export const DEFAULT_PRE_MARKET_MINUTES = 15;
const DBN_VERSION = 3;

export interface SimulatorOptions {
  seed: number;
  /** Regular-session minutes from the open (1-630; past 390 runs into the post-market). */
  minutes: number;
  /** Trading day, YYYY-MM-DD (America/New_York). */
  start?: string;
  symbols?: number;
  preMarketMinutes?: number;
  /** Scales every name's volume and print rate (default 1; tests use less). */
  activity?: number;
  /** Bytes per RecordBatch (default 1 MiB). */
  batchBytes?: number;
}

export interface Simulator {
  readonly plan: SimPlan;
  readonly universe: Universe;
  /** A fresh pass over the records; batches reuse one buffer (valid until the next one). */
  generate(): Generator<RecordBatch, void, undefined>;
  /** Writes metadata and records as an uncompressed DBN file. */
  writeDbn(path: string): Promise<{ records: number; bytes: number }>;
  /** The DBN metadata header of writeDbn. */
  metadata(): DbnMetadata;
  source(opts?: { speed?: Speed } & SourceOptions): MarketDataSource;
  /** instrument_id -> ticker, for SourceBatch.symbols. */
  symbolPairs(): Array<readonly [number, string]>;
}

export function createSimulator(opts: SimulatorOptions): Simulator {
  const seed = opts.seed;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const date = opts.start ?? DEFAULT_SIM_DATE;
  const info = tradingDayInfo(date);
  if (!info.isTradingDay) {
    throw new RangeError(`${date} is not a trading day${info.holiday ? ` (${info.holiday})` : ' (weekend)'}`);
  }
  const closeSec = info.close - info.open;
  const maxMinutes = (info.postClose - info.open) / 60;
  const minutes = opts.minutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > maxMinutes) {
    throw new RangeError(`minutes must be an integer 1..${maxMinutes}, got ${minutes}`);
  }
  const pre = opts.preMarketMinutes ?? DEFAULT_PRE_MARKET_MINUTES;
  const maxPre = (info.open - info.preOpen) / 60;
  if (!Number.isInteger(pre) || pre < 0 || pre > maxPre) {
    throw new RangeError(`preMarketMinutes must be an integer 0..${maxPre}, got ${pre}`);
  }
  const symbols = opts.symbols ?? DEFAULT_SYMBOLS;

  // Prior trading days for the daily bars (oldest first) and the UTC-midnight time base.
  const barDays: number[] = [];
  let d = date;
  for (let k = 0; k < DAILY_BARS; k++) {
    d = previousTradingDay(d);
    barDays.unshift(parseDate(d));
  }
  const baseDays = barDays[0]!;
  const baseNs = BigInt(baseDays) * 86_400n * 1_000_000_000n;
  const sessionDays = parseDate(date);
  const clock: GenClock = {
    baseNs,
    openOffNs: (info.open - baseDays * 86_400) * 1e9,
    barDayOffNs: barDays.map((x) => (x - baseDays) * 86_400 * 1e9),
    dayStartOffNs: (sessionDays - baseDays) * 86_400 * 1e9,
    dayEndOffNs: (sessionDays + 1 - baseDays) * 86_400 * 1e9,
    closeSec,
    startSec: -pre * 60,
    endSec: minutes * 60,
  };

  // Independent streams: the universe, the plan and the session never share draws, so a change in
  // one part leaves the others' randomness alone.
  const universe = makeUniverse(new Prng(seed, 1), {
    symbols,
    ...(opts.activity !== undefined ? { activity: opts.activity } : {}),
  });
  const { plan, script } = makePlan(
    new Prng(seed, 2),
    universe,
    {
      date,
      openNs: BigInt(info.open) * 1_000_000_000n,
      closeSec,
      startSec: clock.startSec,
      endSec: clock.endSec,
    },
    { seed, dataset: SIM_DATASET, preMarketMinutes: pre, minutes },
  );

  const generate = () =>
    generateRecords(universe, clock, script as SimScript, new Prng(seed, 3), {
      version: DBN_VERSION,
      ...(opts.batchBytes !== undefined ? { batchBytes: opts.batchBytes } : {}),
    });

  const ymd = (days: number) => {
    const dt = new Date(days * 86_400_000);
    return dt.getUTCFullYear() * 10_000 + (dt.getUTCMonth() + 1) * 100 + dt.getUTCDate();
  };
  const metadata = (): DbnMetadata => ({
    version: DBN_VERSION,
    dataset: SIM_DATASET,
    schema: null,
    start: baseNs,
    end: BigInt(plan.endNs),
    limit: null,
    stypeIn: 'raw_symbol',
    stypeOut: 'instrument_id',
    tsOut: false,
    symbolCstrLen: 71,
    symbols: ['ALL_SYMBOLS'],
    partial: [],
    notFound: [],
    mappings: universe.tickers
      .map((t, i) => ({
        rawSymbol: t,
        intervals: [
          {
            startDate: ymd(baseDays),
            endDate: ymd(sessionDays + 1),
            symbol: String(universe.instrumentId[i]),
          },
        ],
      }))
      .sort((a, b) => (a.rawSymbol < b.rawSymbol ? -1 : 1)),
  });

  const symbolPairs = () => universe.tickers.map((t, i) => [universe.instrumentId[i]!, t] as const);

  return {
    plan,
    universe,
    generate,
    metadata,
    symbolPairs,
    async writeDbn(path: string) {
      const fh = await open(path, 'w');
      let records = 0;
      let bytes = 0;
      try {
        const head = encodeMetadata(metadata());
        await fh.write(head);
        bytes += head.length;
        for (const b of generate()) {
          await fh.write(b.bytes);
          records += b.count;
          bytes += b.bytes.length;
        }
      } finally {
        await fh.close();
      }
      return { records, bytes };
    },
    source(o = {}) {
      return simSource(generate, symbolPairs, o);
    },
  };
}
