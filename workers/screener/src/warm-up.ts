// JIT warm-up before the first record: a few simulated minutes around the open go through a
// throwaway pipeline (same engine code, same detectors, the loaded rules, metrics on a registry of
// its own, alerts into nothing), so that V8 has compiled the regular-session paths (the open
// print, gaps, new highs, alert building) before the real 9:30. Without it the first open of a
// fresh process ran them in the interpreter and recompiled them while the whole market printed:
// measured by `npm run bench -- screener_first_open`.

import { DbnDecoder, encodeMetadata } from '@tradeassist/market-data/dbn';
import { createSimulator } from '@tradeassist/market-data/sim';
import type { Logger } from '@tradeassist/runtime/logger';
import type { EngineOptions } from '@tradeassist/screener';
import { Registry } from 'prom-client';
import type { AlertSink } from './alert-sink.ts';
import { createScreenerMetrics } from './metrics.ts';
import { Pipeline } from './pipeline.ts';

/**
 * 100 names from 8:54 to 9:36 at a tenth of the usual print rate (~140,000 records, ~0.5 s): long
 * enough for every indicator to mature (MACD's signal needs 34 one-minute bars), so their code is
 * compiled with all its branches too, then the open.
 */
export const WARM_UP_SIM = {
  seed: 20_261_122,
  symbols: 100,
  preMarketMinutes: 36,
  minutes: 6,
  activity: 0.1,
} as const;

export interface WarmUpOptions {
  /** The rule definitions the live engine screens with (their evaluators are shared, and then warm). */
  rules?: readonly unknown[];
  watchlists?: Record<string, readonly string[]>;
  engine?: Omit<EngineOptions, 'onAlert' | 'onBar' | 'onTrigger' | 'onRuleError' | 'shard'>;
  logger: Logger;
}

export interface WarmUpResult {
  records: number;
  alerts: number;
  ms: number;
}

/** Runs the warm-up synchronously (nothing else should run before the feed starts anyway). */
export function warmUpPipeline(opts: WarmUpOptions): WarmUpResult {
  const t0 = performance.now();
  let alerts = 0;
  const sink: AlertSink = {
    push: () => {
      alerts++;
    },
    afterBatch: () => undefined,
    queueDepth: () => 0,
    close: async () => {},
  };
  const logger = opts.logger.child({ component: 'warm-up' });
  const pipeline = new Pipeline({
    sink,
    logger,
    metrics: createScreenerMetrics(new Registry(), () => 0),
    engine: { ...opts.engine, onBar: () => {}, onRuleError: () => {} },
  });
  if (opts.rules && opts.rules.length > 0) {
    pipeline.engine.setRules(opts.rules, opts.watchlists ? { watchlists: opts.watchlists } : {});
  }
  // Through the DBN decoder, as the live and replay sources deliver records: the same decoder
  // code, and batches of the same shape (one made by the simulator would be new to processBatch).
  const sim = createSimulator(WARM_UP_SIM);
  const decoder = new DbnDecoder();
  void decoder.push(encodeMetadata(sim.metadata()));
  let symbols: ReadonlyArray<readonly [number, string]> = sim.symbolPairs();
  for (const b of sim.generate()) {
    void pipeline.onBatch({ records: decoder.push(b.bytes), symbols });
    symbols = [];
  }
  const result = { records: pipeline.engine.stats.records, alerts, ms: Math.round(performance.now() - t0) };
  logger.info(result, 'engine warmed up on simulated minutes around the open');
  return result;
}
