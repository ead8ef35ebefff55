// Acting as a Supabase user in a database test: what PostgREST does per request (switch to the
// `authenticated` or `anon` role and publish the JWT claims), inside a transaction that is always
// rolled back, so every test starts from the same rows. `before` runs first as the superuser in the
// same transaction: that is where a test disables RLS or drops a policy to show the leak it guards
// against, and the rollback restores it.
import type { Sql, TransactionSql } from 'postgres';

export const USER_A = '00000000-0000-4000-8000-00000000000a';
export const USER_B = '00000000-0000-4000-8000-00000000000b';

const ROLLBACK = Symbol('rollback');

export interface ActOptions {
  before?: (tx: TransactionSql) => Promise<unknown>;
}

/** Runs `fn` as `userId` (role authenticated), or as anon when `userId` is null; rolls back. */
export async function actAs<T>(
  sql: Sql,
  userId: string | null,
  fn: (tx: TransactionSql) => Promise<T>,
  opts: ActOptions = {},
): Promise<T> {
  let result: T | undefined;
  try {
    await sql.begin(async (tx) => {
      if (opts.before) await opts.before(tx);
      const claims = userId ? { sub: userId, role: 'authenticated' } : { role: 'anon' };
      await tx.unsafe(`set local role ${userId ? 'authenticated' : 'anon'}`);
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      result = await fn(tx);
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return result as T;
}

/** Runs `fn` as the superuser (the service role's view) in a transaction that is rolled back. */
export async function inRolledBack<T>(sql: Sql, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await sql.begin(async (tx) => {
      result = await fn(tx);
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return result as T;
}

/** The Postgres error a promise rejects with (fails the test if it resolves). */
export async function pgError(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; constraint_name?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; constraint_name?: string };
  }
  throw new Error('expected the statement to be refused, but it succeeded');
}

export async function createUser(sql: Sql, id: string, phone?: string): Promise<void> {
  await sql`insert into auth.users (id, email, phone) values (${id}, ${`${id}@test.local`}, ${phone ?? null})`;
}
