import { describe, expect, it } from 'vitest';
import { checkCloseQuantity, checkStop, checkTarget, fieldIssues, openTradeSchema } from './trades-input.ts';

const base = { symbol: ' nvda ', side: 'long', quantity: '100', entry: '$482.15', stop: '475', target: '' };

describe('open trade form', () => {
  it('normalises what a trader types', () => {
    expect(openTradeSchema.parse(base)).toEqual({
      symbol: 'NVDA',
      side: 'long',
      quantity: '100',
      entry: '482.15',
      stop: '475',
      target: null,
    });
  });

  it('puts stop and target on the right side of the entry', () => {
    const longBad = openTradeSchema.safeParse({ ...base, stop: '490', target: '470' });
    expect(longBad.success).toBe(false);
    expect(fieldIssues(longBad.error!)).toEqual({
      stop: 'a long stop must be below the entry',
      target: 'a long target must be above the entry',
    });
    const shortOk = openTradeSchema.safeParse({ ...base, side: 'short', stop: '490', target: '470' });
    expect(shortOk.success).toBe(true);
    const equal = openTradeSchema.safeParse({ ...base, stop: '482.15' });
    expect(fieldIssues(equal.error!)).toEqual({ stop: 'a long stop must be below the entry' });
  });

  it('refuses what is not a ticker, a price or a share count', () => {
    const r = openTradeSchema.safeParse({
      symbol: 'nv da',
      side: 'up',
      quantity: '-5',
      entry: '1e3',
      stop: '0',
      target: 'x',
    });
    expect(Object.keys(fieldIssues(r.error!)).sort()).toEqual([
      'entry',
      'quantity',
      'side',
      'stop',
      'symbol',
      'target',
    ]);
  });
});

describe('changes to an open trade', () => {
  const t = { side: 'long' as const, entry: '150', target: '160', currentStop: '148', openQuantity: '60' };
  it('a stop may trail past the entry but not past the target', () => {
    expect(checkStop(t, '151')).toBeNull();
    expect(checkStop(t, '160')).toMatch(/below the target/);
    expect(checkStop({ ...t, target: null }, '159')).toBeNull();
  });
  it('a target stays beyond the entry and the stop', () => {
    expect(checkTarget(t, '170')).toBeNull();
    expect(checkTarget(t, '149')).toMatch(/above the entry/);
    expect(checkTarget({ ...t, currentStop: '155' }, '154')).toMatch(/above the entry|beyond the stop/);
  });
  it('closes at most what is open', () => {
    expect(checkCloseQuantity(t, '60')).toBeNull();
    expect(checkCloseQuantity(t, null)).toBeNull();
    expect(checkCloseQuantity(t, '60.5')).toBe('only 60 shares are open');
  });
});
