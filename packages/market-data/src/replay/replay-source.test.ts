import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimulator, type SimulatorOptions } from '../sim/simulator.ts';
import type { SourceEvent } from '../source.ts';
import { ReplayError, replaySource } from './replay-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'replay-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTS: SimulatorOptions = { seed: 5, minutes: 2, symbols: 300, activity: 0.05, preMarketMinutes: 3 };

/** Hash of the records' bytes, record by record (independent of batching and file layout). */
function recordHasher() {
  const h = createHash('sha256');
  let count = 0;
  return {
    add(b: RecordBatch) {
      for (let k = 0; k < b.count; k++) {
        const off = b.offsets[k]!;
        h.update(b.bytes.subarray(off, off + b.view.getUint8(off) * 4));
      }
      count += b.count;
    },
    done: () => ({ hash: h.digest('hex'), count }),
  };
}

// The zstd CLI compresses the .dbn.zst fixture (no zstd compressor in Node 20); skipped without it.
const hasZstd = spawnSync('zstd', ['--version']).status === 0;

describe('replay source', () => {
  it.skipIf(!hasZstd)('replays a .dbn.zst file (zstd, several frames) like the plain file', async () => {
    const sim = createSimulator(OPTS);
    const path = join(dir, 'z.dbn');
    await sim.writeDbn(path);
    // Two frames, as `cat a.zst b.zst` or a chunked writer would make.
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(path);
    const half = Math.floor(bytes.length / 2);
    writeFileSync(join(dir, 'a'), bytes.subarray(0, half));
    writeFileSync(join(dir, 'b'), bytes.subarray(half));
    for (const f of ['a', 'b']) expect(spawnSync('zstd', ['-q', '-f', '-1', join(dir, f)]).status).toBe(0);
    writeFileSync(
      `${path}.zst`,
      Buffer.concat([readFileSync(join(dir, 'a.zst')), readFileSync(join(dir, 'b.zst'))]),
    );
    const plain = recordHasher();
    for await (const b of replaySource(path).batches()) plain.add(b.records);
    const z = recordHasher();
    let symbols = 0;
    for await (const b of replaySource(`${path}.zst`, { chunkBytes: 8191 }).batches()) {
      z.add(b.records);
      symbols += b.symbols.length;
    }
    expect(z.done()).toEqual(plain.done());
    // Each pair once: the mapping records repeat what the metadata said.
    expect(symbols).toBe(OPTS.symbols);
  });

  it('replays a written simulator file as the same records, with the symbology', async () => {
    const sim = createSimulator(OPTS);
    const path = join(dir, 'sim.dbn');
    const written = await sim.writeDbn(path);

    const mem = recordHasher();
    for (const b of sim.generate()) mem.add(b);

    const events: SourceEvent[] = [];
    // Small reads so that records straddle chunks.
    const src = replaySource(path, { chunkBytes: 4099, onEvent: (e) => events.push(e) });
    expect(src.kind).toBe('replay');
    const file = recordHasher();
    const symbols = new Map<number, string>();
    for await (const b of src.batches()) {
      for (const [id, t] of b.symbols) symbols.set(id, t);
      file.add(b.records);
    }
    await src.close();
    const m = mem.done();
    expect(file.done()).toEqual(m);
    expect(m.count).toBe(written.records);
    expect(symbols).toEqual(new Map(sim.symbolPairs()));
    expect(events[0]?.type).toBe('connected');
  });

  it('takes tickers from SymbolMappingMsg records when the metadata has no mappings', async () => {
    const sim = createSimulator(OPTS);
    const { encodeMetadata } = await import('../dbn/metadata.ts');
    const parts: Uint8Array[] = [encodeMetadata({ ...sim.metadata(), mappings: [] })];
    for (const b of sim.generate()) parts.push(b.bytes.slice());
    const path = join(dir, 'no-mappings.dbn');
    writeFileSync(path, Buffer.concat(parts));
    const symbols = new Map<number, string>();
    for await (const b of replaySource(path).batches()) for (const [id, t] of b.symbols) symbols.set(id, t);
    expect(symbols).toEqual(new Map(sim.symbolPairs()));
  });

  it('stops when the signal aborts', async () => {
    const path = join(dir, 'abort.dbn');
    await createSimulator(OPTS).writeDbn(path);
    const ac = new AbortController();
    let batches = 0;
    for await (const _ of replaySource(path, { chunkBytes: 65_536 }).batches(ac.signal)) {
      batches++;
      ac.abort();
    }
    expect(batches).toBe(1);
  });

  it('names the file when it cannot be read, and the byte offset when it is corrupt', async () => {
    const missing = join(dir, 'missing.dbn');
    await expect(consume(replaySource(missing).batches())).rejects.toThrow(ReplayError);
    await expect(consume(replaySource(missing).batches())).rejects.toThrow(missing);
    const bad = join(dir, 'truncated.dbn');
    const sim = createSimulator({ ...OPTS, minutes: 1 });
    await sim.writeDbn(bad);
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(bad);
    writeFileSync(bad, bytes.subarray(0, bytes.length - 7));
    await expect(consume(replaySource(bad).batches())).rejects.toThrow(/offset|truncated/i);
  });
});

describe('dbn --stats on the simulator (issue done-criterion, small window)', () => {
  it('decodes the simulated file with the repository CLI and agrees on counts and sizes', async () => {
    const sim = createSimulator({ ...OPTS, symbols: 500 });
    const path = join(dir, 'open.dbn');
    const { records } = await sim.writeDbn(path);
    // Expected numbers computed independently from the generator's batches.
    const byRType: Record<string, number> = {};
    let sumSize = 0;
    let maxPrice = 0;
    for (const b of sim.generate()) {
      for (let k = 0; k < b.count; k++) {
        const off = b.offsets[k]!;
        const rt = b.view.getUint8(off + 1);
        byRType[rt] = (byRType[rt] ?? 0) + 1;
        if (rt === 0 || rt === 1) {
          sumSize += b.view.getUint32(off + 24, true);
          maxPrice = Math.max(maxPrice, Number(b.view.getBigInt64(off + 16, true)));
        }
      }
    }
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'packages/market-data/src/cli/dbn-cli.ts', '--stats', path],
      {
        cwd: root,
      },
    );
    const stats = JSON.parse(stdout) as {
      records: number;
      by_rtype: Record<string, number>;
      max_price: string;
      sum_size: string;
    };
    expect(stats.records).toBe(records);
    expect(stats.by_rtype).toEqual(byRType);
    expect(stats.sum_size).toBe(String(sumSize));
    expect(stats.max_price).toBe(String(maxPrice));
  });
});

async function consume(it: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of it) {
    /* drain */
  }
}
