// The feed's filters, kept in the URL (?type=gap_up,halt&symbol=NVDA,AMD&min_score=0.5&session=pre
// &watchlist=all) so that a filtered view can be bookmarked and shared. Parsed leniently: a bad value
// is dropped (the feed still shows), and the same predicate filters the server's first page and the
// live alerts. Checked by hand against core's constants (no zod): the live feed's browser bundle
// imports this. `watchlist` names lists, not symbols: the server resolves them for the signed-in
// trader (watchlist-filter.ts) and hands the symbols to matchesFilters.
import {
  ALERT_TYPES,
  type AlertType,
  SESSIONS,
  type Session,
  TICKER_RE,
} from '@tradeassist/core/alert-types';

/** `all` (every list of the trader's) or the ids of some of them. */
export type WatchlistSelection = 'all' | string[];

export interface AlertFilters {
  types: AlertType[];
  symbols: string[];
  minScore: number | null;
  session: Session | null;
  watchlist: WatchlistSelection | null;
}

export const NO_FILTERS: AlertFilters = {
  types: [],
  symbols: [],
  minScore: null,
  session: null,
  watchlist: null,
};

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function get(params: Params, key: string): string {
  const v = params instanceof URLSearchParams ? params.get(key) : params[key];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const isType = (t: string): t is AlertType => (ALERT_TYPES as readonly string[]).includes(t);
const isSession = (s: string): s is Session => (SESSIONS as readonly string[]).includes(s);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `all` anywhere in the list wins (it covers every id); otherwise the well-formed ids. */
function parseWatchlist(raw: string): WatchlistSelection | null {
  const items = list(raw.toLowerCase());
  if (items.includes('all')) return 'all';
  const ids = [...new Set(items.filter((x) => UUID_RE.test(x)))];
  return ids.length ? ids : null;
}

export function parseFilters(params: Params): AlertFilters {
  const types = [...new Set(list(get(params, 'type')).filter(isType))];
  const symbols = [...new Set(list(get(params, 'symbol').toUpperCase()).filter((s) => TICKER_RE.test(s)))];
  const rawScore = get(params, 'min_score');
  // Number() as z.coerce.number() did: '0.5' and ' 0.5 ' read 0.5; 'abc' is NaN and dropped
  const score = rawScore === '' ? Number.NaN : Number(rawScore);
  const session = get(params, 'session');
  return {
    types,
    symbols,
    minScore: Number.isFinite(score) && score >= 0 && score <= 1 ? score : null,
    session: isSession(session) ? session : null,
    watchlist: parseWatchlist(get(params, 'watchlist')),
  };
}

/** The search string for `f` (without '?'); empty when nothing is filtered. */
export function filtersToSearch(f: AlertFilters): string {
  const p = new URLSearchParams();
  if (f.types.length) p.set('type', f.types.join(','));
  if (f.symbols.length) p.set('symbol', f.symbols.join(','));
  if (f.minScore !== null) p.set('min_score', String(f.minScore));
  if (f.session) p.set('session', f.session);
  if (f.watchlist) p.set('watchlist', f.watchlist === 'all' ? 'all' : f.watchlist.join(','));
  return p.toString().replaceAll('%2C', ',');
}

export function isFiltered(f: AlertFilters): boolean {
  return (
    f.types.length > 0 ||
    f.symbols.length > 0 ||
    f.minScore !== null ||
    f.session !== null ||
    f.watchlist !== null
  );
}

/**
 * Whether alert `a` passes every filter. `watched` is what the server resolved `f.watchlist` to (the
 * symbols of the selected lists); without it a watchlist filter lets nothing through, so that a
 * feed never shows more than the trader asked for.
 */
export function matchesFilters(
  a: { type: string; symbol: string; score: number; session: string },
  f: AlertFilters,
  watched: ReadonlySet<string> | null = null,
): boolean {
  if (f.types.length && !f.types.includes(a.type as AlertType)) return false;
  if (f.symbols.length && !f.symbols.includes(a.symbol)) return false;
  if (f.minScore !== null && a.score < f.minScore) return false;
  if (f.session && a.session !== f.session) return false;
  if (f.watchlist !== null && !watched?.has(a.symbol)) return false;
  return true;
}
