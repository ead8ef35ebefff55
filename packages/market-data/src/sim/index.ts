// The market simulator: `createSimulator` (plan, generator, DBN writer, MarketDataSource).
export { type PlannedEvent, type PlannedEventType, type SimPlan, StatusReason } from './plan.ts';
export { Prng } from './prng.ts';
export {
  createSimulator,
  DEFAULT_PRE_MARKET_MINUTES,
  DEFAULT_SIM_DATE,
  DEFAULT_SYMBOLS,
  SIM_DATASET,
  type Simulator,
  type SimulatorOptions,
} from './simulator.ts';
export { priorFromBars, readTape, type Tape, type TapeTrade } from './trade-tape.ts';
export { SIM_PUBLISHERS, tickOf } from './universe.ts';
