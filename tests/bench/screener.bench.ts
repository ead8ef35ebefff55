// The screener worker's whole pipeline minus I/O (workers/screener Pipeline: symbol mapping, the
// engine with every built-in detector and 50 compiled user rules, Prometheus metrics, alert JSON
// into a sink), fed by the DBN decoder in 64 KiB chunks over the simulator's open held in memory.
//
//   screener.records_per_s        Mrec/s of decode + pipeline over CPU time of this process
//                                 (process.cpuUsage: other load on a shared box does not count);
//                                 the simulator's 9:15-10:00 (15 min pre-market + 30 min from the
//                                 open), 3,000 names (~1.5 M records, ~110 MB of DBN) to keep memory
//                                 modest on a shared machine. Goal >= 3.
//   screener.tick_to_alert_p99_ms from a chunk arriving at the decoder to each of its alerts being
//                                 handed to the sink (wall clock). Goal <= 1.
//   screener.tick_to_alert_p50_ms the median of the same.
//   screener.tick_to_commit_p99_ms the same chunks paced at 200,000 records/s into a real embedded
//                                 Postgres through the AlertWriter (durable: write-ahead spool):
//                                 from the chunk's arrival to the alert's commit. Goal <= 50.
//   screener.rss_mb               resident memory of the pipeline's state for 12,000 instruments after
//                                 a full day (4:00-20:00) of 1-minute bars, one trade per instrument
//                                 per minute: what the pipeline retains after a full GC (JS heap +
//                                 typed-array backing stores, all of it written, hence resident), or
//                                 the RSS growth if larger. RSS growth alone under-reports: pages this
//                                 process freed before (module loading, earlier garbage) are reused
//                                 without growing RSS, so it printed anything from 4 to 176 MB.
//                                 Goal <= 400.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tradingDayInfo } from '@tradeassist/core/calendar';
import { TRADE } from '@tradeassist/core/dbn-layout';
import { AlertWriter, createDb } from '@tradeassist/db';
import { startScratchPostgres } from '@tradeassist/db/testing/scratch-postgres';
import { DbnDecoder, encodeMetadata } from '@tradeassist/market-data/dbn';
import { createSimulator } from '@tradeassist/market-data/sim';
import { createLogger } from '@tradeassist/runtime/logger';
import { Registry } from 'prom-client';
import { type AlertSink, StdoutSink } from '../../workers/screener/src/alert-sink.ts';
import { createScreenerMetrics } from '../../workers/screener/src/metrics.ts';
import { Pipeline } from '../../workers/screener/src/pipeline.ts';
import { type BenchResult, quantile, summarize } from './stats.ts';

const CHUNK = 64 * 1024;
const RUNS = 5;
const COMMIT_RUNS = 3;
const PACED_RATE = 200_000;
const SYMBOLS = 3_000;
const logger = createLogger({ component: 'bench', level: 'silent' });
const nullOut = () => new Writable({ write: (_c, _e, cb) => cb() });
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** 50 user rules of the shapes a trader builds (thresholds, crosses, windows, AND/OR/NOT). */
function rules(tickers: readonly string[]): unknown[] {
  // thresholds a trader would set: each rule fires on a few names a session, not on every name
  const rvol3 = { op: 'compare', left: { field: 'rvol' }, cmp: '>', right: { value: 3 } };
  const shapes = (k: number): unknown[] => [
    { op: 'compare', left: { field: 'change_pct' }, cmp: '>=', right: { value: 5 + (k % 5) } },
    {
      op: 'and',
      all: [{ op: 'cross', left: { field: 'price' }, direction: 'above', right: { field: 'vwap' } }, rvol3],
    },
    {
      op: 'and',
      all: [
        {
          op: 'or',
          any: [
            { op: 'compare', left: { field: 'rsi' }, cmp: '>', right: { value: 80 } },
            { op: 'compare', left: { field: 'rsi' }, cmp: '<', right: { value: 20 } },
          ],
        },
        rvol3,
      ],
    },
    { op: 'change', window_min: 5, cmp: '>=', pct: 3 + (k % 3) },
    {
      op: 'and',
      all: [
        { op: 'compare', left: { field: 'macd' }, cmp: '>', right: { field: 'macd_signal' } },
        { op: 'compare', left: { field: 'price' }, cmp: '>', right: { field: 'ema', period: 20 } },
        { op: 'compare', left: { field: 'change_pct' }, cmp: '>', right: { value: 4 } },
      ],
    },
    {
      op: 'and',
      all: [
        { op: 'not', cond: { op: 'compare', left: { field: 'spread_bps' }, cmp: '>', right: { value: 20 } } },
        { op: 'compare', left: { field: 'volume' }, cmp: '>', right: { value: 1_000_000 * (1 + k) } },
      ],
    },
    {
      op: 'and',
      all: [
        { op: 'cross', left: { field: 'price' }, direction: 'below', right: { field: 'bb_lower' } },
        rvol3,
      ],
    },
  ];
  return Array.from({ length: 50 }, (_, k) => ({
    id: uuid(k + 1),
    user_id: uuid(1000),
    name: `rule ${k}`,
    scope:
      k % 5 === 4
        ? {
            kind: 'symbols',
            symbols: Array.from({ length: 100 }, (_, j) => tickers[(j * 37 + k) % tickers.length]),
          }
        : { kind: 'all' },
    cooldown_s: 300,
    condition: shapes(k)[k % 7],
  }));
}

export interface Market {
  dbn: Uint8Array;
  records: number;
  pairs: Array<readonly [number, string]>;
  rules: unknown[];
}

export function buildMarket(): Market {
  const sim = createSimulator({ seed: 42, minutes: 30, symbols: SYMBOLS });
  const parts: Uint8Array[] = [encodeMetadata(sim.metadata())];
  let records = 0;
  for (const b of sim.generate()) {
    parts.push(b.bytes.slice());
    records += b.count;
  }
  const dbn = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    dbn.set(p, o);
    o += p.length;
  }
  const pairs = sim.symbolPairs();
  return { dbn, records, pairs, rules: rules(pairs.map(([, t]) => t)) };
}

function pipelineFor(m: Market, sink: AlertSink): Pipeline {
  const metrics = createScreenerMetrics(new Registry(), () => sink.queueDepth());
  const p = new Pipeline({ sink, logger, metrics });
  for (const [id, t] of m.pairs) p.engine.mapSymbol(id, t);
  const report = p.engine.setRules(m.rules);
  if (report.errors.length > 0) throw new Error(`bench rules: ${JSON.stringify(report.errors[0])}`);
  return p;
}

/**
 * Decodes the whole buffer through a fresh pipeline, chunk by chunk; `before` runs before each
 * chunk (pacing) and returns the chunk's arrival time, which the pipeline's tick-to-alert starts from.
 */
async function feed(
  m: Market,
  p: Pipeline,
  before?: (records: number) => Promise<number> | number,
): Promise<number> {
  const dec = new DbnDecoder();
  let n = 0;
  for (let o = 0; o < m.dbn.length; o += CHUNK) {
    const at = before ? await before(n) : performance.now();
    const b = dec.push(m.dbn.subarray(o, Math.min(o + CHUNK, m.dbn.length)));
    n += b.count;
    const wait = p.onBatch({ records: b, symbols: [] }, at);
    if (wait) await wait;
  }
  return n;
}

async function throughput(m: Market): Promise<number> {
  const sink = new StdoutSink(nullOut(), logger);
  const p = pipelineFor(m, sink);
  fullGc(); // the previous run's pipeline is garbage: collect it now, not during this run
  const c0 = process.cpuUsage();
  const n = await feed(m, p);
  const c = process.cpuUsage(c0);
  if (n !== m.records) throw new Error(`decoded ${n} of ${m.records} records`);
  if (p.engine.stats.alerts === 0) throw new Error('no alerts: the bench is not exercising the detectors');
  if (process.env.BENCH_DEBUG) process.stderr.write(`alerts: ${p.engine.stats.alerts}\n`);
  return n / ((c.user + c.system) / 1e6) / 1e6;
}

/** Wall-clock ms from a chunk entering the decoder to each of its alerts reaching the sink. */
export async function alertLatencies(m: Market): Promise<number[]> {
  let arrival = 0;
  const out: number[] = [];
  const inner = new StdoutSink(nullOut(), logger);
  const sink: AlertSink = {
    push: (a) => {
      out.push(performance.now() - arrival);
      inner.push(a);
    },
    afterBatch: () => inner.afterBatch(),
    queueDepth: () => inner.queueDepth(),
    close: (d) => inner.close(d),
  };
  const p = pipelineFor(m, sink);
  fullGc(); // the previous run's pipeline is garbage: collect it now, not during this run
  await feed(m, p, () => {
    arrival = performance.now();
    return arrival;
  });
  return out;
}

/** Paced at PACED_RATE records/s into Postgres: ms from chunk arrival to the alert's commit. */
async function commitLatencies(m: Market, url: string, spool: string): Promise<number[]> {
  const sql = createDb({ url, max: 4, application: 'bench-screener' });
  await sql`delete from alerts`; // also opens the pool's first connection before the clock starts
  const arrivals: number[] = [];
  const out: number[] = [];
  let committed = 0;
  let arrival = 0;
  const writer = new AlertWriter({
    sql,
    spoolDir: spool,
    logger,
    onCommit: (info) => {
      const now = performance.now();
      for (let i = 0; i < info.count; i++) out.push(now - arrivals[committed + i]!);
      committed += info.count;
    },
  });
  const sink: AlertSink = {
    push: (a) => {
      arrivals.push(arrival);
      if (writer.push(a) !== 'queued') throw new Error('bench writer refused an alert');
    },
    afterBatch: () => undefined,
    queueDepth: () => writer.queueDepth,
    close: (d) => writer.close({ deadlineMs: d }),
  };
  const p = pipelineFor(m, sink);
  const t0 = performance.now();
  await feed(m, p, async (n) => {
    const due = t0 + (n / PACED_RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    arrival = performance.now();
    return arrival;
  });
  await writer.close();
  await sql.end();
  if (process.env.BENCH_DEBUG)
    process.stderr.write(
      `commit ms: n=${out.length} p50=${quantile(out, 0.5).toFixed(1)} p90=${quantile(out, 0.9).toFixed(1)} p99=${quantile(out, 0.99).toFixed(1)} max=${Math.max(...out).toFixed(1)}\n`,
    );
  if (out.length !== arrivals.length) throw new Error(`committed ${out.length} of ${arrivals.length}`);
  return out;
}

/** A full, synchronous GC (exposed on demand: `npm run bench` does not pass --expose-gc). */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/** Bytes this process retains: JS heap in use plus ArrayBuffer backing stores (after fullGc). */
function retained(): { rss: number; kept: number } {
  const u = process.memoryUsage();
  return { rss: u.rss, kept: u.heapUsed + u.external };
}

/** Resident MB of the pipeline's state after a full day of 1-minute bars for 12,000 instruments. */
function rssDay(): number {
  const N = 12_000;
  const info = tradingDayInfo('2026-11-20');
  fullGc();
  const before = retained();
  const sink = new StdoutSink(nullOut(), logger);
  const p = new Pipeline({ sink, logger, metrics: createScreenerMetrics(new Registry(), () => 0) });
  const ticker = (i: number) => `T${i.toString(36).toUpperCase().padStart(4, 'A')}`;
  const pairs = Array.from({ length: N }, (_, i) => [i + 1, ticker(i)] as const);
  const bytes = new Uint8Array(N * TRADE.RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  const offsets = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const o = i * TRADE.RECORD_SIZE;
    offsets[i] = o;
    view.setUint8(o, TRADE.RECORD_SIZE / 4);
    view.setUint8(o + 1, 0x00); // MBP-0 trade
    view.setUint32(o + 4, i + 1, true);
    view.setUint8(o + TRADE.ACTION, 0x54);
  }
  const px = Float64Array.from({ length: N }, (_, i) => (10 + (i % 200)) * 1e9);
  let seed = 7;
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let m = 0; m < 960; m++) {
    const ts = BigInt(info.preOpen + m * 60) * 1_000_000_000n;
    for (let i = 0; i < N; i++) {
      const o = i * TRADE.RECORD_SIZE;
      px[i] = px[i]! + (rnd() < 0.5 ? -1e7 : 1e7);
      view.setBigUint64(o + 8, ts + BigInt(i) * 1000n, true);
      view.setBigInt64(o + TRADE.PRICE, BigInt(px[i]!), true);
      view.setUint32(o + TRADE.SIZE, 100, true);
    }
    p.onBatch({ records: { bytes, view, offsets, count: N, version: 3 }, symbols: m === 0 ? pairs : [] });
  }
  fullGc();
  const after = retained();
  if (p.engine.stats.trades !== N * 960) throw new Error(`rss bench: ${p.engine.stats.trades} trades`);
  const kept = (after.kept - before.kept) / 2 ** 20;
  const rss = (after.rss - before.rss) / 2 ** 20;
  if (process.env.BENCH_DEBUG)
    process.stderr.write(`rss: retained ${kept.toFixed(1)} MB, RSS growth ${rss.toFixed(1)} MB\n`);
  return Math.max(kept, rss);
}

export async function run(): Promise<BenchResult[]> {
  const rss = rssDay(); // first, before the market buffer exists
  const m = buildMarket();
  await throughput(m); // warm-up (JIT)
  const speeds: number[] = [];
  for (let i = 0; i < RUNS; i++) speeds.push(await throughput(m));
  const p99s: number[] = [];
  const p50s: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const lat = await alertLatencies(m);
    p99s.push(quantile(lat, 0.99));
    p50s.push(quantile(lat, 0.5));
  }

  const pg = await startScratchPostgres('bench_screener');
  const spoolRoot = mkdtempSync(join(tmpdir(), 'ta-bench-screener-'));
  const commits: number[] = [];
  try {
    for (let i = 0; i < COMMIT_RUNS; i++)
      commits.push(quantile(await commitLatencies(m, pg.url, join(spoolRoot, String(i))), 0.99));
  } finally {
    await pg.stop();
    rmSync(spoolRoot, { recursive: true, force: true });
  }
  return [
    summarize('screener.records_per_s', 'Mrec/s', speeds),
    summarize('screener.tick_to_alert_p99_ms', 'ms', p99s, 3),
    summarize('screener.tick_to_alert_p50_ms', 'ms', p50s, 3),
    summarize('screener.tick_to_commit_p99_ms', 'ms', commits),
    summarize('screener.rss_mb', 'MB', [rss], 0),
  ];
}
