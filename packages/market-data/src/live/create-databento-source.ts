// The screener's entry point to the live client: from validated settings (DATABENTO_API_KEY,
// DATABENTO_DATASET, DATABENTO_SCHEMAS, DATABENTO_GATEWAY, parsed by the process's env.ts) to a
// MarketDataSource with one subscription per schema.
import type { SourceOptions } from '../source.ts';
import { type DatabentoLiveOptions, DatabentoLiveSource } from './databento-live-source.ts';
import { LiveError } from './live-error.ts';
import { ALL_SYMBOLS, type LiveSchema, SCHEMAS } from './protocol.ts';

export const DEFAULT_DATASET = 'EQUS.MINI';

export interface DatabentoSourceConfig {
  apiKey: string;
  dataset?: string;
  schemas: readonly LiveSchema[];
  /** Default: every symbol of the dataset. A shard passes its own list. */
  symbols?: readonly string[] | typeof ALL_SYMBOLS;
  /** `host:port` override (DATABENTO_GATEWAY). */
  gateway?: string;
  /** Intraday replay start for the first connection (UTC ns or ISO 8601). */
  start?: string;
}

/** Parses a comma list such as DATABENTO_SCHEMAS=`mbp-1,status`, rejecting unknown names. */
export function parseSchemas(list: string): LiveSchema[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new LiveError('bad_config', 'no schema given');
  for (const n of names) {
    if (!(SCHEMAS as readonly string[]).includes(n)) {
      throw new LiveError('bad_config', `unknown Databento schema "${n}" (known: ${SCHEMAS.join(', ')})`, {
        schema: n,
      });
    }
  }
  return [...new Set(names)] as LiveSchema[];
}

export function createDatabentoSource(
  cfg: DatabentoSourceConfig,
  options: SourceOptions & Partial<Omit<DatabentoLiveOptions, 'apiKey' | 'dataset' | 'subscriptions'>> = {},
): DatabentoLiveSource {
  const symbols = cfg.symbols ?? ALL_SYMBOLS;
  return new DatabentoLiveSource({
    ...options,
    apiKey: cfg.apiKey,
    dataset: cfg.dataset ?? DEFAULT_DATASET,
    ...(cfg.gateway !== undefined ? { gateway: cfg.gateway } : {}),
    subscriptions: cfg.schemas.map((schema) => ({
      schema,
      symbols,
      ...(cfg.start !== undefined ? { start: cfg.start } : {}),
    })),
  });
}
