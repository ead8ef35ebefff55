// The feed's filters, kept in the URL (?type=gap_up,halt&symbol=NVDA,AMD&min_score=0.5&session=pre)
// so that a filtered view can be bookmarked and shared. Parsed leniently: a bad value is dropped (the
// feed still shows), and the same predicate filters the server's first page and the live alerts.
// Checked by hand against core's constants (no zod): the live feed's browser bundle imports this.
import {
  ALERT_TYPES,
  type AlertType,
  SESSIONS,
  type Session,
  TICKER_RE,
} from '@tradeassist/core/alert-types';

export interface AlertFilters {
  types: AlertType[];
  symbols: string[];
  minScore: number | null;
  session: Session | null;
}

export const NO_FILTERS: AlertFilters = { types: [], symbols: [], minScore: null, session: null };

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
  };
}

/** The search string for `f` (without '?'); empty when nothing is filtered. */
export function filtersToSearch(f: AlertFilters): string {
  const p = new URLSearchParams();
  if (f.types.length) p.set('type', f.types.join(','));
  if (f.symbols.length) p.set('symbol', f.symbols.join(','));
  if (f.minScore !== null) p.set('min_score', String(f.minScore));
  if (f.session) p.set('session', f.session);
  return p.toString().replaceAll('%2C', ',');
}

export function isFiltered(f: AlertFilters): boolean {
  return f.types.length > 0 || f.symbols.length > 0 || f.minScore !== null || f.session !== null;
}

export function matchesFilters(
  a: { type: string; symbol: string; score: number; session: string },
  f: AlertFilters,
): boolean {
  if (f.types.length && !f.types.includes(a.type as AlertType)) return false;
  if (f.symbols.length && !f.symbols.includes(a.symbol)) return false;
  if (f.minScore !== null && a.score < f.minScore) return false;
  if (f.session && a.session !== f.session) return false;
  return true;
}
