// Reading alerts for the dashboard and GET /api/alerts: newest first, in the contract's shape
// (CONTRACTS.md) plus `id` and `created_at`.
import { type LiveAlert, liveAlertSchema, normalizeLiveAlert } from '@tradeassist/db/live-alert';
import { z } from 'zod';
import { db } from './db.ts';

export const MAX_ALERTS = 1000;

export const alertsQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, `expected an integer from 1 to ${MAX_ALERTS}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_ALERTS, `expected an integer from 1 to ${MAX_ALERTS}`)
    .default(100),
});

export type ApiAlert = LiveAlert;

/**
 * The newest alerts. Local mode has one user, who sees every alert; per-user visibility of rule
 * alerts arrives with authentication (cloud: row-level security on `alerts`).
 */
export async function newestAlerts(limit: number): Promise<ApiAlert[]> {
  const rows = await db()`
    select id::text as id, symbol, type, ts_event::text as ts_event, price::text as price, session,
           score, details, dedupe_key, user_id::text as user_id, rule_id::text as rule_id,
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
      from public.alerts
     -- alerts.id, the bigint: a bare id here names the text column above (so '9' > '13')
     order by alerts.id desc
     limit ${limit}`;
  return rows.map((row, i) => {
    const parsed = liveAlertSchema.safeParse(row);
    if (!parsed.success) {
      const why = parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ');
      throw new Error(`alerts row ${String(row.id ?? i)} does not match the alert schema: ${why}`);
    }
    return normalizeLiveAlert(parsed.data);
  });
}
