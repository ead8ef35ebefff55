import { describe, expect, it } from 'vitest';
import { listNameSchema, symbolsError, symbolsInputSchema } from './watchlists-input.ts';

describe('watchlist inputs', () => {
  it('splits, upper-cases and dedupes tickers', () => {
    expect(symbolsInputSchema.parse('nvda, amd  msft;brk.b,NVDA')).toEqual(['NVDA', 'AMD', 'MSFT', 'BRK.B']);
  });
  it('names the ticker that is not one', () => {
    const input = 'nvda, $$$';
    const r = symbolsInputSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(symbolsError(r.error!, input)).toBe('$$$: not a ticker (such as AAPL or BRK.B)');
    expect(symbolsInputSchema.safeParse(' , ').success).toBe(false);
  });
  it('trims list names', () => {
    expect(listNameSchema.parse('  Earnings   week ')).toBe('Earnings week');
    expect(listNameSchema.safeParse('   ').success).toBe(false);
    expect(listNameSchema.safeParse('x'.repeat(61)).success).toBe(false);
  });
});
