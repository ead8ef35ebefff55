// `npm run -s dbn -- --json | --metadata | --stats FILE` (CONTRACTS.md). FILE is .dbn or .dbn.zst
// (v1-v3), `-` for stdin. Results on stdout only; errors on stderr with a non-zero exit.
// Extra options for fragments (records without a metadata header): --fragment VERSION [--ts-out].
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { DbnDecoder, type DbnRecordBatch } from '../dbn/decoder.ts';
import { DbnError } from '../dbn/errors.ts';
import { recordToJson } from '../dbn/json.ts';
import { metadataToJson } from '../dbn/metadata.ts';
import { StatsAccumulator } from '../dbn/stats.ts';

const USAGE = `usage: dbn (--json | --metadata | --stats) FILE
  FILE               a DBN file (.dbn or .dbn.zst, versions 1-3); - reads stdin
  --json             one JSON object per record, as the official \`dbn --json\` prints them
  --metadata         the metadata header as one JSON object
  --stats            {"records","by_rtype","max_price","sum_size"}
  --fragment N       FILE has no metadata header: bare records of DBN version N
  --ts-out           (with --fragment) records carry ts_out`;

type Mode = 'json' | 'metadata' | 'stats';

interface Args {
  mode: Mode;
  file: string;
  fragment: 1 | 2 | 3 | null;
  tsOut: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  let mode: Mode | null = null;
  let file: string | null = null;
  let fragment: 1 | 2 | 3 | null = null;
  let tsOut = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' || a === '--metadata' || a === '--stats') {
      const m = a.slice(2) as Mode;
      if (mode && mode !== m) throw new UsageError(`choose one of --json, --metadata, --stats`);
      mode = m;
    } else if (a === '--fragment') {
      const v = Number(argv[++i]);
      if (v !== 1 && v !== 2 && v !== 3) throw new UsageError('--fragment needs a DBN version: 1, 2 or 3');
      fragment = v;
    } else if (a === '--ts-out') {
      tsOut = true;
    } else if (a === '-h' || a === '--help') {
      throw new UsageError('');
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      if (file !== null) throw new UsageError(`one FILE only (got ${file} and ${a})`);
      file = a;
    }
  }
  if (!mode) throw new UsageError('missing --json, --metadata or --stats');
  if (file === null) throw new UsageError('missing FILE (- for stdin)');
  return { mode, file, fragment, tsOut };
}

/** Buffered stdout that respects backpressure and stops quietly if the reader goes away. */
class Out {
  #parts: string[] = [];
  #size = 0;
  closed = false;

  constructor() {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.closed = true;
      else throw e;
    });
  }

  line(s: string): Promise<void> | undefined {
    this.#parts.push(s, '\n');
    this.#size += s.length + 1;
    return this.#size >= 1 << 20 ? this.flush() : undefined;
  }

  flush(): Promise<void> {
    if (this.#parts.length === 0 || this.closed) return Promise.resolve();
    const chunk = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    return new Promise((resolve) => {
      const out = process.stdout;
      if (out.write(chunk)) return resolve();
      // Wait for room, or give up quietly if the reader went away (e.g. `| head`).
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        out.off('error', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
      out.on('error', done);
    });
  }
}

async function run(args: Args): Promise<void> {
  const input: Readable =
    args.file === '-' ? process.stdin : createReadStream(args.file, { highWaterMark: 1 << 16 });
  const decoder = new DbnDecoder(
    args.fragment ? { metadata: false, version: args.fragment, tsOut: args.tsOut } : { metadata: true },
  );
  const out = new Out();
  const stats = new StatsAccumulator();

  const handle = async (batch: DbnRecordBatch) => {
    if (args.mode === 'stats') {
      stats.add(batch);
      return;
    }
    if (args.mode === 'json') {
      for (let i = 0; i < batch.count && !out.closed; i++) {
        const pending = out.line(JSON.stringify(recordToJson(batch, i)));
        if (pending) await pending;
      }
    }
  };

  for await (const chunk of input) {
    const batch = decoder.push(chunk as Uint8Array);
    if (args.mode === 'metadata') {
      if (decoder.metadata) break;
      continue;
    }
    await handle(batch);
    if (out.closed) return;
  }
  if (args.mode === 'metadata') {
    if (!decoder.metadata) {
      decoder.finish(); // throws the precise error (empty, truncated, fragment...)
      throw new DbnError('input has no DBN metadata header', 0);
    }
    await out.line(JSON.stringify(metadataToJson(decoder.metadata)));
    await out.flush();
    return;
  }
  await handle(decoder.finish());
  if (args.mode === 'stats') out.line(JSON.stringify(stats.result()));
  await out.flush();
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`dbn: ${e.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  try {
    await run(args);
    return 0;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof DbnError) process.stderr.write(`dbn: ${args.file}: ${e.message}\n`);
    else if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      process.stderr.write(`dbn: cannot read ${args.file}: ${err.message}\n`);
    } else process.stderr.write(`dbn: ${args.file}: ${err.stack ?? String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main();
