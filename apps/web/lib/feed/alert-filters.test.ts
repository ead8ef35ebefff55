import { describe, expect, it } from 'vitest';
import { filtersToSearch, matchesFilters, NO_FILTERS, parseFilters } from './alert-filters.ts';

describe('alert filters in the URL', () => {
  it('parses, dropping what is not valid', () => {
    const f = parseFilters(
      new URLSearchParams('type=halt,gap_up,bogus&symbol=nvda,,BRK.B,no way&min_score=0.5&session=pre'),
    );
    expect(f).toEqual({
      types: ['halt', 'gap_up'],
      symbols: ['NVDA', 'BRK.B'],
      minScore: 0.5,
      session: 'pre',
    });
    expect(parseFilters({ min_score: '7', session: 'lunch' })).toEqual(NO_FILTERS);
  });

  it('round-trips through the search string, commas unescaped', () => {
    const f = parseFilters({ type: 'halt,resume', symbol: 'AMD', min_score: '0.7' });
    expect(filtersToSearch(f)).toBe('type=halt,resume&symbol=AMD&min_score=0.7');
    expect(parseFilters(new URLSearchParams(filtersToSearch(f)))).toEqual(f);
    expect(filtersToSearch(NO_FILTERS)).toBe('');
  });

  it('matches alerts on every filter at once', () => {
    const a = { type: 'halt', symbol: 'AMD', score: 0.7, session: 'regular' };
    expect(matchesFilters(a, NO_FILTERS)).toBe(true);
    const f = parseFilters({ type: 'halt', symbol: 'AMD', min_score: '0.7', session: 'regular' });
    expect(matchesFilters(a, f)).toBe(true);
    expect(matchesFilters({ ...a, score: 0.69 }, f)).toBe(false);
    expect(matchesFilters({ ...a, session: 'pre' }, f)).toBe(false);
    expect(matchesFilters({ ...a, symbol: 'AMDL' }, f)).toBe(false);
    expect(matchesFilters({ ...a, type: 'resume' }, f)).toBe(false);
  });
});
