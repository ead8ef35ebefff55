import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbnEncoder } from '@tradeassist/market-data/dbn';
import { createSimulator } from '@tradeassist/market-data/sim';
import { backtest } from '@tradeassist/screener';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReplayFiles, resolveReplayFile } from './replay-files.ts';
import { PREVIEW_SIM, type PreviewResult, previewRule } from './rule-preview.ts';

const USER = '00000000-0000-4000-8000-000000000001';
const WATCHLIST = '33333333-3333-4333-8333-333333333333';

/** A definition as the form builds it (the server supplies id and user_id). */
function draft(condition: unknown, extra: Record<string, unknown> = {}) {
  return {
    name: 'Up 5% on the day',
    scope: { kind: 'all' },
    sessions: ['pre', 'regular'],
    cooldown_s: 300,
    channels: ['dashboard'],
    condition,
    ...extra,
  };
}
const UP_5 = { op: 'compare', left: { field: 'change_pct' }, cmp: '>=', right: { value: 5 } };

/** The same engine run by hand over the same simulated session: what the preview must report. */
async function engineRun(definition: Record<string, unknown>, sim = createSimulator(PREVIEW_SIM)) {
  function* batches() {
    let symbols = sim.symbolPairs();
    for (const records of sim.generate()) {
      yield { records, symbols };
      symbols = [];
    }
  }
  const rule = { ...definition, id: '11111111-1111-4111-8111-111111111111', user_id: USER };
  return backtest(batches(), { rules: [rule] });
}

function ok(r: PreviewResult) {
  if (!r.ok) throw new Error(`preview failed: ${JSON.stringify(r)}`);
  return r;
}

describe('rule preview on the simulator', () => {
  it('reports what the engine fires: count, first alerts in New York time, records', async () => {
    const expected = await engineRun(draft(UP_5));
    expect(expected.alerts.length).toBeGreaterThan(0);

    const r = ok(await previewRule({ definition: draft(UP_5), source: { kind: 'sim' }, userId: USER }));
    expect(r.fired).toBe(expected.alerts.length);
    expect(r.records).toBe(expected.records);
    expect(r.partial).toBe(false);
    expect(r.source).toMatch(/^the simulator/);
    const first = expected.alerts[0]!;
    expect(r.alerts[0]).toMatchObject({ symbol: first.symbol, price: first.price, rule: 'Up 5% on the day' });
    // The simulated window is 8:30-10:30 ET on 2026-11-20 (EST, UTC-5).
    for (const a of r.alerts) {
      expect(a.date).toBe('2026-11-20');
      expect(a.time >= '08:30:00' && a.time < '10:30:00').toBe(true);
      expect(a.price).toMatch(/^\d+\.\d+$/);
    }
  });

  it('has prior closes and average volumes, so gap and relative-volume rules fire', async () => {
    for (const condition of [
      { op: 'compare', left: { field: 'gap_pct' }, cmp: '>=', right: { value: 2 } },
      { op: 'compare', left: { field: 'rvol' }, cmp: '>=', right: { value: 3 } },
    ]) {
      const r = ok(
        await previewRule({ definition: draft(condition), source: { kind: 'sim' }, userId: USER }),
      );
      expect({ condition, fired: r.fired > 0 }).toEqual({ condition, fired: true });
    }
  });

  it('returns 0 for a rule that cannot fire', async () => {
    const never = { op: 'compare', left: { field: 'price' }, cmp: '<', right: { value: '0' } };
    const r = ok(await previewRule({ definition: draft(never), source: { kind: 'sim' }, userId: USER }));
    expect(r.fired).toBe(0);
    expect(r.alerts).toEqual([]);
    expect(r.records).toBeGreaterThan(0);
  });

  it('scopes a watchlist rule to the trader’s list', async () => {
    const all = await engineRun(draft(UP_5));
    const symbol = all.alerts[0]!.symbol;
    const def = draft(UP_5, { scope: { kind: 'watchlist', watchlist_id: WATCHLIST } });
    const r = ok(
      await previewRule({
        definition: def,
        source: { kind: 'sim' },
        userId: USER,
        loadWatchlists: async () => ({ [WATCHLIST]: [symbol] }),
      }),
    );
    expect(r.fired).toBe(all.alerts.filter((a) => a.symbol === symbol).length);
    expect(new Set(r.alerts.map((a) => a.symbol))).toEqual(new Set([symbol]));

    const missing = await previewRule({
      definition: def,
      source: { kind: 'sim' },
      userId: USER,
      loadWatchlists: async () => ({}),
    });
    expect(missing).toEqual({
      ok: false,
      kind: 'invalid',
      issues: [{ path: 'scope.watchlist_id', message: expect.any(String) }],
    });
  });

  it('runs one preview per trader at a time and stops at the time budget', async () => {
    const first = previewRule({ definition: draft(UP_5), source: { kind: 'sim' }, userId: USER });
    const second = await previewRule({ definition: draft(UP_5), source: { kind: 'sim' }, userId: USER });
    expect(second).toMatchObject({ ok: false, kind: 'busy' });
    expect((await first).ok).toBe(true);

    const cut = ok(
      await previewRule({ definition: draft(UP_5), source: { kind: 'sim' }, userId: USER, budgetMs: -1 }),
    );
    expect(cut).toMatchObject({ partial: true, records: 0, fired: 0 });
  });
});

describe('rule preview validation', () => {
  it('returns the schema issues by field path', async () => {
    const r = await previewRule({
      definition: draft(UP_5, { name: '', cooldown_s: Number.NaN }),
      source: { kind: 'sim' },
      userId: USER,
    });
    expect(r.ok).toBe(false);
    if (r.ok || r.kind !== 'invalid') throw new Error('expected issues');
    expect(r.issues.map((i) => i.path).sort()).toEqual(['cooldown_s', 'name']);
  });

  it('returns the compiler issues by field path (units the schema cannot check)', async () => {
    // A dollar field compared with a percent field, and an EMA period the engine does not keep.
    const condition = {
      op: 'and',
      all: [
        { op: 'compare', left: { field: 'price' }, cmp: '>', right: { field: 'change_pct' } },
        { op: 'compare', left: { field: 'ema', period: 7 }, cmp: '<', right: { field: 'price' } },
      ],
    };
    const r = await previewRule({ definition: draft(condition), source: { kind: 'sim' }, userId: USER });
    if (r.ok || r.kind !== 'invalid') throw new Error(`expected issues, got ${JSON.stringify(r)}`);
    expect(r.issues.map((i) => i.path)).toEqual(['condition.all.0.right', 'condition.all.1.left.period']);
  });

  it('refuses a definition that is not an object', async () => {
    const r = await previewRule({ definition: 'rm -rf', source: { kind: 'sim' }, userId: USER });
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe('rule preview on a replay file', () => {
  let dir: string;
  // A small simulated session written as DBN: the replay must see exactly what the engine sees.
  const small = { seed: 7, symbols: 60, minutes: 30, preMarketMinutes: 30, activity: 0.25 };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rule-preview-'));
    await createSimulator(small).writeDbn(join(dir, 'small-session.dbn'));
    await writeFile(join(dir, 'notes.txt'), 'not a DBN file');
    await writeFile(join(dir, 'broken.dbn'), 'DBN\u0003 and nothing after');
    await writeFile(join(dir, 'pltr-trades.dbn'), tradesFile());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists only the DBN files of the directory', async () => {
    expect((await listReplayFiles(dir)).map((f) => f.name)).toEqual([
      'broken.dbn',
      'pltr-trades.dbn',
      'small-session.dbn',
    ]);
    expect(await listReplayFiles(undefined)).toEqual([]);
    expect(await listReplayFiles(join(dir, 'missing'))).toEqual([]);
  });

  it('replays a listed file with the same result as the engine', async () => {
    const expected = await engineRun(draft(UP_5), createSimulator(small));
    const r = ok(
      await previewRule({
        definition: draft(UP_5),
        source: { kind: 'replay', file: 'small-session.dbn' },
        userId: USER,
        replayDir: dir,
      }),
    );
    expect(r.source).toBe('small-session.dbn');
    expect(r.records).toBe(expected.records);
    expect(r.fired).toBe(expected.alerts.length);
  });

  it('takes prior closes from the database for a file without daily bars, as the worker does', async () => {
    const asked: string[] = [];
    const loadReference = async (date: string) => {
      asked.push(date);
      return [['PLTR', { prevClose: '20.00', avgVolume: 1_000_000 }] as const];
    };
    const req = {
      definition: draft(UP_5),
      source: { kind: 'replay' as const, file: 'pltr-trades.dbn' },
      userId: USER,
      replayDir: dir,
    };
    // 20.00 -> 20.90 (+4.5%, no), 21.00 (+5.0%, fires), 21.10 (+5.5%, within the 300 s cooldown).
    const r = ok(await previewRule({ ...req, loadReference }));
    expect(asked).toEqual(['2023-11-21']);
    expect(r.alerts.map((a) => [a.symbol, a.time, a.price])).toEqual([['PLTR', '09:32:00', '21.00']]);
    expect(r.records).toBe(3);
    // Without a prior close the change is unknown and the rule stays silent.
    expect(ok(await previewRule(req)).fired).toBe(0);
  });

  it('refuses names that are not a listed file name: ../x, absolute paths, unknown files', async () => {
    for (const name of [
      '../x',
      '../x.dbn',
      '/etc/passwd',
      'sub/a.dbn',
      '.hidden.dbn',
      'notes.txt',
      'nope.dbn',
    ]) {
      const lookup = await resolveReplayFile(dir, name);
      expect({ name, ok: lookup.ok }).toEqual({ name, ok: false });
      const r = await previewRule({
        definition: draft(UP_5),
        source: { kind: 'replay', file: name },
        userId: USER,
        replayDir: dir,
      });
      expect({ name, r }).toMatchObject({ name, r: { ok: false, kind: 'source' } });
    }
    expect(await resolveReplayFile(undefined, 'small-session.dbn')).toMatchObject({ ok: false });
  });

  it('reports a corrupt file as a value', async () => {
    const r = await previewRule({
      definition: draft(UP_5),
      source: { kind: 'replay', file: 'broken.dbn' },
      userId: USER,
      replayDir: dir,
    });
    expect(r).toMatchObject({ ok: false, kind: 'source', message: expect.stringMatching(/broken\.dbn/) });
  });
});

/** A trades-schema file (no daily bars): PLTR prints at 9:31, 9:32, 9:33 ET on 2023-11-21 (EST, UTC-5). */
function tradesFile(): Uint8Array {
  const start = BigInt(Date.UTC(2023, 10, 21, 14, 31)) * 1_000_000n;
  const enc = new DbnEncoder({
    version: 3,
    metadata: {
      version: 3,
      dataset: 'XNAS.ITCH',
      schema: 'trades',
      start,
      end: start + 180_000_000_000n,
      limit: null,
      stypeIn: 'raw_symbol',
      stypeOut: 'instrument_id',
      tsOut: false,
      symbolCstrLen: 71,
      symbols: ['PLTR'],
      partial: [],
      notFound: [],
      mappings: [{ rawSymbol: 'PLTR', intervals: [{ startDate: 20231121, endDate: 20231122, symbol: '7' }] }],
    },
  });
  ['20.900000000', '21.000000000', '21.100000000'].forEach((price, k) => {
    const ts = String(start + BigInt(k) * 60_000_000_000n);
    enc.record({
      hd: { rtype: 0, publisher_id: 2, instrument_id: 7, ts_event: ts },
      price: price.replace('.', ''),
      size: 500,
      action: 'T',
      side: 'A',
      flags: 0,
      depth: 0,
      ts_recv: ts,
      ts_in_delta: 0,
      sequence: k,
    });
  });
  return enc.bytes();
}
