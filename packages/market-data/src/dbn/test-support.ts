// Test helpers: where the fixtures are, and the official decoder as an oracle (the Python package
// `databento_dbn`, through scripts/dbn_oracle.py; the `dbn` CLI when it is on PATH).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { oracleEnv } from './oracle-env.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../../..');
/** shared/ sits beside the repository: /work/main -> /work/shared, and beside CI's clone. */
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/dbn');
export const oracleScript = path.resolve(here, '../../scripts/dbn_oracle.py');

export interface FixtureFile {
  /** Path relative to fixturesDir, for test names. */
  name: string;
  path: string;
  /** Fragment (no metadata): its DBN version, from the name. */
  fragVersion: 1 | 2 | 3 | null;
}

/** Every DBN fixture (official/ and us-equities/), except the legacy .dbz files. */
export function fixtureFiles(): FixtureFile[] {
  const out: FixtureFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.dbn(\.frag)?(\.zst)?$/.test(e.name)) {
        const frag = e.name.includes('.frag');
        const v = /\.v([123])\./.exec(e.name)?.[1];
        out.push({
          name: path.relative(fixturesDir, p),
          path: p,
          // Unversioned fixture names are DBN v2 (fixtures README).
          fragVersion: frag ? (Number(v ?? 2) as 1 | 2 | 3) : null,
        });
      }
    }
  };
  walk(fixturesDir);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function dbzFiles(): string[] {
  return readdirSync(path.join(fixturesDir, 'official'))
    .filter((n) => n.endsWith('.dbz'))
    .map((n) => path.join(fixturesDir, 'official', n));
}

let python: string | null = null;

/** A python3 that can import databento_dbn; throws a clear error if there is none. */
export function findPython(): string {
  if (python) return python;
  const candidates = [oracleEnv().python, 'python3', 'python', '/usr/bin/python3', '/usr/local/bin/python3'];
  const tried: string[] = [];
  for (const c of candidates) {
    if (!c) continue;
    const r = spawnSync(c, ['-c', 'import databento_dbn, sys; print(sys.executable)'], { encoding: 'utf8' });
    if (r.status === 0) {
      python = c;
      return c;
    }
    tried.push(`${c}: ${r.error ? r.error.message : (r.stderr || '').trim().split('\n').pop()}`);
  }
  throw new Error(
    `no python3 with the official DBN decoder: run \`pip install databento-dbn\` (tried ${tried.join('; ')})`,
  );
}

export function runOracle(args: string[], input?: string): unknown {
  const r = spawnSync(findPython(), [oracleScript, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`dbn_oracle ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export interface OracleResult {
  metadata: Record<string, unknown> | null;
  records: Record<string, unknown>[];
  record_hex: string[];
  error?: string;
}

export function oracleDecodeMany(
  jobs: { path: string; frag_version?: number; ts_out?: boolean }[],
): OracleResult[] {
  return runOracle(['decode-many'], JSON.stringify(jobs)) as OracleResult[];
}

/**
 * Metadata JSON with mappings sorted by raw symbol: the Python package hands mappings back as a
 * dict in no particular order (the dbn CLI comparison checks the real order).
 */
export function sortedMappings(m: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!m) return m;
  const mappings = [...(m.mappings as { raw_symbol: string }[])].sort((a, b) =>
    a.raw_symbol < b.raw_symbol ? -1 : a.raw_symbol > b.raw_symbol ? 1 : 0,
  );
  return { ...m, mappings };
}

/** The official `dbn` CLI, when installed (cargo install dbn-cli). */
export function findDbnCli(): string | null {
  const { dbnCli, home } = oracleEnv();
  for (const c of [dbnCli, 'dbn', home ? path.join(home, '.cargo/bin/dbn') : undefined]) {
    if (!c) continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0 && /dbn/i.test(r.stdout)) return c;
  }
  return null;
}

/**
 * Parses a line of the official `dbn --json`, which escapes a c_char apostrophe as \' and a byte
 * over 0x7f as \xHH: not JSON, but they mean the character itself.
 */
export function parseOfficialJson(line: string): Record<string, unknown> {
  return JSON.parse(
    line.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (m, e: string) =>
      e === "'" ? "'" : e.length === 3 ? `\\u00${e.slice(1)}` : m,
    ),
  );
}

/** Copies of every record's bytes in a batch (a batch is only valid until the next push). */
export function recordBytes(batch: RecordBatch): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < batch.count; i++) {
    const off = batch.offsets[i]!;
    out.push(batch.bytes.slice(off, off + batch.bytes[off]! * 4));
  }
  return out;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
