import { describe, expect, it } from 'vitest';
import { intentSchema } from './intent.ts';

describe('intentSchema', () => {
  it('accepts the contract shapes', () => {
    for (const intent of [
      {
        intent: 'open_trade',
        symbol: 'BRK.B',
        side: 'short',
        quantity: null,
        entry: 9.85,
        stop: null,
        target: null,
      },
      { intent: 'close_trade', symbol: null, exit: 12.4, quantity: null },
      { intent: 'close_trade', symbol: 'NVDA', exit: 490, quantity: null, fraction: 0.5 },
      { intent: 'update_stop', symbol: 'AAPL', stop: 151 },
      { intent: 'pnl', period: 'week' },
      { intent: 'watch', symbols: ['SMCI', 'ARM'] },
      { intent: 'mute', symbol: null, minutes: 60 },
      { intent: 'note', symbol: 'AAPL', text: 'chased the entry' },
      { intent: 'unknown' },
    ]) {
      expect(intentSchema.safeParse(intent).success, JSON.stringify(intent)).toBe(true);
    }
  });

  it('rejects what a parser must never hand on', () => {
    for (const bad of [
      {
        intent: 'open_trade',
        symbol: 'aapl',
        side: 'long',
        quantity: null,
        entry: 1,
        stop: null,
        target: null,
      },
      {
        intent: 'open_trade',
        symbol: 'AAPL',
        side: 'long',
        quantity: 1.5,
        entry: 1,
        stop: null,
        target: null,
      },
      { intent: 'close_trade', symbol: null, exit: -1, quantity: null },
      { intent: 'close_trade', symbol: null, exit: 1, quantity: null, fraction: 1 },
      { intent: 'update_stop', symbol: 'AAPL', stop: null },
      { intent: 'watch', symbols: [] },
      { intent: 'status', extra: true },
      { intent: 'buy_everything' },
    ]) {
      expect(intentSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
