// `npm run -s bench -- [NAME ...]`: runs every tests/bench/*.bench.ts (or those whose file or figure
// names start with one of the NAMEs) and prints one JSON line per figure (CONTRACTS.md). Logs go to
// stderr; a bench that throws is reported and makes the run exit non-zero after the others finish.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './stats.ts';

const dir = dirname(fileURLToPath(import.meta.url));
// Names match file names (alert-writer) and figure names (alert_writer.throughput) alike.
const norm = (s: string) => s.replace(/[-_]/g, '_');
const wanted = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('-'))
  .map(norm);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

const matches = (name: string) => wanted.length === 0 || wanted.some((w) => norm(name).startsWith(w));
let failed = 0;
for (const f of files) {
  const base = norm(f.replace(/\.bench\.ts$/, ''));
  const fileWanted = wanted.length === 0 || wanted.some((w) => base.startsWith(w) || w.startsWith(base));
  if (!fileWanted) continue;
  try {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run: () => Promise<BenchResult[]> };
    const results = await mod.run();
    for (const r of results) {
      if (matches(r.name) || matches(base)) process.stdout.write(`${JSON.stringify(r)}\n`);
    }
  } catch (e) {
    failed++;
    process.stderr.write(
      `bench ${base} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
  }
}
process.exit(failed ? 1 : 0);
