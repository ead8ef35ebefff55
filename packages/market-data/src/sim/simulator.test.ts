import { createHash } from 'node:crypto';
import { StatusAction } from '@tradeassist/core/dbn-layout';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../dbn/decoder.ts';
import { StatusReason } from './plan.ts';
import { createSimulator, type SimulatorOptions } from './simulator.ts';
import { priorFromBars, readTape, type Tape, type TapeTrade } from './trade-tape.ts';
import { tickOf } from './universe.ts';

// A small market (400 names at 5% of full activity) over 25 minutes after a 15-minute pre-market:
// long enough for every kind of planted event, quick enough for a unit test.
const SMALL: SimulatorOptions = { seed: 7, minutes: 25, symbols: 400, activity: 0.05 };

function hashOf(opts: SimulatorOptions): string {
  const h = createHash('sha256');
  for (const b of createSimulator(opts).generate()) h.update(b.bytes);
  return h.digest('hex');
}

const sim = createSimulator(SMALL);
const tape: Tape = readTape(sim.generate());
const idOf = new Map(sim.symbolPairs().map(([id, t]) => [t, id]));
const iid = (symbol: string) => {
  const id = idOf.get(symbol);
  if (id === undefined) throw new Error(`no instrument for ${symbol}`);
  return id;
};
const tradesOf = (symbol: string) => tape.trades.get(iid(symbol)) ?? [];
const prior = (symbol: string) => priorFromBars(tape.bars.get(iid(symbol)) ?? []);
const openNs = BigInt(sim.plan.openNs);
const S = 1_000_000_000n;
const within = (tr: readonly TapeTrade[], from: bigint, to: bigint) =>
  tr.filter((x) => x.ts >= from && x.ts < to);
const volume = (tr: readonly TapeTrade[]) => tr.reduce((s, x) => s + x.size, 0);

describe('simulator determinism', () => {
  it('gives byte-identical records for the same seed, whatever the batch size', () => {
    const opts: SimulatorOptions = { seed: 3, minutes: 3, symbols: 200, activity: 0.05, preMarketMinutes: 5 };
    const a = hashOf(opts);
    expect(hashOf(opts)).toBe(a);
    expect(hashOf({ ...opts, batchBytes: 16_384 })).toBe(a);
    expect(hashOf({ ...opts, seed: 4 })).not.toBe(a);
  });

  it('keeps the plan identical for a seed and different across seeds', () => {
    const p1 = createSimulator(SMALL).plan;
    expect(JSON.stringify(p1)).toBe(JSON.stringify(sim.plan));
    expect(JSON.stringify(createSimulator({ ...SMALL, seed: 8 }).plan.events)).not.toBe(
      JSON.stringify(p1.events),
    );
  });
});

describe('simulated market', () => {
  it('opens with a mapping and 20 daily bars per name, then the session in ts_event order', () => {
    const n = SMALL.symbols!;
    expect(tape.byRType.get(0x16)).toBe(n);
    expect(tape.byRType.get(0x23)).toBe(20 * n);
    for (const bars of tape.bars.values()) {
      expect(bars).toHaveLength(20);
      // Daily bars stamp the prior trading days' midnight UTC: 2026-10-23 is 20 sessions before 2026-11-20.
      expect(bars[0]!.ts).toBe(BigInt(Date.UTC(2026, 9, 23) / 1000) * S);
      expect(bars[19]!.ts).toBe(BigInt(Date.UTC(2026, 10, 19) / 1000) * S);
    }
    // Session records never go back in time.
    let last = 0n;
    for (const b of createSimulator({ ...SMALL, minutes: 2 }).generate()) {
      for (let k = 0; k < b.count; k++) {
        const off = b.offsets[k]!;
        const rtype = b.view.getUint8(off + 1);
        if (rtype === 0x16 || rtype === 0x23) continue;
        const ts = b.view.getBigUint64(off + 8, true);
        expect(ts >= last).toBe(true);
        last = ts;
      }
    }
    // The window: 9:15 ET (14:15 UTC, EST in November) to 9:55.
    expect(sim.plan.startNs).toBe(String(BigInt(Date.UTC(2026, 10, 20, 14, 15) / 1000) * S));
    expect(sim.plan.openNs).toBe(String(BigInt(Date.UTC(2026, 10, 20, 14, 30) / 1000) * S));
  });

  it('prints on exchange ticks, between $0.50-ish and $1,000-ish', () => {
    let n = 0;
    const bad: TapeTrade[] = [];
    for (const trades of tape.trades.values()) {
      for (const t of trades) {
        n++;
        if (t.price % tickOf(t.price) !== 0 || t.price < 0.2e9 || t.price > 1500e9 || t.size <= 0)
          bad.push(t);
      }
    }
    expect(bad).toEqual([]);
    expect(n).toBeGreaterThan(10_000);
  });

  it('keeps a sane top of book on MBP-1 names: both sides quoted, bid under ask, trades at the touch', () => {
    const problems: string[] = [];
    const seenAsk = new Set<number>();
    let trades = 0;
    for (const b of createSimulator({ ...SMALL, minutes: 3 }).generate()) {
      const v = b.view;
      for (let k = 0; k < b.count; k++) {
        const off = b.offsets[k]!;
        if (v.getUint8(off + 1) !== 0x01) continue;
        const id = v.getUint32(off + 4, true);
        const action = String.fromCharCode(v.getUint8(off + 28));
        const side = String.fromCharCode(v.getUint8(off + 29));
        const price = Number(v.getBigInt64(off + 16, true));
        const bid = Number(v.getBigInt64(off + 48, true));
        const ask = Number(v.getBigInt64(off + 56, true));
        if (!(bid > 0 && bid < ask)) problems.push(`${id}: bid ${bid} ask ${ask}`);
        if (v.getUint32(off + 64, true) === 0 || v.getUint32(off + 68, true) === 0)
          problems.push(`${id}: empty side`);
        if (action === 'A' && side === 'A') seenAsk.add(id);
        if (action === 'T') {
          trades++;
          if (!seenAsk.has(id)) problems.push(`${id}: trade before the ask was quoted`);
          if (side === 'B' && price !== ask) problems.push(`${id}: buy at ${price}, ask ${ask}`);
          if (side === 'A' && price !== bid) problems.push(`${id}: sell at ${price}, bid ${bid}`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(trades).toBeGreaterThan(1000);
  });

  it('plants gaps of at least 6% against the prior close of the daily bars, at the planned print', () => {
    const gaps = sim.plan.events.filter((e) => e.type === 'gap_up' || e.type === 'gap_down');
    expect(gaps.map((g) => g.session).sort()).toEqual(['pre', 'pre', 'regular', 'regular']);
    for (const g of gaps) {
      const first = tradesOf(g.symbol)[0]!;
      const { close } = prior(g.symbol);
      const pct = ((first.price - close) / close) * 100;
      expect(String(first.ts)).toBe(g.tsEvent);
      expect(g.type === 'gap_up' ? pct : -pct).toBeGreaterThanOrEqual(6);
      expect(g.details.prev_close).toBe((close / 1e9).toFixed(2));
      // Pre-market gaps print before the open, open gaps in the opening cross.
      expect(first.ts < openNs).toBe(g.session === 'pre');
    }
  });

  it('halts with a status record at the planned time, prints nothing while halted, resumes as planned', () => {
    const halts = sim.plan.events.filter((e) => e.type === 'halt');
    expect(halts.length).toBeGreaterThanOrEqual(2);
    for (const h of halts) {
      const st = tape.statuses.get(iid(h.symbol)) ?? [];
      const halt = st.find((s) => String(s.ts) === h.tsEvent);
      expect(halt?.action).toBe(h.details.status_action === 'pause' ? StatusAction.PAUSE : StatusAction.HALT);
      expect(halt?.reason).toBe(
        h.details.reason === 'luld_pause' ? StatusReason.LULD_PAUSE : StatusReason.NEWS_PENDING,
      );
      expect(halt?.isTrading).toBe('N');
      const resumeNs = BigInt(h.details.resume_ns as string);
      const resume = sim.plan.events.find((e) => e.type === 'resume' && e.symbol === h.symbol);
      expect(resume?.tsEvent).toBe(String(resumeNs));
      const res = st.find((s) => s.ts === resumeNs);
      expect(res?.action).toBe(StatusAction.TRADING);
      expect(res?.isTrading).toBe('Y');
      expect(within(tradesOf(h.symbol), BigInt(h.tsEvent), resumeNs)).toHaveLength(0);
      expect(within(tradesOf(h.symbol), resumeNs, resumeNs + 60n * S).length).toBeGreaterThan(0);
    }
  });

  it('plants volume spikes of at least 8x the normal minute', () => {
    const spikes = sim.plan.events.filter((e) => e.type === 'volume_spike');
    expect(spikes.length).toBeGreaterThan(0);
    for (const e of spikes) {
      const t0 = BigInt(e.tsEvent);
      const v = volume(within(tradesOf(e.symbol), t0, t0 + 60n * S));
      const { avgVolume } = prior(e.symbol);
      // "Normal" both ways: the flat average minute (ADV / 390) and the time-of-day expectation.
      expect(v).toBeGreaterThanOrEqual(8 * (avgVolume / 390));
      expect(v).toBeGreaterThanOrEqual(8 * (e.details.expected_minute_volume as number));
    }
  });

  it('plants momentum runs of at least 4% in 5 minutes with volume behind them', () => {
    const runs = sim.plan.events.filter((e) => e.type === 'momentum_up' || e.type === 'momentum_down');
    expect(runs.length).toBe(2);
    for (const e of runs) {
      const t0 = BigInt(e.tsEvent);
      const tr = tradesOf(e.symbol);
      const before = tr.filter((x) => x.ts < t0).at(-1)!;
      const win = within(tr, t0, t0 + 300n * S);
      const up = e.type === 'momentum_up';
      const extreme = up ? Math.max(...win.map((x) => x.price)) : Math.min(...win.map((x) => x.price));
      const pct = ((extreme - before.price) / before.price) * 100;
      expect(up ? pct : -pct).toBeGreaterThanOrEqual(4);
      const { avgVolume } = prior(e.symbol);
      expect(volume(win)).toBeGreaterThan(2 * 5 * (avgVolume / 390));
    }
  });

  it('plants new highs / lows of day after the first 15 minutes, clear of the range so far', () => {
    const ext = sim.plan.events.filter((e) => e.type === 'new_high_of_day' || e.type === 'new_low_of_day');
    expect(ext.length).toBe(2);
    for (const e of ext) {
      const t0 = BigInt(e.tsEvent);
      expect(t0 >= openNs + 15n * 60n * S).toBe(true);
      const tr = tradesOf(e.symbol);
      const before = tr.filter((x) => x.ts < t0);
      const win = within(tr, t0, BigInt(e.details.expect_by_ns as string));
      if (e.type === 'new_high_of_day') {
        expect(Math.max(...win.map((x) => x.price))).toBeGreaterThan(
          1.01 * Math.max(...before.map((x) => x.price)),
        );
      } else {
        expect(Math.min(...win.map((x) => x.price))).toBeLessThan(
          0.99 * Math.min(...before.map((x) => x.price)),
        );
      }
    }
  });

  it('keeps the quiet names steady: tight range, no gap, no volume burst', () => {
    expect(sim.plan.quiet.length).toBeGreaterThanOrEqual(4);
    const planted = new Set(sim.plan.events.map((e) => e.symbol));
    for (const q of sim.plan.quiet) {
      expect(planted.has(q)).toBe(false);
      const tr = tradesOf(q);
      const { close, avgVolume } = prior(q);
      expect(tr.length).toBeGreaterThan(20);
      for (const t of tr) expect(Math.abs(t.price - close) / close).toBeLessThan(0.005);
      const reg = tr.filter((x) => x.ts >= openNs);
      for (let m = 0n; m < 25n; m++) {
        const v = volume(within(reg, openNs + m * 60n * S, openNs + (m + 1n) * 60n * S));
        // Under the 5x of a default volume-spike detector.
        expect(v).toBeLessThan(5 * (avgVolume / 390));
      }
    }
  });

  it('keeps the unplanted names calm: no 4% gap, no 4% move within 5 minutes (names from $2)', () => {
    const planted = new Set(sim.plan.events.map((e) => iid(e.symbol)));
    let checked = 0;
    let worstGap = 0;
    let worstMove = 0;
    for (const [id, tr] of tape.trades) {
      if (planted.has(id) || tr.length === 0) continue;
      const close = priorFromBars(tape.bars.get(id)!).close;
      if (close < 2e9) continue;
      checked++;
      worstGap = Math.max(worstGap, Math.abs(tr[0]!.price - close) / close);
      let lo = 0;
      for (let k = 0; k < tr.length; k++) {
        while (tr[k]!.ts - tr[lo]!.ts > 300n * S) lo++;
        for (let j = lo; j < k; j++)
          worstMove = Math.max(worstMove, Math.abs(tr[k]!.price - tr[j]!.price) / tr[j]!.price);
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(worstGap).toBeLessThan(0.04);
    expect(worstMove).toBeLessThan(0.04);
  });

  it('decodes with the DBN codec to the same records', async () => {
    const s = createSimulator({ ...SMALL, minutes: 1, preMarketMinutes: 1 });
    const parts: Uint8Array[] = [];
    let count = 0;
    for (const b of s.generate()) {
      parts.push(b.bytes.slice());
      count += b.count;
    }
    const { encodeMetadata } = await import('../dbn/metadata.ts');
    const file = Buffer.concat([encodeMetadata(s.metadata()), ...parts]);
    const { metadata, batch } = decodeFile(file);
    expect(metadata?.dataset).toBe('SIM.US');
    expect(metadata?.schema).toBeNull();
    expect(metadata?.mappings).toHaveLength(400);
    expect(batch.count).toBe(count);
  });

  it('rejects a holiday, a weekend and out-of-range windows', () => {
    expect(() => createSimulator({ seed: 1, minutes: 5, start: '2026-11-26' })).toThrow(/Thanksgiving/);
    expect(() => createSimulator({ seed: 1, minutes: 5, start: '2026-11-21' })).toThrow(/weekend/);
    expect(() => createSimulator({ seed: 1, minutes: 0 })).toThrow(/minutes/);
    expect(() => createSimulator({ seed: 1, minutes: 631 })).toThrow(/minutes/);
    expect(() => createSimulator({ seed: 1, minutes: 5, preMarketMinutes: 331 })).toThrow(/preMarketMinutes/);
  });
});
