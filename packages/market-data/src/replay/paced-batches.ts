// Paces a stream of SourceBatches (see pacing.ts for the rules): sleeps between slices, splits
// batches at pacing points, stops quietly when the signal aborts. At `max` speed it still gives the
// event loop a turn every few batches so timers, signals and sockets aren't starved by a replay.
import { setTimeout as sleep, setImmediate as turn } from 'node:timers/promises';
import type { SourceBatch } from '../source.ts';
import {
  DEFAULT_PACE,
  newPaceState,
  nextSlice,
  type PaceOptions,
  type Speed,
  sliceBatch,
  speedFactor,
} from './pacing.ts';

export interface PacedOptions extends Partial<PaceOptions> {
  /** Wall clock in ms (tests may pass their own). */
  now?: () => number;
}

const YIELD_EVERY = 8;

export async function* pacedBatches(
  input: Iterable<SourceBatch> | AsyncIterable<SourceBatch>,
  speed: Speed,
  signal?: AbortSignal,
  opts: PacedOptions = {},
): AsyncGenerator<SourceBatch, void, undefined> {
  const factor = speedFactor(speed);
  const pace: PaceOptions = { ...DEFAULT_PACE, ...opts };
  const now = opts.now ?? (() => performance.now());
  const state = newPaceState();
  let n = 0;
  for await (const b of input) {
    if (signal?.aborted) return;
    if (factor === Number.POSITIVE_INFINITY) {
      yield b;
      if (++n % YIELD_EVERY === 0) await turn();
      continue;
    }
    let from = 0;
    let symbols = b.symbols;
    const count = b.records.count;
    if (count === 0) {
      if (symbols.length > 0) yield b;
      continue;
    }
    while (from < count) {
      const { end, waitMs } = nextSlice(b.records, from, state, now(), factor, pace);
      if (end === from) {
        try {
          await sleep(Math.max(1, Math.ceil(waitMs)), undefined, signal ? { signal } : undefined);
        } catch (e) {
          if (signal?.aborted) return;
          throw e;
        }
        continue;
      }
      yield { records: sliceBatch(b.records, from, end), symbols };
      symbols = [];
      from = end;
      if (signal?.aborted) return;
    }
  }
}
