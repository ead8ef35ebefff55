// `npm run -s parse-sms -- [--offline] --batch` (CONTRACTS.md): JSON lines {"text": "..."} on
// stdin, one intent per line on stdout, in order. A bad line is reported on stderr with its line
// number and answered with an `unknown` (so output lines stay aligned with input lines); the exit
// code is then 1, after every line is processed. Without ANTHROPIC_API_KEY, or with --offline,
// the deterministic parser reads every line.
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { createIntentParser } from '../intent/parse-intent.ts';
import { loadParseSmsEnv } from './env.ts';

const USAGE = 'usage: npm run -s parse-sms -- [--offline] --batch  (JSON lines {"text": "..."} on stdin)';
const lineSchema = z.object({ text: z.string().max(1600) });

function log(level: 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ level, component: 'parse-sms', msg, ...extra })}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = new Set(argv);
  const unknownFlags = argv.filter((a) => a !== '--offline' && a !== '--batch');
  if (unknownFlags.length > 0 || !flags.has('--batch')) {
    process.stderr.write(
      `parse-sms: ${unknownFlags.length ? `unknown argument ${unknownFlags[0]}` : '--batch is required'}\n${USAGE}\n`,
    );
    return 2;
  }
  const env = loadParseSmsEnv();
  const offline = flags.has('--offline') || env.ANTHROPIC_API_KEY === undefined;
  // The SDK loads only when Claude is used: offline runs start faster.
  const claude = offline
    ? undefined
    : (await import('../claude/claude-parser.ts')).createClaudeParser({
        apiKey: env.ANTHROPIC_API_KEY!,
        model: env.ANTHROPIC_MODEL,
        baseURL: env.ANTHROPIC_BASE_URL,
      });
  const parse = createIntentParser({
    claude,
    onFallback: (f) =>
      log('warn', 'claude failed; deterministic parser used', { reason: f.reason, detail: f.message }),
  });

  let bad = 0;
  let n = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    n += 1;
    if (line.trim() === '') continue;
    let text: string;
    try {
      const parsed = lineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(z.prettifyError(parsed.error).replace(/\n/g, ' '));
      text = parsed.data.text;
    } catch (err) {
      bad += 1;
      log(
        'error',
        `line ${n}: not a JSON object {"text": "..."}: ${err instanceof Error ? err.message : String(err)}`,
        { line: n },
      );
      process.stdout.write(`${JSON.stringify({ intent: 'unknown' })}\n`);
      continue;
    }
    const result = await parse(text);
    process.stdout.write(`${JSON.stringify(result.intent)}\n`);
  }
  if (bad > 0) {
    process.stderr.write(`parse-sms: ${bad} bad input line(s) of ${n}\n`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`parse-sms: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
