// The screener's command line (CONTRACTS.md): `--source SOURCE [--speed max|realtime|N]
// [--sink stdout|db] [--shard k/N]`. Flags override SCREENER_SOURCE / SCREENER_SINK / SCREENER_SHARD.
import { parseSourceSpec, SourceSpecError } from '@tradeassist/market-data/sources';

export type Speed = 'max' | 'realtime' | number;
export type SinkKind = 'stdout' | 'db';

export interface CliArgs {
  source?: string;
  speed?: Speed;
  sink?: SinkKind;
  shard?: string;
  help?: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE =
  'usage: npm run -s screener -- --source replay:PATH|sim:SEED[:MINUTES]|databento ' +
  '[--speed max|realtime|N] [--sink stdout|db] [--shard k/N]';

const FLAGS = new Set(['--source', '--speed', '--sink', '--shard']);

/** Parses argv (without node and the script); throws UsageError naming the bad argument. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    if (!FLAGS.has(name)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    let value: string | undefined;
    if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
      i++;
    }
    if (name === '--source') {
      try {
        parseSourceSpec(value);
      } catch (e) {
        if (e instanceof SourceSpecError) throw new UsageError(`--source: ${e.message}`);
        throw e;
      }
      out.source = value;
    } else if (name === '--speed') out.speed = parseSpeed(value);
    else if (name === '--sink') {
      if (value !== 'stdout' && value !== 'db')
        throw new UsageError(`--sink must be stdout or db, got ${JSON.stringify(value)}`);
      out.sink = value;
    } else {
      const m = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
      if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
        throw new UsageError(`--shard must be k/N with 0 <= k < N (e.g. 0/4), got ${JSON.stringify(value)}`);
      out.shard = value;
    }
  }
  return out;
}

function parseSpeed(v: string): Speed {
  if (v === 'max' || v === 'realtime') return v;
  if (/^\d+(\.\d+)?$/.test(v) && Number(v) > 0) return Number(v);
  throw new UsageError(
    `--speed must be max, realtime or a positive multiple of real time, got ${JSON.stringify(v)}`,
  );
}
