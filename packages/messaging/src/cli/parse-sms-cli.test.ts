// The `parse-sms` command as a user runs it: a real process, JSON lines in and out (CONTRACTS.md).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DOUBLE_API_KEY, startAnthropicDouble } from '@tradeassist/test-doubles/anthropic-messages-double';
import { childPath } from '@tradeassist/tests/harness/env';
import { describe, expect, it } from 'vitest';
import { readExamples, repoRoot, SHARED_EXAMPLES } from '../parser/examples.ts';

const CLI = path.join(repoRoot, 'packages/messaging/src/cli/parse-sms-cli.ts');
const TSX = path.join(repoRoot, 'node_modules/.bin/tsx');

function run(args: string[], stdin: string, env: Record<string, string> = {}) {
  // Only what the command needs: no key from the developer's shell leaks into a test.
  const child = spawn(TSX, [CLI, ...args], { env: { PATH: childPath(), ...env }, cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);

describe('npm run -s parse-sms -- [--offline] --batch', () => {
  it('prints the expected intent for every shared example, in order, offline even with a key', async () => {
    const double = await startAnthropicDouble();
    try {
      const examples = readExamples(SHARED_EXAMPLES);
      const input = examples.map((e) => JSON.stringify({ text: e.text })).join('\n');
      const env = { ANTHROPIC_API_KEY: DOUBLE_API_KEY, ANTHROPIC_BASE_URL: double.url };
      const r = await run(['--offline', '--batch'], `${input}\n`, env);
      expect(r.code, r.stderr).toBe(0);
      expect(lines(r.stdout)).toEqual(examples.map((e) => e.expect));
      expect(double.requests).toHaveLength(0); // --offline never calls out
    } finally {
      await double.close();
    }
  });

  it('reports bad lines by number, keeps the output aligned, and exits non-zero at the end', async () => {
    const r = await run(['--batch', '--offline'], '{"text":"yes"}\nnot json\n{"txt":"no"}\n{"text":"no"}\n');
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      { intent: 'confirm' },
      { intent: 'unknown' },
      { intent: 'unknown' },
      { intent: 'deny' },
    ]);
    expect(r.stderr).toContain('line 2');
    expect(r.stderr).toContain('line 3');
  });

  it('uses Claude when a key is set, and falls back per line', async () => {
    const double = await startAnthropicDouble({ retryAfterMs: 5 });
    try {
      const env = { ANTHROPIC_API_KEY: DOUBLE_API_KEY, ANTHROPIC_BASE_URL: double.url };
      const r = await run(['--batch'], '{"text":"sold half NVDA 490"}\n{"text":"hmm"}\n', env);
      expect(r.code, r.stderr).toBe(0);
      expect(lines(r.stdout)).toEqual([
        { intent: 'close_trade', symbol: 'NVDA', exit: 490, quantity: null, fraction: 0.5 },
        { intent: 'unknown' },
      ]);
      expect(double.requests.map((q) => q.text)).toEqual(['sold half NVDA 490', 'hmm']);
      expect(r.stderr).toContain('invalid_output');
      expect(r.stderr).not.toContain(DOUBLE_API_KEY);
    } finally {
      await double.close();
    }
  });
});
