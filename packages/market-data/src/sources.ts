// `--source SPEC` -> a MarketDataSource. SPEC (CONTRACTS.md):
//   replay:PATH          a .dbn / .dbn.zst file
//   sim:SEED[:MINUTES]   the simulator (MINUTES of regular session from the open; default 390)
//   databento            Databento live (config from the caller's validated env)

import type { DatabentoSourceConfig } from './live/create-databento-source.ts';
import { pacedBatches } from './replay/paced-batches.ts';
import type { Speed } from './replay/pacing.ts';
import { replaySource } from './replay/replay-source.ts';
import { createSimulator, type SimulatorOptions } from './sim/simulator.ts';
import type { MarketDataSource, SourceOptions } from './source.ts';

export type SourceSpec =
  | { readonly kind: 'replay'; readonly path: string }
  | { readonly kind: 'sim'; readonly seed: number; readonly minutes: number }
  | { readonly kind: 'databento' };

export const DEFAULT_SIM_MINUTES = 390;

export class SourceSpecError extends Error {
  override readonly name = 'SourceSpecError';
  constructor(
    message: string,
    readonly spec: string,
  ) {
    super(message);
  }
}

const SPEC_HELP = 'expected replay:PATH, sim:SEED[:MINUTES] or databento';
const MAX_SIM_MINUTES = 630; // 9:30 to 20:00

/** A decimal integer in [min, max], or a message saying what is wrong with it. */
function parseUint(what: string, v: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(v)) return `${what} must be a non-negative integer, got ${JSON.stringify(v)}`;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) return `${what} must be ${min}..${max}, got ${v}`;
  return n;
}

export function parseSourceSpec(spec: string): SourceSpec {
  const s = spec.trim();
  if (s === 'databento') return { kind: 'databento' };
  const colon = s.indexOf(':');
  const scheme = colon < 0 ? s : s.slice(0, colon);
  const rest = colon < 0 ? '' : s.slice(colon + 1);
  if (scheme === 'replay') {
    if (!rest)
      throw new SourceSpecError(
        `bad source ${JSON.stringify(spec)}: replay needs a path (replay:PATH)`,
        spec,
      );
    return { kind: 'replay', path: rest };
  }
  if (scheme === 'sim') {
    const parts = rest.split(':');
    if (!rest || parts.length > 2) {
      throw new SourceSpecError(`bad source ${JSON.stringify(spec)}: expected sim:SEED[:MINUTES]`, spec);
    }
    const seed = parseUint('SEED', parts[0]!, 0, Number.MAX_SAFE_INTEGER);
    if (typeof seed === 'string')
      throw new SourceSpecError(`bad source ${JSON.stringify(spec)}: ${seed}`, spec);
    let minutes = DEFAULT_SIM_MINUTES;
    if (parts.length === 2) {
      const m = parseUint('MINUTES', parts[1]!, 1, MAX_SIM_MINUTES);
      if (typeof m === 'string') throw new SourceSpecError(`bad source ${JSON.stringify(spec)}: ${m}`, spec);
      minutes = m;
    }
    return { kind: 'sim', seed, minutes };
  }
  throw new SourceSpecError(`bad source ${JSON.stringify(spec)}: ${SPEC_HELP}`, spec);
}

/** Builds the live source (default: the Databento client's createDatabentoSource, loaded on demand). */
export type LiveSourceFactory = (
  config: DatabentoSourceConfig,
  opts: SourceOptions,
) => MarketDataSource | Promise<MarketDataSource>;

export interface CreateSourceOptions extends SourceOptions {
  /** Pacing of finite sources (replay, sim); ignored by the live source. Default max. */
  speed?: Speed;
  /** Config for the live client (API key, dataset, schemas, gateway), from the caller's validated env. */
  databento?: DatabentoSourceConfig;
  /** Overrides the live client factory (tests, proxies). */
  createLive?: LiveSourceFactory;
  /** Extra simulator options (date, symbols, pre-market minutes). */
  sim?: Partial<Omit<SimulatorOptions, 'seed' | 'minutes'>>;
}

export async function createSource(
  spec: string | SourceSpec,
  opts: CreateSourceOptions = {},
): Promise<MarketDataSource> {
  const s = typeof spec === 'string' ? parseSourceSpec(spec) : spec;
  const base: SourceOptions = opts.onEvent ? { onEvent: opts.onEvent } : {};
  switch (s.kind) {
    case 'replay':
      return replaySource(s.path, { ...base, speed: opts.speed ?? 'max' });
    case 'sim': {
      const sim = createSimulator({ ...opts.sim, seed: s.seed, minutes: s.minutes });
      return sim.source({ ...base, speed: opts.speed ?? 'max' });
    }
    case 'databento': {
      if (!opts.databento) {
        throw new Error(
          'the databento source needs its config (DATABENTO_API_KEY, DATABENTO_DATASET, DATABENTO_SCHEMAS)',
        );
      }
      const factory =
        opts.createLive ?? (await import('./live/create-databento-source.ts')).createDatabentoSource;
      return factory(opts.databento, base);
    }
  }
}

export { pacedBatches };
