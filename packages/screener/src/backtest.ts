// Rule previews and backtests: the same engine, fed from stored batches instead of a live feed.
// Accepts plain RecordBatches or source batches ({ records, symbols }) as market-data sources yield
// them, synchronously or asynchronously.
import type { Alert } from '@tradeassist/core/alert';
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import type { DeepPartial, DetectorConfig } from './detector-config.ts';
import { type ReferenceData, type RuleLoadError, ScreenerEngine } from './engine.ts';

export interface SymbolBatch {
  readonly records: RecordBatch;
  readonly symbols?: ReadonlyArray<readonly [instrumentId: number, symbol: string]>;
}

export interface BacktestOptions {
  rules?: readonly unknown[];
  watchlists?: Record<string, readonly string[]>;
  /** instrument_id -> ticker for the records (mappings inside source batches are applied too). */
  symbols?: ReadonlyArray<readonly [number, string]> | Readonly<Record<number, string>>;
  references?: Readonly<Record<string, ReferenceData>>;
  config?: DeepPartial<DetectorConfig>;
  /** Include the built-in detectors' alerts (default false: a rule preview wants its rules only). */
  builtins?: boolean;
  /** Keep only the first this many alerts (all are counted in `fired`): a noisy rule over a long file stays small. */
  maxAlerts?: number;
}

export interface BacktestResult {
  /** The alerts in the order they fired (the first `maxAlerts` of them). */
  readonly alerts: Alert[];
  /** How many alerts fired in all. */
  readonly fired: number;
  readonly ruleErrors: readonly RuleLoadError[];
  readonly records: number;
}

function isSymbolBatch(b: RecordBatch | SymbolBatch): b is SymbolBatch {
  return (b as SymbolBatch).records !== undefined;
}

export async function backtest(
  batches: Iterable<RecordBatch | SymbolBatch> | AsyncIterable<RecordBatch | SymbolBatch>,
  opts: BacktestOptions = {},
): Promise<BacktestResult> {
  const alerts: Alert[] = [];
  const builtins = opts.builtins ?? false;
  const off = { enabled: false };
  const config: DeepPartial<DetectorConfig> = builtins
    ? (opts.config ?? {})
    : {
        ...opts.config,
        gap: off,
        volumeSpike: off,
        momentum: off,
        highLow: off,
        indicators: off,
        halts: off,
      };
  const keep = opts.maxAlerts ?? Number.POSITIVE_INFINITY;
  let fired = 0;
  const engine = new ScreenerEngine({
    config,
    onAlert: (a) => {
      if (fired++ < keep) alerts.push(a);
    },
  });
  const sym = opts.symbols;
  if (sym) {
    const pairs = Array.isArray(sym) ? sym : Object.entries(sym).map(([k, v]) => [Number(k), v] as const);
    for (const [id, t] of pairs as ReadonlyArray<readonly [number, string]>) engine.mapSymbol(id, t);
  }
  for (const [t, ref] of Object.entries(opts.references ?? {})) engine.setReference(t, ref);
  const { errors } = engine.setRules(
    opts.rules ?? [],
    opts.watchlists ? { watchlists: opts.watchlists } : {},
  );
  for await (const b of batches as AsyncIterable<RecordBatch | SymbolBatch>) {
    if (isSymbolBatch(b)) engine.processSourceBatch(b);
    else engine.processBatch(b);
  }
  return { alerts, fired, ruleErrors: errors, records: engine.stats.records };
}
