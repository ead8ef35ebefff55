// The trader's own writes (trades, watchlists, settings) run as Supabase's `authenticated` role
// with the trader's id in the JWT claims, as PostgREST would: row-level security and the column
// grants (profiles: phone and phone_verified are not the trader's to set) apply even though the web
// process connects with a privileged role. Reads filter on user_id themselves.
import type { TransactionSql } from 'postgres';
import { db } from './db.ts';

export function asUser<T>(userId: string, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return db().begin(async (tx) => {
    await tx.unsafe('set local role authenticated');
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/** A Postgres error's SQLSTATE and constraint (postgres.js puts them on the error). */
export function pgCode(e: unknown): { code: string | undefined; constraint: string | undefined } {
  const x = e as { code?: string; constraint_name?: string };
  return { code: x?.code, constraint: x?.constraint_name };
}
