import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { describe, expect, it } from 'vitest';
import { createDb, isTransactionPooler, redactUrl } from './client.ts';

const db = useTestDatabase();

describe('createDb', () => {
  it('returns bigint and numeric as exact strings, and names the application', async () => {
    const sql = createDb({ url: db.url, max: 1, application: 'client-test' });
    try {
      // 2^63 - 1 and a numeric(20,9) with all nine decimals: neither survives a double.
      const [r] =
        await sql`select 9223372036854775807::bigint as big, 12345678901.123456789::numeric(20,9) as price,
        current_setting('application_name') as app`;
      expect(r).toEqual({ big: '9223372036854775807', price: '12345678901.123456789', app: 'client-test' });
    } finally {
      await sql.end();
    }
  });

  it('turns prepared statements off behind a transaction pooler and drops the pgbouncer hint', async () => {
    expect(isTransactionPooler('postgres://u:p@db.example.supabase.co:6543/postgres')).toBe(true);
    expect(isTransactionPooler('postgres://u:p@host:5432/postgres?pgbouncer=true')).toBe(true);
    expect(isTransactionPooler('postgres://u:p@host:5432/postgres')).toBe(false);
    // A real server would reject `pgbouncer` as a startup parameter if it were passed on.
    const sql = createDb({ url: `${db.url}?pgbouncer=true`, max: 1, application: 'client-test' });
    try {
      expect(sql.options.prepare).toBe(false);
      const [r] = await sql`select 1 as one`;
      expect(r).toEqual({ one: 1 });
    } finally {
      await sql.end();
    }
  });

  it('redacts passwords and secret-looking parameters for logs', () => {
    expect(redactUrl('postgres://app:s3cret@host:5432/db?sslmode=require&password=x')).toBe(
      'postgres://app:***@host:5432/db?sslmode=require&password=***',
    );
    expect(redactUrl('not a url')).not.toContain('not a url');
  });
});
