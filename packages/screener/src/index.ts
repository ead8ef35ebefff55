// @tradeassist/screener: the pure screener engine (no I/O). See engine.ts for the model.
export { type BacktestOptions, type BacktestResult, backtest, type SymbolBatch } from './backtest.ts';
export {
  DEFAULT_DETECTOR_CONFIG,
  type DeepPartial,
  type DetectorConfig,
  resolveConfig,
} from './detector-config.ts';
export {
  type EngineOptions,
  type EngineStats,
  type MinuteBar,
  type ReferenceData,
  type RuleLoadError,
  type RuleLoadReport,
  ScreenerEngine,
} from './engine.ts';
export {
  type PriceTrigger,
  priceTriggerSchema,
  type TriggerEvent,
  type TriggerLoadError,
} from './price-triggers.ts';
export {
  type CompiledRule,
  type CompileResult,
  compileRule,
  RuleCompileError,
  type RuleCompileIssue,
} from './rule-compiler.ts';
export { fnv1a32, parseShard, shardOf } from './shard.ts';
export { CUMULATIVE_SHARE, MINUTE_SHARE } from './volume-profile.ts';
