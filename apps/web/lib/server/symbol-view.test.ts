import { decimalToFixed, fixedToDecimal } from '@tradeassist/core/money';
import { CUMULATIVE_SHARE } from '@tradeassist/core/volume-profile';
import { describe, expect, it } from 'vitest';
import { changePercent, chartTime, keyNumbers, roundQuote } from './symbol-view.ts';

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

describe('roundQuote', () => {
  it('rounds a derived price to the cent from $1, to 1/100 cent below, half up', () => {
    expect(fixedToDecimal(roundQuote(decimalToFixed('487.643853309')))).toBe('487.64');
    expect(fixedToDecimal(roundQuote(decimalToFixed('154.255')))).toBe('154.26');
    expect(fixedToDecimal(roundQuote(decimalToFixed('0.12345')))).toBe('0.1235');
  });
});

describe('keyNumbers', () => {
  // 2025-11-21 (EST): 09:30 New York = 14:30 UTC = 1763735400
  const OPEN = 1_763_735_400;
  const bar = (t: number, o: string, h: string, l: string, c: string, v: string, w: string) => ({
    t,
    o,
    h,
    l,
    c,
    v,
    w,
    n: 1,
  });
  const pre = [
    bar(OPEN - 3600, '150.50', '151.00', '150.20', '150.90', '2000', '150.60'),
    bar(OPEN - 1800, '152.00', '152.50', '151.80', '152.40', '1000', '152.20'),
  ];
  const regular = [
    bar(OPEN, '153.00', '154.00', '152.90', '153.80', '10000', '153.50'),
    bar(OPEN + 60, '153.80', '155.20', '153.60', '155.00', '30000', '154.50'),
  ];
  const ref = { day: '2025-11-21', priorClose: '150', priorDate: '2025-11-20', avgVolume20: '1000000' };

  it('before the open: the pre-market gap, high/low and VWAP', () => {
    const k = keyNumbers({ ...ref, bars: pre });
    expect(k).toMatchObject({
      last: '152.4',
      lastAt: OPEN - 1740, // the end of the 09:00 bar
      // (152.40 − 150) / 150 = +1.60%
      changePct: 1.6,
      gapPct: 1.6,
      gapBasis: 'pre',
      high: '152.5',
      low: '150.2',
      // (150.60 × 2,000 + 152.20 × 1,000) / 3,000 = 151.1333… → 151.13
      vwap: '151.13',
      volume: '3000',
      session: 'pre',
    });
    // 3,000 shares by the end of 09:00 (minute 300 from 04:00)
    expect(k.rvol).toBe(Math.round((3000 / (1_000_000 * CUMULATIVE_SHARE[300]!)) * 100) / 100);
  });

  it('after the open: the opening gap, the regular session only for high/low/VWAP, all volume', () => {
    const k = keyNumbers({ ...ref, bars: [...pre, ...regular] });
    expect(k).toMatchObject({
      last: '155',
      changePct: 3.33, // (155 − 150) / 150 = 3.333…%
      gapPct: 2, // open 153.00 vs 150
      gapBasis: 'open',
      high: '155.2',
      low: '152.9',
      vwap: '154.25', // (153.50 × 10,000 + 154.50 × 30,000) / 40,000
      volume: '43000',
      session: 'regular',
    });
  });

  it('a newer alert sets the last price; without a reference there is no gap or RVOL', () => {
    const k = keyNumbers({
      day: '2025-11-21',
      bars: regular,
      priorClose: null,
      priorDate: null,
      avgVolume20: null,
      newestAlert: { price: '155.40', at: OPEN + 130 },
    });
    expect(k).toMatchObject({ last: '155.4', lastAt: OPEN + 130, changePct: null, gapPct: null, rvol: null });
  });
});
