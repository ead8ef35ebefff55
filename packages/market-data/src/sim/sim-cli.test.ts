import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFile } from '../dbn/decoder.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./sim-cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sim-cli-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sim-cli', () => {
  it('writes a DBN file and its plan, prints nothing on stdout and its statistics on stderr', async () => {
    const out = join(dir, 'open.dbn');
    const plan = join(dir, 'plan.json');
    const args = ['tsx', cli, '--seed', '42', '--minutes', '1', '--symbols', '100', '--pre-market', '1'];
    const { stdout, stderr } = await run('npx', [...args, '--out', out, '--plan', plan]);
    expect(stdout).toBe('');
    const stats = JSON.parse(stderr.split('\n').find((l) => l.startsWith('{'))!) as {
      records: number;
      bytes: number;
    };
    const bytes = readFileSync(out);
    expect(stats.bytes).toBe(bytes.length);
    expect(decodeFile(bytes).batch.count).toBe(stats.records);
    expect(JSON.parse(readFileSync(plan, 'utf8')).seed).toBe(42);
  });

  it('exits 2 with a message on bad arguments', async () => {
    const err = await run('npx', ['tsx', cli, '--seed', 'x', '--out', join(dir, 'x.dbn')]).catch(
      (e: unknown) => e,
    );
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/--seed must be a non-negative integer, got "x"/);
  });
});
