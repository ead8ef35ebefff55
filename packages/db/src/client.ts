// The one way our processes open Postgres: a postgres.js pool sized per process, safe behind
// Supabase's transaction pooler, and returning exact values (bigint and numeric as strings).
import postgres, { type Sql } from 'postgres';

export type Db = Sql;

export interface DbOptions {
  url: string;
  /** Pool size for this process (connections are opened lazily). */
  max?: number;
  /** Shown in pg_stat_activity.application_name, e.g. `screener`, `web`. */
  application: string;
  /**
   * Named prepared statements. Defaults to true, and to false behind a transaction pooler
   * (Supabase's port 6543 or `?pgbouncer=true`), where a statement prepared on one server
   * connection is gone on the next transaction.
   */
  prepare?: boolean;
  connectTimeoutSeconds?: number;
  idleTimeoutSeconds?: number;
}

const OID_INT8 = 20;
const OID_NUMERIC = 1700;

/** True when `url` points at a transaction-mode pooler (PgBouncer/Supavisor). */
export function isTransactionPooler(url: string): boolean {
  const u = parseUrl(url);
  return u.port === '6543' || u.searchParams.get('pgbouncer') === 'true';
}

/** The URL with its password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return '<unparseable database url>';
  }
}

export function createDb(opts: DbOptions): Db {
  const u = parseUrl(opts.url);
  const pooler = isTransactionPooler(opts.url);
  // `pgbouncer` is a client-side hint (Prisma's convention); Postgres would reject it as a startup
  // parameter, so it never reaches the server.
  u.searchParams.delete('pgbouncer');
  const sql = postgres(u.toString(), {
    max: opts.max ?? 10,
    prepare: opts.prepare ?? !pooler,
    connection: { application_name: opts.application },
    onnotice: () => {},
    connect_timeout: opts.connectTimeoutSeconds ?? 10,
    idle_timeout: opts.idleTimeoutSeconds ?? 60,
    // postgres.js already leaves int8 and numeric as text; pinning it here keeps it that way if the
    // library's defaults change: values are exact decimal strings, never binary floats.
    types: {
      bigint: {
        to: OID_INT8,
        from: [OID_INT8],
        serialize: (x: unknown) => String(x),
        parse: (x: string) => x,
      },
      numeric: {
        to: OID_NUMERIC,
        from: [OID_NUMERIC],
        serialize: (x: unknown) => String(x),
        parse: (x: string) => x,
      },
    },
  });
  return sql as unknown as Db;
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error(`invalid database URL ${redactUrl(url)}: expected postgres://user:pass@host:port/db`);
  }
}
