import { EMA_PERIODS } from '@tradeassist/core/rule';
import { describe, expect, it } from 'vitest';
import { updateIndicators } from './indicators.ts';
import { SlotState } from './slot-state.ts';

// Indicators are unit-agnostic (the engine feeds raw 1e-9 prices); plain numbers keep the arithmetic
// readable. Each bar: (high, low, close).
function feed(closes: number[], hl?: (c: number, i: number) => [number, number]): SlotState {
  const st = new SlotState(4);
  st.add('TEST');
  closes.forEach((c, i) => {
    const [h, l] = hl ? hl(c, i) : [c, c];
    updateIndicators(st, 0, h, l, c);
  });
  return st;
}
const k9 = EMA_PERIODS.indexOf(9);

describe('EMA', () => {
  it('seeds with the simple mean, then smooths with 2/(n+1)', () => {
    // closes 1..9: seed = (1+...+9)/9 = 45/9 = 5
    const st = feed([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(st.emaValue(k9, 0)).toBe(5);
    // next close 15: 5 + (15 - 5) * 2/10 = 7
    updateIndicators(st, 0, 15, 15, 15);
    expect(st.emaValue(k9, 0)).toBeCloseTo(7, 12);
    // EMA(12) is not warm yet after 10 bars
    expect(st.emaValue(EMA_PERIODS.indexOf(12), 0)).toBeNaN();
  });
});

describe('MACD(12, 26, 9)', () => {
  it('is 7 with a signal of 7 on a ramp of +1 per bar', () => {
    // On a ramp c_n = n, an SMA-seeded EMA(p) lags by (p-1)/2 and keeps that lag, because the EMA's
    // steady-state lag on a ramp is (1-a)/a = (p-1)/2 with a = 2/(p+1):
    //   EMA12 = n - 5.5, EMA26 = n - 12.5, MACD = 7; signal = SMA of nine 7s = 7, then stays 7.
    const st = feed(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(st.macdValue(0)).toBeCloseTo(7, 9);
    expect(st.macdSignalValue(0)).toBeCloseTo(7, 9);
    const short = feed(Array.from({ length: 33 }, (_, i) => i + 1));
    expect(short.macdValue(0)).toBeCloseTo(7, 9);
    expect(short.macdSignalValue(0)).toBeNaN(); // signal needs 26 + 9 - 1 = 34 bars
  });
});

describe('RSI(14), Wilder', () => {
  it('matches the hand computation', () => {
    // 15 closes -> 14 changes: seven +2 and seven -1.
    // avgGain = 14/14 = 1, avgLoss = 7/14 = 0.5, RS = 2, RSI = 100 - 100/3 = 66.667
    const closes = [10];
    for (let i = 0; i < 7; i++) closes.push(closes.at(-1)! + 2, closes.at(-1)! + 2 - 1);
    const st = feed(closes);
    expect(st.rsi[0]).toBeCloseTo(100 - 100 / 3, 9);
    // next change +3: avgGain = (1*13 + 3)/14 = 16/14, avgLoss = (0.5*13 + 0)/14 = 6.5/14
    // RS = 16/6.5 = 2.4615, RSI = 100 - 100/3.4615 = 71.111
    updateIndicators(st, 0, closes.at(-1)! + 3, closes.at(-1)! + 3, closes.at(-1)! + 3);
    expect(st.rsi[0]).toBeCloseTo(100 - 100 / (1 + 16 / 6.5), 9);
    expect(st.rsiPrev[0]).toBeCloseTo(66.6667, 3);
  });
  it('is NaN until 14 changes exist', () => {
    expect(feed([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]).rsi[0]).toBeNaN();
  });
});

describe('ATR(14), Wilder', () => {
  it('averages true ranges and uses the previous close across gaps', () => {
    // 14 bars, each high-low = 2 around a flat close of 100: ATR = 28/14 = 2
    const st = feed(Array(14).fill(100), (c) => [c + 1, c - 1]);
    expect(st.atrValue(0)).toBe(2);
    // a bar gapping to 110 (high 111, low 109): TR = max(2, |111-100|, |109-100|) = 11
    // ATR = (2*13 + 11)/14 = 37/14
    updateIndicators(st, 0, 111, 109, 110);
    expect(st.atrValue(0)).toBeCloseTo(37 / 14, 12);
  });
});

describe('Bollinger(20, 2)', () => {
  it('uses the population standard deviation of the last 20 closes', () => {
    // closes 1..20: mean 10.5; variance = (20^2 - 1)/12 = 33.25; sd = 5.7663
    const st = feed(Array.from({ length: 20 }, (_, i) => i + 1));
    const sd = Math.sqrt(33.25);
    expect(st.bbMiddle[0]).toBeCloseTo(10.5, 9);
    expect(st.bbUpper[0]).toBeCloseTo(10.5 + 2 * sd, 9);
    expect(st.bbLower[0]).toBeCloseTo(10.5 - 2 * sd, 9);
    // close 21 replaces 1: closes 2..21, mean 11.5, same spread
    updateIndicators(st, 0, 21, 21, 21);
    expect(st.bbMiddle[0]).toBeCloseTo(11.5, 9);
    expect(st.bbUpper[0]).toBeCloseTo(11.5 + 2 * sd, 9);
  });
  it('stays exact on raw fixed-point prices over many wraps', () => {
    // $250.00 +- 0.05 alternating (raw 1e-9): sd = 0.05, bands 250 +- 0.10
    const closes = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 250.05e9 : 249.95e9));
    const st = feed(closes);
    expect(st.bbUpper[0]! / 1e9).toBeCloseTo(250.1, 6);
    expect(st.bbLower[0]! / 1e9).toBeCloseTo(249.9, 6);
  });
});
