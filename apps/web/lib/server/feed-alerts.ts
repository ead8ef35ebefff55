// The home feed's first page: the newest alerts matching the URL filters, plus the newest alert id
// overall (where the live feed resumes, so that a narrow filter does not back-fill the whole table).
// A watchlist filter arrives resolved to its symbols (watchlist-filter.ts); an empty set matches none.
import { liveAlertSchema, normalizeLiveAlert } from '@tradeassist/db/live-alert';
import type { AlertFilters } from '../feed/alert-filters.ts';
import type { ApiAlert } from './alerts.ts';
import { db } from './db.ts';

export const FEED_FIRST_PAGE = 1000;

export interface FeedPage {
  alerts: ApiAlert[];
  /** Newest alert id in the table (null when empty): the live feed's resume point. */
  latestId: string | null;
}

export async function feedAlerts(
  f: AlertFilters,
  watched: readonly string[] | null = null,
  limit = FEED_FIRST_PAGE,
): Promise<FeedPage> {
  const sql = db();
  // As matchesFilters: a watchlist filter that was not resolved lets nothing through.
  const watchedSymbols = f.watchlist !== null ? (watched ?? []) : null;
  const where = [
    f.types.length ? sql`type = any(${f.types}::text[])` : sql`true`,
    f.symbols.length ? sql`symbol = any(${f.symbols}::text[])` : sql`true`,
    f.minScore !== null ? sql`score >= ${f.minScore}` : sql`true`,
    f.session ? sql`session = ${f.session}` : sql`true`,
    watchedSymbols ? sql`symbol = any(${watchedSymbols as string[]}::text[])` : sql`true`,
  ];
  const [rows, latest] = await Promise.all([
    sql`
      select id::text as id, symbol, type, ts_event::text as ts_event, price::text as price, session,
             score, details, dedupe_key, user_id::text as user_id, rule_id::text as rule_id,
             to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
        from public.alerts
       where ${where[0]!} and ${where[1]!} and ${where[2]!} and ${where[3]!} and ${where[4]!}
       -- alerts.id, the bigint: a bare id here names the text column above (so '9' > '13')
       order by alerts.id desc
       limit ${limit}`,
    sql<{ id: string | null }[]>`select max(id)::text as id from public.alerts`,
  ]);
  const alerts = rows.map((row, i) => {
    const parsed = liveAlertSchema.safeParse(row);
    if (!parsed.success) {
      const why = parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ');
      throw new Error(`alerts row ${String(row.id ?? i)} does not match the alert schema: ${why}`);
    }
    return normalizeLiveAlert(parsed.data);
  });
  return { alerts, latestId: latest[0]?.id ?? null };
}
