import { describe, expect, it } from 'vitest';
import { decimalToFixed, divRound, fixedToDecimal, rMultipleOf } from './money.ts';

describe('fixed-point prices', () => {
  it('formats raw 1e-9 integers exactly', () => {
    // 482.15 = 482_150_000_000 raw; 0.0001 = 100_000 raw
    expect(fixedToDecimal(482_150_000_000)).toBe('482.15');
    expect(fixedToDecimal(100_000)).toBe('0.0001');
    expect(fixedToDecimal(-1_500_000_000n)).toBe('-1.50');
    expect(fixedToDecimal(455_000_000_000)).toBe('455.00');
  });
  it('parses decimals back without float error', () => {
    expect(decimalToFixed('150.20')).toBe(150_200_000_000n);
    expect(decimalToFixed('0.1')).toBe(100_000_000n);
    expect(() => decimalToFixed('1e5')).toThrow(/not a decimal price/);
  });
});

describe('divRound and rMultipleOf', () => {
  it('rounds half away from zero', () => {
    expect(divRound(5n, 2n)).toBe(3n); // 2.5 -> 3
    expect(divRound(-5n, 2n)).toBe(-3n); // -2.5 -> -3
    expect(divRound(7n, 3n)).toBe(2n); // 2.33 -> 2
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
  });

  it('gives R = P&L / (risk per share x shares) to 4 places, null without risk', () => {
    // long 100 @ 150.20, stop 148: risk 2.20 x 100 = 220; out at 148 -> P&L -220.00 -> -1R
    expect(rMultipleOf(decimalToFixed('-220'), '150.20', '148', '100')).toBe('-1.0000');
    // +330 on 100 @ 482.15 stop 479.95 (risk 220): 330 / 220 = 1.5R
    expect(rMultipleOf(decimalToFixed('330'), '482.15', '479.95', '100')).toBe('1.5000');
    // a short's stop is above the entry: the risk is the distance either way; 100 / 300 = 0.3333
    expect(rMultipleOf(decimalToFixed('100'), '50', '53', '100')).toBe('0.3333');
    expect(rMultipleOf(decimalToFixed('10'), '50', '50', '100')).toBeNull();
  });
});
