// The SMS examples with their expected intents: the shared fixtures (CONTRACTS.md) and our own.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../../..');
/** The contract's examples live in shared/, beside the clone. */
export const SHARED_EXAMPLES = path.resolve(repoRoot, '../shared/fixtures/sms/examples.jsonl');
export const OWN_CASES = path.join(here, 'fixtures/own-cases.jsonl');

const exampleSchema = z.object({ text: z.string(), expect: z.looseObject({ intent: z.string() }) });
export type SmsExample = z.infer<typeof exampleSchema>;

export function readExamples(file: string): SmsExample[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, n }) => {
      const parsed = exampleSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${n}: not an example: ${parsed.error.message}`);
      return parsed.data;
    });
}
