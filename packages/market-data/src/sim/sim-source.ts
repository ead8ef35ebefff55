// The simulator as a MarketDataSource (`sim:SEED[:MINUTES]`): generated batches, paced like a replay.
// The first batch carries every instrument_id -> ticker pair (the stream opens with the symbol
// mapping records too).
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { pacedBatches } from '../replay/paced-batches.ts';
import type { Speed } from '../replay/pacing.ts';
import type { MarketDataSource, SourceBatch, SourceOptions } from '../source.ts';

export type { Speed };

export function simSource(
  generate: () => Generator<RecordBatch, void, undefined>,
  symbolPairs: () => ReadonlyArray<readonly [number, string]>,
  opts: { speed?: Speed } & SourceOptions = {},
): MarketDataSource {
  let closed = false;
  function* withSymbols(): Generator<SourceBatch, void, undefined> {
    let first: ReadonlyArray<readonly [number, string]> | null = symbolPairs();
    for (const records of generate()) {
      if (closed) return;
      yield { records, symbols: first ?? [] };
      first = null;
    }
  }
  return {
    kind: 'sim',
    batches(signal?: AbortSignal): AsyncIterable<SourceBatch> {
      opts.onEvent?.({ type: 'connected', detail: 'simulator' });
      return pacedBatches(withSymbols(), opts.speed ?? 'max', signal);
    },
    async close() {
      closed = true;
    },
  };
}
