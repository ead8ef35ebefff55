// Writes the simulator's session to a DBN file:
//   npx tsx packages/market-data/src/sim/sim-cli.ts --seed 42 --minutes 30 --out /tmp/open.dbn
//     [--symbols 10000] [--pre-market 15] [--date 2026-11-20] [--plan /tmp/open.plan.json]
// Prints nothing on stdout; statistics go to stderr as one JSON line. Bad arguments exit 2.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createSimulator } from './simulator.ts';

function fail(message: string): never {
  process.stderr.write(`sim-cli: ${message}\n`);
  process.exit(2);
}

function int(name: string, v: string | undefined, dflt?: number): number | undefined {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) fail(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        seed: { type: 'string' },
        minutes: { type: 'string' },
        out: { type: 'string' },
        symbols: { type: 'string' },
        'pre-market': { type: 'string' },
        date: { type: 'string' },
        plan: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (e) {
    fail((e as Error).message);
  }
  if (!values.out) fail('--out FILE is required');
  const seed = int('seed', values.seed, 42)!;
  const minutes = int('minutes', values.minutes, 30)!;
  const symbols = int('symbols', values.symbols);
  const pre = int('pre-market', values['pre-market']);
  let sim: ReturnType<typeof createSimulator>;
  try {
    sim = createSimulator({
      seed,
      minutes,
      ...(symbols !== undefined ? { symbols } : {}),
      ...(pre !== undefined ? { preMarketMinutes: pre } : {}),
      ...(values.date ? { start: values.date } : {}),
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const t0 = performance.now();
  const { records, bytes } = await sim.writeDbn(values.out);
  const sec = (performance.now() - t0) / 1000;
  if (values.plan) await writeFile(values.plan, `${JSON.stringify(sim.plan, null, 2)}\n`);
  process.stderr.write(
    `${JSON.stringify({
      out: values.out,
      seed,
      minutes,
      date: sim.plan.date,
      symbols: sim.plan.symbols,
      records,
      bytes,
      seconds: Number(sec.toFixed(2)),
      mrec_per_s: Number((records / sec / 1e6).toFixed(2)),
      planted_events: sim.plan.events.length,
      quiet: sim.plan.quiet.length,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`sim-cli: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
