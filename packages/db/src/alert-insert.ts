// One round trip per batch: ten text arrays unnested into `alerts`, idempotent on dedupe_key.
// Every value travels as text and is cast by Postgres, so prices go string -> numeric and
// nanosecond times string -> bigint without ever passing through a JS float.
import type { Alert } from '@tradeassist/core/alert';
import postgres from 'postgres';
import type { Db } from './client.ts';
import { withTimeout } from './timeout.ts';

const INSERT = `
insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, details, dedupe_key)
select u::uuid, r::uuid, s, t, e::bigint, p::numeric, se, sc::float8, d::jsonb, k
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::text[], $10::text[]) as x(u, r, s, t, e, p, se, sc, d, k)
on conflict (dedupe_key) do nothing`;

/** Inserts a batch; returns how many rows were new (the rest were already there). */
export async function insertAlerts(sql: Db, alerts: readonly Alert[], timeoutMs = 30_000): Promise<number> {
  const n = alerts.length;
  const cols: (string | null)[][] = Array.from({ length: 10 }, () => new Array(n));
  for (let i = 0; i < n; i++) {
    const a = alerts[i]!;
    cols[0]![i] = a.user_id ?? null;
    cols[1]![i] = a.rule_id ?? null;
    cols[2]![i] = a.symbol;
    cols[3]![i] = a.type;
    cols[4]![i] = a.ts_event;
    cols[5]![i] = a.price;
    cols[6]![i] = a.session;
    // The shortest round-trip decimal of a double parses back to the same double in float8.
    cols[7]![i] = String(a.score);
    cols[8]![i] = JSON.stringify(a.details);
    cols[9]![i] = a.dedupe_key;
  }
  const q = sql.unsafe(INSERT, cols as never);
  const res = await withTimeout(q, timeoutMs, `alerts insert of ${n}`, () => q.cancel());
  return res.count;
}

/**
 * A failure caused by the rows themselves (a check or foreign-key violation, a bad value): retrying
 * the same rows cannot help. Anything else (connection lost, server restarting, too many
 * connections, timeouts) is treated as the database being unavailable.
 */
export function isDataError(e: unknown): boolean {
  return e instanceof postgres.PostgresError && /^(22|23)/.test(e.code);
}

export interface Rejected {
  alert: Alert;
  error: Error;
}

/**
 * Inserts a batch; when Postgres rejects it for its content, splits it in halves until the bad rows
 * are isolated, so one bad alert never holds back the others. Connection errors propagate.
 */
export async function insertIsolating(
  sql: Db,
  alerts: readonly Alert[],
  rejected: Rejected[],
  timeoutMs = 30_000,
): Promise<number> {
  try {
    return await insertAlerts(sql, alerts, timeoutMs);
  } catch (e) {
    if (!isDataError(e)) throw e;
    if (alerts.length === 1) {
      const a = alerts[0]!;
      rejected.push({
        alert: a,
        error: new Error(`alerts insert rejected ${a.dedupe_key}: ${(e as Error).message}`, { cause: e }),
      });
      return 0;
    }
    const mid = alerts.length >> 1;
    return (
      (await insertIsolating(sql, alerts.slice(0, mid), rejected, timeoutMs)) +
      (await insertIsolating(sql, alerts.slice(mid), rejected, timeoutMs))
    );
  }
}
