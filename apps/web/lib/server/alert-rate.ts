// Alert throughput for the status page: alerts per minute over the last five minutes, and the
// newest alert's time: the count scans the last minutes through the BRIN index on created_at, the
// newest alert is the one with the highest id (the primary key; ids grow with insert order).
import { db } from './db.ts';

export interface AlertRate {
  perMinute: number;
  lastAlertAt: string | null;
}

export async function alertRate(): Promise<AlertRate> {
  const [row] = await db()<{ n: number; last: string | null }[]>`
    select (select count(*)::int from public.alerts where created_at > now() - interval '5 minutes') as n,
           (select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
              from public.alerts order by id desc limit 1) as last`;
  return { perMinute: Math.round(((row?.n ?? 0) / 5) * 10) / 10, lastAlertAt: row?.last ?? null };
}
