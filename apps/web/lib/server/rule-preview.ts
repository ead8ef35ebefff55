// Rule preview: what a draft rule would have fired, by the screener's own backtest over the simulator
// (default) or a replay file. Validation is the core schema, then the screener's compiler (units,
// EMA periods), both reported as field-path messages the form shows in place. Guarded: a time
// budget that stops the run and says so, a size cap on replay files, and one preview per trader at a
// time (PREVIEW_SLOTS in all) on this 2-core server.
import type { Alert } from '@tradeassist/core/alert';
import { etDateOf } from '@tradeassist/core/calendar';
import { type RuleDefinition, ruleDefinitionSchema } from '@tradeassist/core/rule';
import type { DbnMetadata } from '@tradeassist/market-data/dbn';
import { replaySource } from '@tradeassist/market-data/replay';
import { createSimulator, DEFAULT_SIM_DATE } from '@tradeassist/market-data/sim';
import { backtest, compileRule, type ReferenceData, type SymbolBatch } from '@tradeassist/screener';
import { z } from 'zod';
import { readReplayMetadata, resolveReplayFile } from './replay-files.ts';

/**
 * The simulated session: 400 names from 8:30 to 10:30 ET (the pre-market hour and the first regular
 * hour) at 15% of the full market's print rate: 655,813 records. Measured on this 2-core machine
 * (shared, load ~4): 0.25-0.5 s warm, up to ~2 s for a cold server's first run (JIT). Its stream
 * opens with 20 daily bars per name, from which the engine takes prior closes and average volumes,
 * as the screener worker does with `sim:` (it loads them from the database only when a stream has none).
 */
export const PREVIEW_SIM = {
  seed: 42,
  symbols: 400,
  preMarketMinutes: 60,
  minutes: 60,
  activity: 0.15,
} as const;

export const PREVIEW_LIMITS = {
  /** Alerts listed (the count covers them all). */
  alerts: 50,
  /** Wall time after which the run stops and the result says it is partial. */
  budgetMs: 4_000,
  /** Replay files larger than this are refused rather than half-read. */
  replayBytes: 512 * 1024 * 1024,
} as const;

/** Previews running at once, across traders: the server has two cores and other work. */
const PREVIEW_SLOTS = 2;

export const previewSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sim') }),
  z.strictObject({ kind: z.literal('replay'), file: z.string() }),
]);
export type PreviewSource = z.infer<typeof previewSourceSchema>;

export interface PreviewIssue {
  path: string;
  message: string;
}

export interface PreviewAlert {
  symbol: string;
  /** America/New_York, YYYY-MM-DD. */
  date: string;
  /** America/New_York, HH:MM:SS. */
  time: string;
  /** Decimal string, as in the alert. */
  price: string;
  session: Alert['session'];
  rule: string;
}

export type PreviewResult =
  | {
      ok: true;
      /** What was replayed, in words: "the simulator (…)" or "ticks.dbn". */
      source: string;
      fired: number;
      /** The first PREVIEW_LIMITS.alerts alerts, in time order. */
      alerts: PreviewAlert[];
      records: number;
      elapsedMs: number;
      /** The time budget ran out: the counts cover the records scanned so far. */
      partial: boolean;
    }
  | { ok: false; kind: 'invalid'; issues: PreviewIssue[] }
  | { ok: false; kind: 'busy' | 'source'; message: string };

export interface PreviewRequest {
  /** The rule as the form built it; `id` and `user_id` are replaced by the server's. */
  definition: unknown;
  source: PreviewSource;
  userId: string;
  /** RULE_PREVIEW_REPLAY_DIR. */
  replayDir?: string | undefined;
  /** The trader's watchlists (id -> tickers), asked for only when the rule is scoped to one. */
  loadWatchlists?: () => Promise<Record<string, readonly string[]>>;
  /** Prior closes and average volumes of a day (daily_reference), for replay files without daily bars. */
  loadReference?: (date: string) => Promise<ReadonlyArray<readonly [string, ReferenceData]>>;
  budgetMs?: number;
}

const nyDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const nyTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function previewAlert(a: Alert, rule: string): PreviewAlert {
  const at = new Date(Number(BigInt(a.ts_event) / 1_000_000n));
  return {
    symbol: a.symbol,
    date: nyDate.format(at),
    time: nyTime.format(at),
    price: a.price,
    session: a.session,
    rule,
  };
}

/** The compiler writes `condition.all[1].left`; the schema (and the form) `condition.all.1.left`. */
const dotted = (path: string) => path.replace(/\[(\d+)\]/g, '.$1');

/** The definition with the server's ids, parsed and compiled, or the issues by field path. */
export function checkDefinition(
  definition: unknown,
  userId: string,
): { ok: true; rule: RuleDefinition } | { ok: false; issues: PreviewIssue[] } {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return { ok: false, issues: [{ path: '', message: 'expected a rule definition object' }] };
  }
  const parsed = ruleDefinitionSchema.safeParse({
    ...definition,
    id: crypto.randomUUID(),
    user_id: userId,
    enabled: true,
  });
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  const compiled = compileRule(parsed.data);
  if (!compiled.ok) {
    return {
      ok: false,
      issues: compiled.error.issues.map((i) => ({ path: dotted(i.path), message: i.reason })),
    };
  }
  return { ok: true, rule: parsed.data };
}

/**
 * Passes batches on until the deadline, giving the event loop a turn between batches so that one
 * preview does not stall every other request of the server for its whole run.
 */
async function* withinBudget<B>(
  batches: Iterable<B> | AsyncIterable<B>,
  deadline: number,
  out: { partial: boolean },
): AsyncGenerator<B, void, undefined> {
  for await (const b of batches) {
    if (performance.now() > deadline) {
      out.partial = true;
      return;
    }
    yield b;
    await new Promise<void>((r) => setImmediate(r));
  }
}

/**
 * The day whose prior closes a replay needs from the database, as the screener worker would load
 * them: none for a mixed-schema or ohlcv-1d file, whose stream may bring its own daily bars.
 */
function referenceDate(meta: DbnMetadata | null): string | null {
  if (!meta || meta.schema === null || meta.schema === 'ohlcv-1d') return null;
  return etDateOf(Number(meta.start / 1_000_000_000n)); // the New York trading day, as the worker
}

function* simBatches(): Generator<SymbolBatch, void, undefined> {
  const sim = createSimulator(PREVIEW_SIM);
  let symbols: SymbolBatch['symbols'] = sim.symbolPairs();
  for (const records of sim.generate()) {
    yield { records, symbols };
    symbols = [];
  }
}

export const SIM_SOURCE_LABEL = `the simulator (${DEFAULT_SIM_DATE}, ${PREVIEW_SIM.symbols} symbols, 8:30–10:30 ET)`;

const running = new Set<string>();

/** Runs the preview; every expected failure (bad rule, bad file, busy) is a value. */
export async function previewRule(req: PreviewRequest): Promise<PreviewResult> {
  const checked = checkDefinition(req.definition, req.userId);
  if (!checked.ok) return { ok: false, kind: 'invalid', issues: checked.issues };
  const rule = checked.rule;

  let watchlists: Record<string, readonly string[]> | undefined;
  if (rule.scope.kind === 'watchlist') {
    watchlists = (await req.loadWatchlists?.()) ?? {};
    if (!watchlists[rule.scope.watchlist_id]) {
      return {
        ok: false,
        kind: 'invalid',
        issues: [{ path: 'scope.watchlist_id', message: 'no such watchlist of yours' }],
      };
    }
  }

  if (running.has(req.userId)) {
    return {
      ok: false,
      kind: 'busy',
      message: 'A preview of yours is still running; try again when it ends.',
    };
  }
  if (running.size >= PREVIEW_SLOTS) {
    return {
      ok: false,
      kind: 'busy',
      message: 'The server is running other previews; try again in a moment.',
    };
  }
  running.add(req.userId);
  try {
    return await run(req, rule, watchlists);
  } finally {
    running.delete(req.userId);
  }
}

async function run(
  req: PreviewRequest,
  rule: RuleDefinition,
  watchlists: Record<string, readonly string[]> | undefined,
): Promise<PreviewResult> {
  const started = performance.now();
  const deadline = started + (req.budgetMs ?? PREVIEW_LIMITS.budgetMs);
  const budget = { partial: false };
  let label: string;
  let batches: Iterable<SymbolBatch> | AsyncIterable<SymbolBatch>;
  let close = async () => {};
  let references: Record<string, ReferenceData> | undefined;
  if (req.source.kind === 'sim') {
    label = SIM_SOURCE_LABEL;
    batches = simBatches();
  } else {
    const file = await resolveReplayFile(req.replayDir, req.source.file);
    if (!file.ok) return { ok: false, kind: 'source', message: file.message };
    if (file.bytes > PREVIEW_LIMITS.replayBytes) {
      const mib = (n: number) => Math.round(n / 1024 / 1024);
      return {
        ok: false,
        kind: 'source',
        message: `${req.source.file} is ${mib(file.bytes)} MiB; previews read files up to ${mib(PREVIEW_LIMITS.replayBytes)} MiB`,
      };
    }
    label = req.source.file;
    const date = req.loadReference ? referenceDate(await readReplayMetadata(file.path)) : null;
    if (date && req.loadReference) {
      // Without them gap and change rules stay silent, as in the worker; the preview still runs.
      references = Object.fromEntries(await req.loadReference(date).catch(() => []));
    }
    const src = replaySource(file.path, { speed: 'max' });
    batches = src.batches();
    close = () => src.close();
  }
  try {
    const result = await backtest(withinBudget(batches, deadline, budget), {
      rules: [rule],
      maxAlerts: PREVIEW_LIMITS.alerts,
      ...(watchlists ? { watchlists } : {}),
      ...(references ? { references } : {}),
    });
    if (result.ruleErrors.length > 0) {
      return {
        ok: false,
        kind: 'invalid',
        issues: result.ruleErrors.flatMap((e) =>
          e.issues.map((i) => ({ path: dotted(i.path), message: i.reason })),
        ),
      };
    }
    return {
      ok: true,
      source: label,
      fired: result.fired,
      alerts: result.alerts.map((a) => previewAlert(a, rule.name)),
      records: result.records,
      elapsedMs: Math.round(performance.now() - started),
      partial: budget.partial,
    };
  } catch (e) {
    // A corrupt or truncated file: the decoder's message names the byte offset.
    return { ok: false, kind: 'source', message: `cannot replay ${label}: ${(e as Error).message}` };
  } finally {
    await close();
  }
}
