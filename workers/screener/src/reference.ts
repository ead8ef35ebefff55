// Prior closes and 20-day average volumes of a trading day from Postgres (`daily_reference`, over
// `daily_bars`), for sources that carry no ohlcv-1d history of their own.
import type { Db } from '@tradeassist/db';
import type { ReferenceData } from '@tradeassist/screener';

export async function loadDailyReference(
  sql: Db,
  date: string,
): Promise<Array<readonly [string, ReferenceData]>> {
  const rows = await sql<{ symbol: string; prior_close: string | null; avg_volume_20: string | null }[]>`
    select symbol, prior_close::text as prior_close, avg_volume_20::text as avg_volume_20
    from public.daily_reference(${date}::date)`;
  return rows.map((r) => {
    const ref: ReferenceData = {};
    if (r.prior_close !== null) ref.prevClose = r.prior_close;
    if (r.avg_volume_20 !== null) ref.avgVolume = Number(r.avg_volume_20);
    return [r.symbol, ref] as const;
  });
}
