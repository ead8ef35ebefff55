// The feed's "my watchlists" filter, resolved against the signed-in trader's own lists (loaded on the
// server): ids that are not the trader's are dropped, as the URL parser drops any bad value, so a
// link to someone else's list shows neither its name nor its symbols. Pure: the page does the I/O.
import type { AlertFilters } from './alert-filters.ts';

/** A list as the filter control offers it. */
export interface WatchlistOption {
  id: string;
  name: string;
  /** How many symbols the list holds. */
  count: number;
}

export interface FeedWatchlists {
  /** The filters with every id the trader does not own dropped (no ids left: no watchlist filter). */
  filters: AlertFilters;
  /** The symbols the watchlist filter lets through, sorted; null when there is no watchlist filter. */
  watched: string[] | null;
  /** The trader's lists, in the order of the watchlists page. */
  options: WatchlistOption[];
  /** Why the feed stays empty whatever arrives (the selected lists hold no symbols), or null. */
  emptyNote: string | null;
}

export function resolveWatchlists(
  f: AlertFilters,
  lists: readonly { id: string; name: string; symbols: readonly string[] }[],
): FeedWatchlists {
  const options = lists.map((w) => ({ id: w.id, name: w.name, count: w.symbols.length }));
  if (f.watchlist === null) return { filters: f, watched: null, options, emptyNote: null };
  const wanted = f.watchlist;
  const chosen = wanted === 'all' ? lists : lists.filter((w) => wanted.includes(w.id));
  if (wanted !== 'all' && chosen.length === 0) {
    return { filters: { ...f, watchlist: null }, watched: null, options, emptyNote: null };
  }
  const watched = [...new Set(chosen.flatMap((w) => w.symbols))].sort();
  const filters: AlertFilters = { ...f, watchlist: wanted === 'all' ? 'all' : chosen.map((w) => w.id) };
  return { filters, watched, options, emptyNote: watched.length ? null : emptyNote(wanted, chosen) };
}

function emptyNote(wanted: 'all' | string[], chosen: readonly { name: string }[]): string {
  if (wanted === 'all' && chosen.length === 0) return 'You have no watchlists yet, so no alerts show here.';
  if (wanted !== 'all' && chosen.length === 1)
    return `“${chosen[0]?.name}” has no symbols yet, so no alerts show for it.`;
  const which = wanted === 'all' ? 'Your' : 'The selected';
  return `${which} watchlists have no symbols yet, so no alerts show for them.`;
}
