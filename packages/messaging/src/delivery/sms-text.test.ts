import { describe, expect, it } from 'vitest';
import {
  alertLine,
  alertSmsText,
  dailySummarySmsText,
  digestSmsText,
  fitsOneSegment,
  formatMoney,
  gsm7Length,
  type SmsAlert,
} from './sms-text.ts';

const gap: SmsAlert = {
  symbol: 'NVDA',
  type: 'gap_up',
  price: '482.150000000',
  session: 'pre',
  details: { prev_close: '455.00', pct: 5.97, rvol: 4.1 },
};

describe('alert SMS', () => {
  it('reads like DOMAIN.md: symbol, what, move, price, session and one number', () => {
    expect(alertLine(gap)).toBe('NVDA gap up +6.0% 482.15 (pre, RVOL 4.1)');
    expect(alertSmsText(gap)).toBe('NVDA gap up +6.0% 482.15 (pre, RVOL 4.1) Reply MUTE NVDA');
    expect(alertLine({ ...gap, type: 'rsi_oversold', details: { rsi: 24.6 }, session: 'regular' })).toBe(
      'NVDA RSI oversold 482.15 (regular, RSI 25)',
    );
    expect(alertLine({ ...gap, type: 'halt', price: '7', details: {} })).toBe('NVDA HALTED 7.00 (pre)');
  });

  it('keeps a long rule name within one GSM-7 segment and replaces what GSM-7 lacks', () => {
    const text = alertSmsText({
      ...gap,
      type: 'rule',
      details: {},
      ruleName: `${'breakout ✨ '.repeat(20)}`,
    });
    expect(fitsOneSegment(text)).toBe(true);
    expect(text).toContain('breakout ? ');
  });

  it('counts GSM-7 septets, extension characters twice, and refuses UCS-2 text', () => {
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('a€[')).toBe(5);
    expect(gsm7Length('✨')).toBeNull();
  });
});

describe('digest SMS', () => {
  it('lists alerts without session notes and counts the ones that do not fit', () => {
    const two = digestSmsText([
      gap,
      { ...gap, symbol: 'AMD', type: 'new_high_of_day', details: {}, price: '150.2' },
    ]);
    expect(two).toBe('2 alerts: NVDA gap up +6.0% 482.15; AMD new HOD 150.20');
    const many = Array.from({ length: 12 }, (_, i) => ({ ...gap, symbol: `SYM${i}` }));
    const text = digestSmsText(many);
    expect(fitsOneSegment(text)).toBe(true);
    expect(text).toMatch(/^12 alerts: SYM0 gap up/);
    const listed = text.match(/SYM\d+/g)?.length ?? 0;
    expect(text).toMatch(new RegExp(`\\+${12 - listed} more$`));
  });
});

describe('daily summary SMS', () => {
  it('shows P&L exactly, counts and win rate, and the best alerts that fit', () => {
    const text = dailySummarySmsText({
      date: '2026-11-20',
      realizedPnl: '1234.505000000',
      opened: 3,
      closed: 2,
      wins: 1,
      bestAlerts: [
        { symbol: 'NVDA', type: 'gap_up' },
        { symbol: 'AMD', type: 'new_high_of_day' },
      ],
    });
    // 1234.505 rounds half away from zero to 1,234.51; 1 win of 2 closed = 50%.
    expect(text).toBe(
      '2026-11-20: P&L +$1,234.51, 3 opened, 2 closed, win 50%. Best: NVDA gap up, AMD new HOD',
    );
    expect(fitsOneSegment(text)).toBe(true);
  });

  it('formats money without floats', () => {
    expect(formatMoney('-0.004')).toBe('$0.00');
    expect(formatMoney('-1234567.8')).toBe('-$1,234,567.80');
    expect(formatMoney('0.1')).toBe('+$0.10');
    expect(formatMoney('90071992547409.93')).toBe('+$90,071,992,547,409.93');
  });
});
