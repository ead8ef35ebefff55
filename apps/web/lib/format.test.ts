import { describe, expect, it } from 'vitest';
import { age, displayPrice } from './format.ts';

describe('displayPrice', () => {
  it('pads to cents and keeps finer precision as stored', () => {
    expect(displayPrice('201.5')).toBe('201.50');
    expect(displayPrice('480')).toBe('480.00');
    expect(displayPrice('482.15')).toBe('482.15');
    expect(displayPrice('0.0123')).toBe('0.0123');
  });
});

describe('age', () => {
  const created = '2026-11-21T14:30:00.000Z';
  const at = (secondsLater: number) => Date.parse(created) + secondsLater * 1000;
  it('reads in the largest whole unit', () => {
    expect(age(created, at(12))).toBe('12s');
    expect(age(created, at(4 * 60 + 59))).toBe('4m'); // 299 s
    expect(age(created, at(3 * 3600))).toBe('3h');
    expect(age(created, at(2 * 86_400 + 5))).toBe('2d');
    expect(age(created, at(-3))).toBe('0s'); // clock skew never shows a negative age
  });
});
