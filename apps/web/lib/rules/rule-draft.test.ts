import { describe, expect, it } from 'vitest';
import { EMPTY_CONDITION, NEW_RULE, validateDraft } from './rule-draft.ts';

const IDS = { id: '11111111-1111-4111-8111-111111111111', user_id: '00000000-0000-4000-8000-000000000001' };

describe('validateDraft', () => {
  it('builds a core rule definition from a filled form', () => {
    const r = validateDraft(
      {
        ...NEW_RULE,
        name: 'Gappers over VWAP',
        scopeKind: 'symbols',
        symbols: 'nvda, amd  NVDA',
        conditions: [
          { ...EMPTY_CONDITION, left: 'gap_pct', cmp: '>=', value: '4' },
          { ...EMPTY_CONDITION, left: 'price', cmp: '>', rightKind: 'field', rightField: 'vwap' },
        ],
        change: { enabled: true, window_min: '5', cmp: '>=', pct: '3' },
      },
      IDS,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition.scope).toEqual({ kind: 'symbols', symbols: ['NVDA', 'AMD'] });
    expect(r.definition.condition).toEqual({
      op: 'and',
      all: [
        { op: 'compare', left: { field: 'gap_pct' }, cmp: '>=', right: { value: 4 } },
        { op: 'compare', left: { field: 'price' }, cmp: '>', right: { field: 'vwap' } },
        { op: 'change', window_min: 5, cmp: '>=', pct: 3 },
      ],
    });
  });

  it('keeps dollar values as exact decimal strings', () => {
    const r = validateDraft(
      { ...NEW_RULE, name: 'x', conditions: [{ ...EMPTY_CONDITION, left: 'price', value: '10.05' }] },
      IDS,
    );
    expect(r.ok && r.definition.condition).toEqual({
      op: 'compare',
      left: { field: 'price' },
      cmp: '>=',
      right: { value: '10.05' },
    });
  });

  it('names what is wrong', () => {
    const r = validateDraft(
      { ...NEW_RULE, name: '', sessions: [], cooldown_s: 'soon', symbols: '', scopeKind: 'symbols' },
      IDS,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(['cooldown_s', 'name', 'scope.symbols', 'sessions']);
  });
});
