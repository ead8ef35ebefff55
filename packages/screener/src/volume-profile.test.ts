import { describe, expect, it } from 'vitest';
import { alertScore } from './score.ts';
import { CLOSE_MINUTE, CUMULATIVE_SHARE, DAY_MINUTES, MINUTE_SHARE, OPEN_MINUTE } from './volume-profile.ts';

describe('intraday volume profile', () => {
  it('sums to one day, 4% pre-market, 93% regular, 3% post-market', () => {
    expect(CUMULATIVE_SHARE[DAY_MINUTES - 1]).toBeCloseTo(1, 12);
    expect(CUMULATIVE_SHARE[OPEN_MINUTE - 1]).toBeCloseTo(0.04, 12);
    expect(CUMULATIVE_SHARE[CLOSE_MINUTE - 1]! - CUMULATIVE_SHARE[OPEN_MINUTE - 1]!).toBeCloseTo(0.93, 12);
  });
  it('is U-shaped over the regular session', () => {
    const open = MINUTE_SHARE[OPEN_MINUTE]!; // 9:30
    const noon = MINUTE_SHARE[OPEN_MINUTE + 150]!; // 12:00
    const last = MINUTE_SHARE[CLOSE_MINUTE - 1]!; // 15:59
    // w(0) = 1 + 3 + 1.5e^(-389/15) + 0.6 = 4.6; w(150) = 1 + 3e^-15 + 1.5e^(-239/15) + 0.6(45/195)^2 = 1.032
    expect(open / noon).toBeCloseTo(
      4.6 / (1 + 3 * Math.exp(-15) + 1.5 * Math.exp(-239 / 15) + 0.6 * (45 / 195) ** 2),
      6,
    );
    expect(last / noon).toBeGreaterThan(2.5);
    expect(MINUTE_SHARE[OPEN_MINUTE - 1]! < open).toBe(true);
  });
});

describe('alert score', () => {
  it('grows with size, relative volume and liquidity, within [0, 1]', () => {
    // at the threshold, no volume data, no dollar volume: the floor 0.2
    expect(alertScore(1, Number.NaN, 0)).toBe(0.2);
    // ratio 4 saturates size (0.45), rvol 10 saturates (0.2), $1B saturates (0.15): 1
    expect(alertScore(4, 10, 1e9)).toBe(1);
    // ratio 2.5: size (2.5-1)/3 = 0.5 -> 0.2 + 0.225 = 0.425 -> 0.43 (rounded)
    expect(alertScore(2.5, 0, 0)).toBe(0.43);
    expect(alertScore(100, 1e6, 1e15)).toBe(1);
  });
});
