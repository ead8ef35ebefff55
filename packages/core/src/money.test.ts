import { describe, expect, it } from 'vitest';
import { decimalToFixed, fixedToDecimal } from './money.ts';

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
