import { describe, expect, it } from 'vitest';
import { pctText, rvolText } from './alert-metrics.ts';

describe('row metrics from details', () => {
  it('formats the % move with its sign', () => {
    expect(pctText({ pct: 5.97 })).toEqual({ text: '+5.97%', sign: 1 });
    expect(pctText({ pct: -12.345 })).toEqual({ text: '-12.3%', sign: -1 });
    expect(pctText({ pct: '0' })).toEqual({ text: '0.00%', sign: 0 });
  });

  it('shows nothing rather than NaN for missing or malformed values', () => {
    expect(pctText({})).toBeNull();
    expect(pctText({ pct: 'n/a' })).toBeNull();
    expect(rvolText({ rvol: null })).toBeNull();
  });

  it('formats relative volume', () => {
    expect(rvolText({ rvol: 4.06 })).toBe('4.1×');
    expect(rvolText({ rvol: 14.2 })).toBe('14×');
  });
});
