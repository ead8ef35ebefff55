// `replay:PATH`: a .dbn or .dbn.zst file as a MarketDataSource. The file is read in chunks (1 MiB)
// and decoded in place by the streaming DbnDecoder (which detects and inflates zstd itself); the
// symbology comes from the metadata mappings (the first interval at once, later intervals when the
// records reach their date) and from SymbolMappingMsg records in the stream. Paced by pacing.ts.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { DbnDecoder } from '../dbn/decoder.ts';
import type { MarketDataSource, SourceBatch, SourceOptions } from '../source.ts';
import { type PacedOptions, pacedBatches } from './paced-batches.ts';
import { type Speed, sliceBatch } from './pacing.ts';
import {
  type MappingSchedule,
  mappingRecordPairs,
  mappingSchedule,
  type SymbolPair,
  utcDateOf,
} from './symbology.ts';

export interface ReplayOptions extends SourceOptions {
  speed?: Speed;
  /** Read size in bytes (default 1 MiB). */
  chunkBytes?: number;
  pacing?: PacedOptions;
}

export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function replaySource(path: string, opts: ReplayOptions = {}): MarketDataSource {
  let closed = false;

  async function* decoded(signal?: AbortSignal): AsyncGenerator<SourceBatch, void, undefined> {
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new Error('not a regular file');
    } catch (e) {
      throw new ReplayError(`replay: cannot read ${path}: ${(e as Error).message}`, path, { cause: e });
    }
    const stream = createReadStream(path, { highWaterMark: opts.chunkBytes ?? 1 << 20 });
    const dec = new DbnDecoder();
    const sym = new SymbolFeed();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (closed || signal?.aborted) return;
        const batch = dec.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (dec.metadata && !sym.schedule) sym.schedule = mappingSchedule(dec.metadata);
        yield* sym.split(batch);
      }
      yield* sym.split(dec.finish());
    } finally {
      stream.destroy();
    }
  }

  return {
    kind: 'replay',
    batches(signal?: AbortSignal): AsyncIterable<SourceBatch> {
      opts.onEvent?.({ type: 'connected', detail: `replay ${path}` });
      return pacedBatches(decoded(signal), opts.speed ?? 'max', signal, opts.pacing);
    },
    async close() {
      closed = true;
    },
  };
}

/** Attaches symbol pairs to batches: metadata intervals by date, mapping records as they come. */
class SymbolFeed {
  schedule: MappingSchedule | null = null;
  private next = 0;
  private readonly known = new Map<number, string>();

  /** Only pairs that are new or changed (a mapping record repeating the metadata adds nothing). */
  private fresh(pairs: readonly SymbolPair[]): SymbolPair[] {
    const out: SymbolPair[] = [];
    for (const p of pairs) {
      if (this.known.get(p[0]) === p[1]) continue;
      this.known.set(p[0], p[1]);
      out.push(p);
    }
    return out;
  }

  *split(batch: RecordBatch): Generator<SourceBatch, void, undefined> {
    if (batch.count === 0) return;
    const s = this.schedule;
    let pending: SymbolPair[] = [];
    if (s && this.next === 0 && s.dates.length > 0) {
      // The first interval applies from the start, whatever the first record's date.
      pending = [...s.pairs[0]!];
      this.next = 1;
    }
    let from = 0;
    while (from < batch.count) {
      let end = batch.count;
      if (s && this.next < s.dates.length) {
        const due = s.dates[this.next]!;
        let k = from;
        while (k < batch.count && utcDateOf(batch.view, batch.offsets[k]!) < due) k++;
        if (k === from) {
          pending.push(...s.pairs[this.next]!);
          this.next++;
          continue;
        }
        end = k;
      }
      const records = sliceBatch(batch, from, end);
      const inStream = mappingRecordPairs(records);
      yield { records, symbols: this.fresh(inStream.length ? [...pending, ...inStream] : pending) };
      pending = [];
      from = end;
    }
  }
}
