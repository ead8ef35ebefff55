import { describe, expect, it } from 'vitest';
import { filtersToSearch, isFiltered, matchesFilters, NO_FILTERS, parseFilters } from './alert-filters.ts';

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
      watchlist: null,
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

describe('the watchlist filter in the URL', () => {
  const A = '0b9a3c52-8f0e-4a8e-9d43-3f2f4c1b6a01';
  const B = '7d1e2f30-1c2b-4d5e-8f9a-0b1c2d3e4f50';

  it('reads `all` or list ids, dropping what is not an id', () => {
    expect(parseFilters({ watchlist: 'all' }).watchlist).toBe('all');
    expect(parseFilters({ watchlist: ' ALL ' }).watchlist).toBe('all');
    // `all` covers every id given beside it
    expect(parseFilters({ watchlist: `${A},all` }).watchlist).toBe('all');
    expect(
      parseFilters(new URLSearchParams(`watchlist=${A.toUpperCase()},,nope,${B},${A}`)).watchlist,
    ).toEqual([A, B]);
    for (const bad of ['', 'nope', '1', `${A}x`, "1' or 1=1"]) {
      expect(parseFilters({ watchlist: bad }), bad).toEqual(NO_FILTERS);
    }
    expect(parseFilters({ watchlist: ['all', A] }).watchlist).toBe('all');
  });

  it('round-trips through the search string beside the other filters', () => {
    const f = parseFilters({ type: 'halt', watchlist: `${A},${B}` });
    expect(filtersToSearch(f)).toBe(`type=halt&watchlist=${A},${B}`);
    expect(parseFilters(new URLSearchParams(filtersToSearch(f)))).toEqual(f);
    expect(filtersToSearch({ ...NO_FILTERS, watchlist: 'all' })).toBe('watchlist=all');
    expect(isFiltered({ ...NO_FILTERS, watchlist: 'all' })).toBe(true);
  });

  it('lets through only the watched symbols, and nothing when they are not known', () => {
    const a = { type: 'gap_up', symbol: 'NVDA', score: 0.5, session: 'regular' };
    const f = { ...NO_FILTERS, watchlist: 'all' as const };
    const watched = new Set(['NVDA', 'SPY']);
    expect(matchesFilters(a, f, watched)).toBe(true);
    expect(matchesFilters({ ...a, symbol: 'AMD' }, f, watched)).toBe(false);
    // an empty list shows nothing, and so does a filter the server did not resolve
    expect(matchesFilters(a, f, new Set())).toBe(false);
    expect(matchesFilters(a, f)).toBe(false);
    // without the filter the set is not consulted
    expect(matchesFilters({ ...a, symbol: 'AMD' }, NO_FILTERS, watched)).toBe(true);
    // with the symbol filter too, an alert must pass both
    expect(matchesFilters(a, { ...f, symbols: ['SPY'] }, watched)).toBe(false);
  });
});
