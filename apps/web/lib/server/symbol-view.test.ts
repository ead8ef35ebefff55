import { describe, expect, it } from 'vitest';
import { changePercent, chartTime } from './symbol-view.ts';

describe('changePercent', () => {
  it('is exact on decimal strings', () => {
    // (482.15 − 455.00) ÷ 455.00 × 100 = 5.967032… → 5.97
    expect(changePercent('482.15', '455.00')).toBe(5.97);
    // (212.40 − 224.10) ÷ 224.10 × 100 = −5.220883… → −5.22
    expect(changePercent('212.40', '224.10')).toBe(-5.22);
    expect(changePercent('1', '0')).toBeNull();
  });
});

describe('chartTime', () => {
  it('shows New York wall time', () => {
    // 2023-11-21 14:30:00 UTC is 09:30 EST (UTC−5): 1700577000 − 5 h = 1700559000.
    expect(chartTime('1700577000123456789')).toBe(1_700_559_000);
  });
});
