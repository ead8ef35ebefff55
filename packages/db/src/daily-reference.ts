// Prior closes and 20-day average volumes of a trading day from Postgres (`daily_reference`, over
// `daily_bars`): what the screener needs for a source that carries no daily bars of its own (the
// worker on a live feed or a bare replay, the dashboard's rule preview on a replay file). The
// values are the screener's ReferenceData (structurally: this package does not depend on it).
import type { Db } from './client.ts';

export interface DailyReference {
  /** Prior regular-session close, decimal string. */
  prevClose?: string;
  /** Mean daily volume of the last 20 trading days, shares. */
  avgVolume?: number;
}

export async function loadDailyReference(
  sql: Db,
  date: string,
): Promise<Array<readonly [string, DailyReference]>> {
  const rows = await sql<{ symbol: string; prior_close: string | null; avg_volume_20: string | null }[]>`
    select symbol, prior_close::text as prior_close, avg_volume_20::text as avg_volume_20
    from public.daily_reference(${date}::date)`;
  return rows.map((r) => {
    const ref: DailyReference = {};
    if (r.prior_close !== null) ref.prevClose = r.prior_close;
    if (r.avg_volume_20 !== null) ref.avgVolume = Number(r.avg_volume_20);
    return [r.symbol, ref] as const;
  });
}
