// The screener engine alone (records already decoded into batches; the codec's cost is measured by
// the decode benches). A synthetic market: 10,000 instruments with Zipf-skewed activity (the top
// names trade hundreds of times more than the tail), 35% trades (MBP-0) and 65% top-of-book updates
// (MBP-1), random-walk prices with occasional jumps, references for every symbol, all built-in
// detectors and 50 compiled user rules, indicators warmed by an hour of pre-market bars first.
//
//   engine.records_per_s          Mrec/s, 2M records in 10 s of market time around 09:31 (200k rec/s, a
//                                 busy open; the goal with decode is >= 3)
//   engine.records_per_s_avg_rate Mrec/s, the same 2M records spread over 120 s (16.7k rec/s, about the
//                                 market's average rate): user rules run once per symbol-second, so
//                                 at low rates nearly every trade evaluates all 50 rules
//   engine.tick_to_alert_p99_us   records fed one per processBatch call: the calls that fired an alert
//   engine.tick_to_alert_p50_us
//   engine.rss_mb                 RSS growth for 12,000 instruments after a full day (4:00-20:00) of
//                                 1-minute bars, one trade per instrument per minute (goal <= 400 MB)
// Throughput is records / CPU time of this process (process.cpuUsage), so other load on a shared
// machine does not count against it; latencies are wall-clock.
import { tradingDayInfo } from '@tradeassist/core/calendar';
import { MBP1, type RecordBatch, RType, TRADE } from '@tradeassist/core/dbn-layout';
import { ScreenerEngine } from '@tradeassist/screener';
import { type BenchResult, quantile, summarize } from './stats.ts';

const DAY = '2023-11-21';
const INSTRUMENTS = 10_000;
const RECORDS = 2_000_000;
const BATCH = 4096;
const RUNS = 5;
const RULES = 50;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ticker = (i: number) => {
  let s = '';
  let n = i;
  for (let k = 0; k < 4; k++) {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
};

interface Market {
  batches: RecordBatch[];
  warmup: RecordBatch[];
  prevClose: Float64Array;
  avgVolume: Float64Array;
}

class Writer {
  buf: Uint8Array;
  view: DataView;
  len = 0;
  offs: number[] = [];
  constructor(bytes: number) {
    this.buf = new Uint8Array(bytes);
    this.view = new DataView(this.buf.buffer);
  }
  header(rtype: number, size: number, iid: number, tsNs: bigint): number {
    const o = this.len;
    this.view.setUint8(o, size / 4);
    this.view.setUint8(o + 1, rtype);
    this.view.setUint16(o + 2, 1, true);
    this.view.setUint32(o + 4, iid, true);
    this.view.setBigUint64(o + 8, tsNs, true);
    this.offs.push(o);
    this.len += size;
    return o;
  }
  trade(iid: number, tsNs: bigint, priceRaw: number, size: number): void {
    const o = this.header(RType.MBP_0, TRADE.RECORD_SIZE, iid, tsNs);
    this.view.setBigInt64(o + TRADE.PRICE, BigInt(priceRaw), true);
    this.view.setUint32(o + TRADE.SIZE, size, true);
    this.view.setUint8(o + TRADE.ACTION, 0x54);
    this.view.setUint8(o + TRADE.SIDE, 0x4e);
  }
  quote(iid: number, tsNs: bigint, bidRaw: number, askRaw: number): void {
    const o = this.header(RType.MBP_1, MBP1.RECORD_SIZE, iid, tsNs);
    this.view.setBigInt64(o + TRADE.PRICE, BigInt(bidRaw), true);
    this.view.setUint32(o + TRADE.SIZE, 100, true);
    this.view.setUint8(o + TRADE.ACTION, 0x41);
    this.view.setUint8(o + TRADE.SIDE, 0x42);
    this.view.setBigInt64(o + MBP1.BID_PX, BigInt(bidRaw), true);
    this.view.setBigInt64(o + MBP1.ASK_PX, BigInt(askRaw), true);
    this.view.setUint32(o + MBP1.BID_SZ, 300, true);
    this.view.setUint32(o + MBP1.ASK_SZ, 200, true);
  }
  batches(): RecordBatch[] {
    const view = new DataView(this.buf.buffer, 0, this.len);
    const out: RecordBatch[] = [];
    for (let i = 0; i < this.offs.length; i += BATCH) {
      const offsets = Int32Array.from(this.offs.slice(i, i + BATCH));
      out.push({ bytes: this.buf, view, offsets, count: offsets.length, version: 2 });
    }
    return out;
  }
}

const CENT = 10_000_000; // $0.01 in 1e-9 units

function buildMarket(): Market {
  const rnd = mulberry32(42);
  const info = tradingDayInfo(DAY);
  // Zipf(1) activity over instruments
  const cum = new Float64Array(INSTRUMENTS);
  let acc = 0;
  for (let i = 0; i < INSTRUMENTS; i++) {
    acc += 1 / (i + 1);
    cum[i] = acc;
  }
  const pick = () => {
    const x = rnd() * acc;
    let lo = 0;
    let hi = INSTRUMENTS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const price = new Float64Array(INSTRUMENTS);
  const prevClose = new Float64Array(INSTRUMENTS);
  const avgVolume = new Float64Array(INSTRUMENTS);
  for (let i = 0; i < INSTRUMENTS; i++) {
    price[i] = (500 + (i % 300) * 100 + Math.floor(rnd() * 100)) * CENT;
    prevClose[i] = Math.round((price[i]! * (1 + (rnd() - 0.5) * 0.12)) / CENT) * CENT; // gaps up to +-6%
    avgVolume[i] = Math.max(20_000, Math.round((2e9 * (1 / (i + 1))) / acc));
  }
  // warm-up: an hour of pre-market, one trade per instrument per minute (indicators warm)
  const warm = new Writer(60 * INSTRUMENTS * TRADE.RECORD_SIZE);
  for (let m = 0; m < 60; m++) {
    const ts = BigInt(Math.round(info.open - 3600 + m * 60)) * 1_000_000_000n;
    for (let i = 0; i < INSTRUMENTS; i++) {
      price[i] = Math.max(CENT, price[i]! + (rnd() < 0.5 ? -CENT : CENT));
      warm.trade(i + 1, ts + BigInt(i) * 1000n, price[i]!, 100);
    }
  }
  // the timed session (timestamps set by retime())
  const w = new Writer(RECORDS * MBP1.RECORD_SIZE);
  const startNs = BigInt(info.open) * 1_000_000_000n;
  for (let r = 0; r < RECORDS; r++) {
    const i = pick();
    const ts = startNs;
    const u = rnd();
    let p = price[i]!;
    if (u < 0.35) {
      const jump = rnd() < 0.0005 ? Math.round((p * 0.04) / CENT) * CENT : 0; // rare 4% jumps
      p = Math.max(CENT, p + (rnd() < 0.5 ? -CENT : CENT) + (rnd() < 0.5 ? jump : -jump));
      price[i] = p;
      w.trade(i + 1, ts, p, 100 * (1 + Math.floor(rnd() * 10)));
    } else {
      w.quote(i + 1, ts, p - CENT, p + CENT);
    }
  }
  return { batches: w.batches(), warmup: warm.batches(), prevClose, avgVolume };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** 50 rules of the shapes a trader builds: thresholds, crosses, windows, AND/OR/NOT. */
function rules(): unknown[] {
  const out: unknown[] = [];
  for (let k = 0; k < RULES; k++) {
    const v = k % 7;
    const cond =
      v === 0
        ? { op: 'compare', left: { field: 'change_pct' }, cmp: '>=', right: { value: 5 + (k % 5) } }
        : v === 1
          ? {
              op: 'and',
              all: [
                { op: 'cross', left: { field: 'price' }, direction: 'above', right: { field: 'vwap' } },
                { op: 'compare', left: { field: 'rvol' }, cmp: '>', right: { value: 3 } },
                { op: 'compare', left: { field: 'change_pct' }, cmp: '>', right: { value: 3 } },
              ],
            }
          : v === 2
            ? {
                op: 'or',
                any: [
                  { op: 'compare', left: { field: 'rsi' }, cmp: '>', right: { value: 80 } },
                  { op: 'compare', left: { field: 'rsi' }, cmp: '<', right: { value: 20 } },
                ],
              }
            : v === 3
              ? { op: 'change', window_min: 5, cmp: '>=', pct: 3 + (k % 3) }
              : v === 4
                ? {
                    op: 'and',
                    all: [
                      { op: 'compare', left: { field: 'macd' }, cmp: '>', right: { field: 'macd_signal' } },
                      {
                        op: 'compare',
                        left: { field: 'price' },
                        cmp: '>',
                        right: { field: 'ema', period: 20 },
                      },
                      { op: 'compare', left: { field: 'change_pct' }, cmp: '>', right: { value: 4 } },
                    ],
                  }
                : v === 5
                  ? {
                      op: 'and',
                      all: [
                        {
                          op: 'not',
                          cond: {
                            op: 'compare',
                            left: { field: 'spread_bps' },
                            cmp: '>',
                            right: { value: 20 },
                          },
                        },
                        {
                          op: 'compare',
                          left: { field: 'volume' },
                          cmp: '>',
                          right: { value: 1_000_000 * (1 + k) },
                        },
                      ],
                    }
                  : {
                      op: 'and',
                      all: [
                        {
                          op: 'cross',
                          left: { field: 'price' },
                          direction: 'below',
                          right: { field: 'bb_lower' },
                        },
                        { op: 'compare', left: { field: 'rvol' }, cmp: '>', right: { value: 3 } },
                      ],
                    };
    const scope =
      k % 5 === 4
        ? {
            kind: 'symbols',
            symbols: Array.from({ length: 100 }, (_, j) => ticker((j * 37 + k) % INSTRUMENTS)),
          }
        : { kind: 'all' };
    out.push({
      id: uuid(k + 1),
      user_id: uuid(1000),
      name: `rule ${k}`,
      scope,
      cooldown_s: 300,
      condition: cond,
    });
  }
  return out;
}

function engineFor(m: Market, onAlert: () => void): ScreenerEngine {
  const e = new ScreenerEngine({ onAlert });
  for (let i = 0; i < INSTRUMENTS; i++) {
    const t = ticker(i);
    e.mapSymbol(i + 1, t);
    e.setReference(t, { prevClose: (m.prevClose[i]! / 1e9).toFixed(2), avgVolume: m.avgVolume[i]! });
  }
  const report = e.setRules(rules());
  if (report.errors.length > 0) throw new Error(`bench rules invalid: ${JSON.stringify(report.errors[0])}`);
  for (const b of m.warmup) e.processBatch(b);
  return e;
}

/** Spreads the timed records evenly over `seconds` of market time starting at `startS` (UTC s). */
function retime(m: Market, startS: number, seconds: number): void {
  const start = BigInt(Math.round(startS)) * 1_000_000_000n;
  const step = (BigInt(seconds) * 1_000_000_000n) / BigInt(RECORDS);
  let r = 0n;
  for (const b of m.batches) {
    for (let i = 0; i < b.count; i++) b.view.setBigUint64(b.offsets[i]! + 8, start + r++ * step, true);
  }
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function throughput(m: Market): { mrecs: number; alerts: number } {
  let alerts = 0;
  const e = engineFor(m, () => alerts++);
  const c0 = cpuSeconds();
  for (const b of m.batches) e.processBatch(b);
  const s = cpuSeconds() - c0;
  return { mrecs: RECORDS / s / 1e6, alerts };
}

function speeds(m: Market, label: string): number[] {
  throughput(m); // warm-up (JIT)
  const out: number[] = [];
  let alerts = 0;
  for (let r = 0; r < RUNS; r++) {
    const t = throughput(m);
    out.push(t.mrecs);
    alerts = t.alerts;
  }
  process.stderr.write(`engine bench (${label}): ${alerts} alerts per run of ${RECORDS} records\n`);
  return out;
}

function latencies(m: Market): number[] {
  let alerts = 0;
  const e = engineFor(m, () => alerts++);
  const out: number[] = [];
  const one = new Int32Array(1);
  for (const b of m.batches) {
    const single: RecordBatch = { bytes: b.bytes, view: b.view, offsets: one, count: 1, version: 2 };
    for (let i = 0; i < b.count; i++) {
      one[0] = b.offsets[i]!;
      const before = alerts;
      const t0 = performance.now();
      e.processBatch(single);
      const dt = performance.now() - t0;
      if (alerts !== before) out.push(dt * 1000);
    }
  }
  return out;
}

function rssDay(): number {
  const N = 12_000;
  const info = tradingDayInfo(DAY);
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  const e = new ScreenerEngine();
  for (let i = 0; i < N; i++) e.mapSymbol(i + 1, ticker(i));
  const w = new Writer(N * TRADE.RECORD_SIZE);
  for (let i = 0; i < N; i++) w.trade(i + 1, 0n, 0, 0);
  const batch = w.batches();
  const rnd = mulberry32(7);
  const px = Float64Array.from({ length: N }, (_, i) => (10 + (i % 200)) * 1e9);
  for (let m = 0; m < 960; m++) {
    const ts = BigInt(info.preOpen + m * 60) * 1_000_000_000n;
    for (let i = 0; i < N; i++) {
      const o = w.offs[i]!;
      px[i] = px[i]! + (rnd() < 0.5 ? -CENT : CENT);
      w.view.setBigUint64(o + 8, ts + BigInt(i) * 1000n, true);
      w.view.setBigInt64(o + TRADE.PRICE, BigInt(px[i]!), true);
      w.view.setUint32(o + TRADE.SIZE, 100, true);
    }
    for (const b of batch) e.processBatch(b);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const after = process.memoryUsage().rss;
  if (e.stats.trades !== N * 960) throw new Error(`rss bench: ${e.stats.trades} trades`);
  return (after - before) / 2 ** 20;
}

export async function run(): Promise<BenchResult[]> {
  const rss = rssDay(); // first, before the market buffers exist
  const market = buildMarket();
  const open = tradingDayInfo(DAY).open;
  retime(market, open + 55, 10); // 09:30:55-09:31:05
  const busy = speeds(market, 'busy');
  const p99: number[] = [];
  const p50: number[] = [];
  for (let r = 0; r < 3; r++) {
    const l = latencies(market);
    p99.push(quantile(l, 0.99));
    p50.push(quantile(l, 0.5));
  }
  retime(market, open, 120); // 09:30-09:32
  const avg = speeds(market, 'average rate');
  return [
    summarize('engine.records_per_s', 'Mrec/s', busy),
    summarize('engine.records_per_s_avg_rate', 'Mrec/s', avg),
    summarize('engine.tick_to_alert_p99_us', 'us', p99),
    summarize('engine.tick_to_alert_p50_us', 'us', p50),
    summarize('engine.rss_mb', 'MB', [rss], 0),
  ];
}
