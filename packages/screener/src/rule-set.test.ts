import { describe, expect, it } from 'vitest';
import { type CompiledRule, compileRule } from './rule-compiler.ts';
import { RuleSet } from './rule-set.ts';
import { SlotState } from './slot-state.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function rule(
  k: number,
  condition: unknown,
  scope: unknown = { kind: 'all' },
  sessions = ['pre', 'regular'],
): CompiledRule {
  const r = compileRule({
    id: uuid(k + 1),
    user_id: uuid(999),
    name: `r${k}`,
    scope,
    cooldown_s: 60,
    sessions,
    condition,
  });
  if (!r.ok) throw r.error;
  return r.rule;
}

const conds: unknown[] = [
  { op: 'compare', left: { field: 'change_pct' }, cmp: '>=', right: { value: 2 } },
  {
    op: 'and',
    all: [
      { op: 'cross', left: { field: 'price' }, direction: 'above', right: { field: 'vwap' } },
      { op: 'compare', left: { field: 'rvol' }, cmp: '>', right: { value: 1 } },
    ],
  },
  { op: 'not', cond: { op: 'compare', left: { field: 'spread_bps' }, cmp: '>', right: { value: 20 } } },
  { op: 'cross', left: { field: 'price' }, direction: 'below', right: { value: 10 } },
  {
    op: 'or',
    any: [
      { op: 'compare', left: { field: 'price' }, cmp: '>', right: { value: '10.05' } },
      { op: 'compare', left: { field: 'volume' }, cmp: '>', right: { value: 5000 } },
    ],
  },
];

describe('RuleSet fused evaluation', () => {
  it.each([
    ['5 rules', 5],
    ['65 rules (three truth words), some pre-market only', 65],
  ])('fires exactly as evaluating rule by rule with %s (same memory, firings, order)', (_name, count) => {
    const st = new SlotState(8);
    const tickers = ['AAA', 'BBB', 'CCC'];
    for (const t of tickers) st.add(t);
    const scoped = (k: number) => k % 5 === 4;
    const rules = Array.from({ length: count }, (_, k) =>
      rule(
        k,
        conds[k % conds.length],
        scoped(k) ? { kind: 'symbols', symbols: ['BBB'] } : undefined,
        k % 11 === 7 ? ['pre'] : ['pre', 'regular'],
      ),
    );
    const scopes = rules.map((_, k) => (scoped(k) ? new Set(['BBB']) : null));
    const fused = new RuleSet(rules, scopes, st.capacity, tickers);
    const each = new RuleSet(rules, scopes, st.capacity, tickers);
    const a: number[] = [];
    const b: number[] = [];
    fused.onFire = (i) => a.push(i);
    each.onFire = (i) => b.push(i);
    let seed = 11;
    const rnd = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    for (let step = 0; step < 2000; step++) {
      const s = step % 3;
      const px = (9.9 + rnd() * 0.3) * 1e9;
      st.last[s] = px;
      st.prevClose[s] = 10e9;
      st.vwapPV[s] = st.vwapPV[s]! + px * 100;
      st.vwapV[s] = st.vwapV[s]! + 100;
      st.dayVolume[s] = st.dayVolume[s]! + Math.floor(rnd() * 200);
      st.avgVolume[s] = 1e5;
      st.curMin[s] = 330 + Math.floor(step / 30);
      st.bid[s] = px - 1e7;
      st.ask[s] = px + (rnd() < 0.2 ? 5e7 : 1e7);
      const ts = 1_700_000_000 + step * 7;
      const sess = step % 4 === 0 ? 1 : 2; // some evaluations in the pre-market
      fused.evaluate(st, s, sess, ts);
      each.evaluateEach(st, s, sess, ts);
    }
    expect(a.length).toBeGreaterThan(10);
    expect(Math.max(...a)).toBeGreaterThanOrEqual(count - 5); // rules of the last word fire too
    expect(a).toEqual(b);
    expect(Array.from(fused.mem)).toEqual(Array.from(each.mem));
    expect(Array.from(fused.truth)).toEqual(Array.from(each.truth));
    expect(Array.from(fused.fired)).toEqual(Array.from(each.fired));
  });

  it('warms a new evaluator up without touching any symbol, and a scoped cross follows every symbol', () => {
    const st = new SlotState(8);
    const tickers = ['AAA', 'BBB'];
    for (const t of tickers) st.add(t);
    // a distinct threshold: a fresh evaluator, not one cached from the test above
    const crossUp = {
      op: 'cross',
      left: { field: 'price' },
      direction: 'above',
      right: { value: 10.37 },
    };
    const rules = [rule(0, crossUp, { kind: 'symbols', symbols: ['BBB'] })];
    const set = new RuleSet(rules, [new Set(['BBB'])], st.capacity, tickers);
    set.warmUp();
    expect(Array.from(set.mem).every((b) => b === 0)).toBe(true);
    expect(Array.from(set.truth).every((w) => w === 0)).toBe(true);
    expect(Array.from(set.fired).every((t) => t === 0)).toBe(true);
    const fired: number[] = [];
    set.onFire = (i) => fired.push(i);
    const at = (s: number, px: number, ts: number) => {
      st.last[s] = px * 1e9;
      set.evaluate(st, s, 2, 1_700_000_000 + ts);
    };
    at(0, 10, 1); // AAA below, out of scope
    at(1, 10, 1); // BBB below
    at(0, 11, 2); // AAA crosses: tracked, never fires (not in scope)
    at(1, 11, 2); // BBB crosses: fires
    expect(fired).toEqual([0]);
    expect(set.mem[0 * set.width]).toBe(1); // AAA's side moved above all the same
    at(1, 10, 3);
    at(1, 11, 4); // crosses again inside the cooldown (60 s): remembered, not fired
    expect(fired).toEqual([0]);
    at(1, 10, 100);
    at(1, 11, 101);
    expect(fired).toEqual([0, 0]);
  });
});
