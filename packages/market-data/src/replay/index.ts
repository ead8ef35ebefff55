// Replay of DBN files and the pacing shared by finite sources.
export { type PacedOptions, pacedBatches } from './paced-batches.ts';
export { DEFAULT_PACE, nextSlice, type PaceOptions, parseSpeed, type Speed, speedFactor } from './pacing.ts';
export { ReplayError, type ReplayOptions, replaySource } from './replay-source.ts';
export { mappingRecordPairs, mappingSchedule, type SymbolPair } from './symbology.ts';
