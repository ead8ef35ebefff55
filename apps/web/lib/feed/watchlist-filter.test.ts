import { describe, expect, it } from 'vitest';
import { NO_FILTERS, parseFilters } from './alert-filters.ts';
import { resolveWatchlists } from './watchlist-filter.ts';

const CORE = { id: '0b9a3c52-8f0e-4a8e-9d43-3f2f4c1b6a01', name: 'Core', symbols: ['SPY', 'NVDA'] };
const EARN = { id: '7d1e2f30-1c2b-4d5e-8f9a-0b1c2d3e4f50', name: 'Earnings', symbols: ['ORCL', 'NVDA'] };
const EMPTY = { id: 'c3d4e5f6-0a1b-4c2d-8e3f-405162738495', name: 'Empty', symbols: [] };
const FOREIGN = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const MINE = [CORE, EARN, EMPTY];

describe('resolving the watchlist filter for the signed-in trader', () => {
  it('offers every list of the trader with its size', () => {
    expect(resolveWatchlists(NO_FILTERS, MINE)).toEqual({
      filters: NO_FILTERS,
      watched: null,
      options: [
        { id: CORE.id, name: 'Core', count: 2 },
        { id: EARN.id, name: 'Earnings', count: 2 },
        { id: EMPTY.id, name: 'Empty', count: 0 },
      ],
      emptyNote: null,
    });
  });

  it('turns `all` into the symbols of every list, once each', () => {
    const r = resolveWatchlists(parseFilters({ watchlist: 'all' }), MINE);
    expect(r.watched).toEqual(['NVDA', 'ORCL', 'SPY']);
    expect(r.filters.watchlist).toBe('all');
    expect(r.emptyNote).toBeNull();
  });

  it('drops ids that are not the trader’s; none left means no watchlist filter', () => {
    const some = resolveWatchlists(parseFilters({ watchlist: `${FOREIGN},${EARN.id}`, type: 'halt' }), MINE);
    expect(some.filters).toEqual({ ...NO_FILTERS, types: ['halt'], watchlist: [EARN.id] });
    expect(some.watched).toEqual(['NVDA', 'ORCL']);
    const none = resolveWatchlists(parseFilters({ watchlist: FOREIGN }), MINE);
    expect(none.filters).toEqual(NO_FILTERS);
    expect(none.watched).toBeNull();
    expect(none.options.map((o) => o.name)).toEqual(['Core', 'Earnings', 'Empty']);
  });

  it('says why the feed is empty when the selected lists hold no symbols', () => {
    const one = resolveWatchlists(parseFilters({ watchlist: EMPTY.id }), MINE);
    expect(one.watched).toEqual([]);
    expect(one.emptyNote).toBe('“Empty” has no symbols yet, so no alerts show for it.');
    expect(resolveWatchlists(parseFilters({ watchlist: 'all' }), [EMPTY]).emptyNote).toBe(
      'Your watchlists have no symbols yet, so no alerts show for them.',
    );
    expect(resolveWatchlists(parseFilters({ watchlist: 'all' }), []).emptyNote).toBe(
      'You have no watchlists yet, so no alerts show here.',
    );
    // the same id twice is one list
    expect(resolveWatchlists(parseFilters({ watchlist: `${EMPTY.id},${EMPTY.id}` }), MINE).emptyNote).toBe(
      '“Empty” has no symbols yet, so no alerts show for it.',
    );
    const both = resolveWatchlists(parseFilters({ watchlist: `${EMPTY.id},${CORE.id}` }), [
      EMPTY,
      { ...EMPTY, id: CORE.id, name: 'Also empty' },
    ]);
    expect(both.emptyNote).toBe('The selected watchlists have no symbols yet, so no alerts show for them.');
  });
});
