import { describe, expect, it } from 'vitest';
import { backoffDelay, nominalDelay } from './backoff.ts';

describe('reconnect backoff', () => {
  const o = { baseMs: 100, maxMs: 5_000 };

  it('doubles per attempt up to the cap', () => {
    // 100, 200, 400, 800, 1600, 3200, then capped at 5000
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((a) => nominalDelay(a, o))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('jitters within [nominal/2, nominal]', () => {
    for (const attempt of [1, 3, 6, 9]) {
      const n = nominalDelay(attempt, o);
      expect(backoffDelay(attempt, o, () => 0)).toBe(n / 2);
      expect(backoffDelay(attempt, o, () => 0.999999)).toBe(n);
      for (let k = 0; k < 200; k++) {
        const d = backoffDelay(attempt, o);
        expect(d).toBeGreaterThanOrEqual(n / 2);
        expect(d).toBeLessThanOrEqual(n);
      }
    }
  });

  it('spreads clients apart (not lock-step)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5, o)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
