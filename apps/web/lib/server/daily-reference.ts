// Prior closes and 20-day average volumes of a trading day from Postgres (`daily_reference`, over
// `daily_bars`): what the screener worker loads for a source that carries no daily bars of its own
// (workers/screener reference.ts), here for rule previews on such replay files.
import type { ReferenceData } from '@tradeassist/screener';
import { db } from './db.ts';

export async function loadDailyReference(date: string): Promise<Array<readonly [string, ReferenceData]>> {
  const rows = await db()<{ symbol: string; prior_close: string | null; avg_volume_20: string | null }[]>`
    select symbol, prior_close::text as prior_close, avg_volume_20::text as avg_volume_20
      from public.daily_reference(${date}::date)`;
  return rows.map((r) => {
    const ref: ReferenceData = {};
    if (r.prior_close !== null) ref.prevClose = r.prior_close;
    if (r.avg_volume_20 !== null) ref.avgVolume = Number(r.avg_volume_20);
    return [r.symbol, ref] as const;
  });
}
