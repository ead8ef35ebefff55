// One interface for every market-data source: Databento live, replay of DBN files, the simulator.
// A source yields batches of complete DBN records (read in place, see core/dbn-layout) together with
// the symbol mappings that take effect from that batch on.
import type { RecordBatch } from '@tradeassist/core/dbn-layout';

export interface SourceBatch {
  readonly records: RecordBatch;
  /** instrument_id -> ticker mappings new or changed as of this batch (apply before the records). */
  readonly symbols: ReadonlyArray<readonly [instrumentId: number, symbol: string]>;
}

export type SourceEvent =
  | { type: 'connected'; detail?: string }
  | { type: 'disconnected'; reason: string }
  | { type: 'reconnecting'; attempt: number; delayMs: number }
  | { type: 'gap'; fromTsEvent: string; recovered: boolean; duplicatesDropped?: number }
  | { type: 'warning'; message: string }
  | { type: 'error'; message: string; code?: string };

export interface MarketDataSource {
  readonly kind: 'databento' | 'replay' | 'sim';
  /** Finite for replay/sim (ends at the end of the data); live runs until the signal aborts. */
  batches(signal?: AbortSignal): AsyncIterable<SourceBatch>;
  close(): Promise<void>;
}

export interface SourceOptions {
  onEvent?: (e: SourceEvent) => void;
}
