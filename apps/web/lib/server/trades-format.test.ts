import { describe, expect, it } from 'vitest';
import {
  formatPnl,
  formatPrice,
  formatQuantity,
  formatR,
  openQuantity,
  riskSummary,
  rMultiple,
  signOf,
} from './trades-format.ts';

describe('trade numbers', () => {
  it('formats prices, quantities and P&L from numeric strings', () => {
    expect(formatPrice('150.200000000')).toBe('150.20');
    expect(formatPrice('0.012300000')).toBe('0.0123');
    expect(formatPrice('1234.5')).toBe('1234.50');
    expect(formatPrice(null)).toBe('—');
    expect(formatQuantity('100.000000')).toBe('100');
    expect(formatQuantity('12500')).toBe('12,500');
    expect(formatQuantity('0.500000')).toBe('0.5');
    expect(formatPnl('1234.504999999')).toBe('+1,234.50');
    expect(formatPnl('1234.505')).toBe('+1,234.51'); // half away from zero
    expect(formatPnl('-80')).toBe('-80.00');
    expect(formatPnl('0.004')).toBe('0.00');
    expect(signOf('-0.01')).toBe(-1);
    expect(signOf('0.000')).toBe(0);
    expect(formatR('1.5000')).toBe('+1.50R');
    expect(formatR('-0.7500')).toBe('-0.75R');
  });

  it('computes the R multiple exactly when the workflow has not', () => {
    // long 100 @ 150.20, stop 148.00: risk 2.20 × 100 = 220; P&L 330 → 1.5R.
    const t = {
      side: 'long' as const,
      quantity: '100',
      entry: '150.20',
      stop: '148.00',
      realized_pnl: '330',
      r_multiple: null,
    };
    expect(rMultiple(t)).toBe('1.5000');
    // P&L -73.33 on the same risk: -73.33 ÷ 220 = -0.333318… → -0.3333.
    expect(rMultiple({ ...t, realized_pnl: '-73.33' })).toBe('-0.3333');
    expect(rMultiple({ ...t, r_multiple: '2.0000' })).toBe('2.0000');
    expect(rMultiple({ ...t, stop: null })).toBeNull();
    expect(rMultiple({ ...t, realized_pnl: null })).toBeNull();
  });

  it('open quantity and the risk line', () => {
    expect(openQuantity('100.000000', '50.000000')).toBe('50');
    // 100 × (150.20 − 148.00) = 220.00; reward 155.00 − 150.20 = 4.80 → 4.80 ÷ 2.20 = 2.18R.
    expect(riskSummary('long', '100', '150.20', '148', '155')).toBe(
      'Risk 2.20/share · 220.00 total · target 2.18R',
    );
    expect(riskSummary('short', '10', '50', '51.5', '')).toBe('Risk 1.50/share · 15.00 total');
    expect(riskSummary('long', '100', '150.20', '151', '')).toBeNull(); // stop on the wrong side
    expect(riskSummary('long', '', '150.20', '148', '')).toBeNull();
  });
});
