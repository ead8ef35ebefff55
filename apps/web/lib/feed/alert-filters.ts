// The feed's filters, kept in the URL (?type=gap_up,halt&symbol=NVDA,AMD&min_score=0.5&session=pre)
// so that a filtered view can be bookmarked and shared. Parsed leniently: a bad value is dropped (the
// feed still shows), and the same predicate filters the server's first page and the live alerts.
import { ALERT_TYPES, type AlertType, SESSIONS, type Session, tickerSchema } from '@tradeassist/core/alert';
import { z } from 'zod';

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

const typeSchema = z.enum(ALERT_TYPES);
const scoreSchema = z.coerce.number().min(0).max(1);
const sessionSchema = z.enum(SESSIONS);

export function parseFilters(params: Params): AlertFilters {
  const types = [...new Set(list(get(params, 'type')).filter((t) => typeSchema.safeParse(t).success))];
  const symbols = [
    ...new Set(list(get(params, 'symbol').toUpperCase()).filter((s) => tickerSchema.safeParse(s).success)),
  ];
  const rawScore = get(params, 'min_score');
  const score = rawScore === '' ? null : scoreSchema.safeParse(rawScore);
  const session = sessionSchema.safeParse(get(params, 'session'));
  return {
    types: types as AlertType[],
    symbols,
    minScore: score?.success ? score.data : null,
    session: session.success ? session.data : null,
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
