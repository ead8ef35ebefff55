import { describe, expect, it } from 'vitest';
import { compileRule, RuleCompileError } from './rule-compiler.ts';
import { SlotState } from './slot-state.ts';

const base = {
  id: '11111111-1111-4111-8111-111111111111',
  user_id: '22222222-2222-4222-8222-222222222222',
  name: 'test',
  scope: { kind: 'all' },
};
const withCond = (condition: unknown, extra: object = {}) => ({ ...base, condition, ...extra });

function errorOf(def: unknown): RuleCompileError {
  const r = compileRule(def);
  if (r.ok) throw new Error('expected a compile error');
  return r.error;
}

describe('compileRule errors name the bad part', () => {
  it('unknown field', () => {
    const e = errorOf(
      withCond({
        op: 'and',
        all: [{ op: 'compare', left: { field: 'prise' }, cmp: '>', right: { value: 1 } }],
      }),
    );
    expect(e).toBeInstanceOf(RuleCompileError);
    expect(e.issues[0]!.path).toBe('condition.all[0].left.field');
    expect(e.message).toContain('condition.all[0].left.field');
  });
  it('ema without a supported period', () => {
    const e = errorOf(
      withCond({ op: 'compare', left: { field: 'price' }, cmp: '>', right: { field: 'ema', period: 13 } }),
    );
    expect(e.issues).toEqual([
      {
        path: 'condition.right.period',
        reason: 'ema needs a period, one of 9, 12, 20, 26, 50, 200 (got 13)',
      },
    ]);
  });
  it('a period on a field that takes none', () => {
    expect(
      errorOf(withCond({ op: 'compare', left: { field: 'rsi', period: 14 }, cmp: '>', right: { value: 70 } }))
        .issues[0]!.path,
    ).toBe('condition.left.period');
  });
  it('different units on the two sides', () => {
    const e = errorOf(
      withCond({
        op: 'or',
        any: [{ op: 'cross', left: { field: 'rsi' }, direction: 'above', right: { field: 'vwap' } }],
      }),
    );
    expect(e.issues[0]).toEqual({
      path: 'condition.any[0].right',
      reason: 'compares rsi (index) with vwap (price); both sides must have the same unit',
    });
  });
  it('a bad comparator, a bad window, a bad scope, a missing id', () => {
    expect(
      errorOf(withCond({ op: 'compare', left: { field: 'price' }, cmp: '=>', right: { value: 1 } }))
        .issues[0]!.path,
    ).toBe('condition.cmp');
    expect(errorOf(withCond({ op: 'change', window_min: 0, cmp: '>', pct: 3 })).issues[0]!.path).toBe(
      'condition.window_min',
    );
    expect(
      errorOf({
        ...withCond({ op: 'compare', left: { field: 'price' }, cmp: '>', right: { value: 1 } }),
        scope: { kind: 'symbols', symbols: ['nvda'] },
      }).issues[0]!.path,
    ).toBe('scope.symbols[0]');
    const { id: _id, ...noId } = withCond({
      op: 'not',
      cond: { op: 'compare', left: { field: 'price' }, cmp: '>', right: { value: 1 } },
    });
    const e = errorOf(noId);
    expect(e.ruleId).toBeNull();
    expect(e.issues[0]!.path).toBe('id');
  });
  it('a change over a window of something else than price', () => {
    expect(
      errorOf(withCond({ op: 'change', field: { field: 'vwap' }, window_min: 5, cmp: '>', pct: 1 }))
        .issues[0]!.path,
    ).toBe('condition.field');
  });
  it('a price value that is not a decimal', () => {
    expect(
      errorOf(withCond({ op: 'compare', left: { field: 'price' }, cmp: '>', right: { value: '1e3' } }))
        .issues[0]!.path,
    ).toBe('condition.right.value');
  });
});

describe('compiled rules read the slot state', () => {
  function state() {
    const st = new SlotState(4);
    st.add('NVDA');
    return st;
  }
  it('compares prices in fixed point and percentages as numbers, with AND/OR/NOT', () => {
    const r = compileRule(
      withCond({
        op: 'and',
        all: [
          { op: 'compare', left: { field: 'price' }, cmp: '>=', right: { value: 100.5 } },
          {
            op: 'or',
            any: [
              { op: 'compare', left: { field: 'change_pct' }, cmp: '>', right: { value: 5 } },
              {
                op: 'not',
                cond: { op: 'compare', left: { field: 'volume' }, cmp: '<', right: { value: 1000 } },
              },
            ],
          },
        ],
      }),
    );
    if (!r.ok) throw r.error;
    const st = state();
    const mem = new Int8Array(4 * r.rule.memWidth);
    st.last[0] = 100.5e9;
    st.prevClose[0] = 100e9; // +0.5%
    st.dayVolume[0] = 999;
    expect(r.rule.test(st, 0, mem, 0)).toBe(false); // change 0.5% <= 5 and volume < 1000
    st.dayVolume[0] = 1000;
    expect(r.rule.test(st, 0, mem, 0)).toBe(true);
    st.last[0] = 100.49e9;
    expect(r.rule.test(st, 0, mem, 0)).toBe(false);
    st.last[0] = 110e9; // +10%
    st.dayVolume[0] = 0;
    expect(r.rule.test(st, 0, mem, 0)).toBe(true);
    // defaults: regular session, 300 s cooldown
    expect(r.rule.sessionMask).toBe(1 << 2);
    expect(r.rule.cooldownS).toBe(300);
  });

  it('detects crosses of two fields once per crossing, even inside a short-circuiting AND', () => {
    const r = compileRule(
      withCond({
        op: 'and',
        all: [
          { op: 'compare', left: { field: 'volume' }, cmp: '>', right: { value: 0 } },
          { op: 'cross', left: { field: 'price' }, direction: 'above', right: { field: 'vwap' } },
        ],
      }),
    );
    if (!r.ok) throw r.error;
    expect(r.rule.memWidth).toBe(1); // one cross side
    const st = state();
    const mem = new Int8Array(4 * 2);
    st.vwapPV[0] = 100e9 * 10;
    st.vwapV[0] = 10; // vwap 100
    const at = (price: number, volume = 1) => {
      st.last[0] = price * 1e9;
      st.dayVolume[0] = volume;
      return r.rule.test(st, 0, mem, 0);
    };
    expect(at(99)).toBe(false); // below
    expect(at(100)).toBe(false); // touching keeps the side
    expect(at(101, 0)).toBe(false); // crosses while the AND's first leg is false: state still updates
    expect(at(102)).toBe(false); // already above: no new cross
    expect(at(98)).toBe(false);
    expect(at(101)).toBe(true); // the cross
    expect(at(101.5)).toBe(false);
  });

  it('measures % change over N minutes from the 1-minute ring', () => {
    const r = compileRule(withCond({ op: 'change', window_min: 5, cmp: '<=', pct: -3 }));
    if (!r.ok) throw r.error;
    const st = state();
    const mem = new Int8Array(8);
    st.firstMin[0] = 350;
    st.curMin[0] = 356;
    st.setMinute(0, 351, 50e9, 0); // close 5 minutes before minute 356
    st.last[0] = 48.5e9; // (48.5 - 50)/50 = -3%
    expect(r.rule.test(st, 0, mem, 0)).toBe(true);
    st.last[0] = 48.6e9; // -2.8%
    expect(r.rule.test(st, 0, mem, 0)).toBe(false);
    st.curMin[0] = 354; // window starts before the first bar of the day: unknown, false
    st.last[0] = 40e9;
    expect(r.rule.test(st, 0, mem, 0)).toBe(false);
  });
});
