// Row-level security, table by table: user A can neither read nor change user B's rows, anon sees
// nothing, market-wide alerts are for every signed-in user. Each guarantee is shown to depend on
// the database: the same statement, with RLS disabled or the policy dropped (in a rolled-back
// transaction), leaks or loses the rows.
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import type { TransactionSql } from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs, createUser, pgError, USER_A, USER_B } from './support/act-as.ts';
import { seedSharedRows, seedUserRows, type UserRows } from './support/fixtures.ts';

const db = useTestDatabase();
const USER_C = '00000000-0000-4000-8000-00000000000c';
let b: UserRows;

beforeAll(async () => {
  await createUser(db.sql, USER_A, '15551110001');
  await createUser(db.sql, USER_B, '15551110002');
  await createUser(db.sql, USER_C);
  // C signed up but has no profile yet: the target of the "create someone else's profile" case.
  await db.sql`delete from public.profiles where id = ${USER_C}`;
  await seedUserRows(db.sql, USER_A, 1);
  b = await seedUserRows(db.sql, USER_B, 2);
  await seedSharedRows(db.sql);
});

interface OwnedTable {
  table: string;
  owner: string;
  /** A column the owner's role may update, set to itself. */
  touch: string;
  /** Inserts a row owned by $1 (B, or C for profiles); $2 is one of B's parents where needed. */
  insert: string;
  insertParams: () => string[];
  /** Whether the owner may insert/update/delete their own rows through the API. */
  ownerWrites: boolean;
}

const OWNED: OwnedTable[] = [
  {
    table: 'profiles',
    owner: 'id',
    touch: 'display_name',
    insert: `insert into public.profiles (id) values ($1)`,
    insertParams: () => [USER_C],
    ownerWrites: true,
  },
  {
    table: 'mutes',
    owner: 'user_id',
    touch: 'until',
    insert: `insert into public.mutes (user_id, symbol) values ($1, 'ZZZ')`,
    insertParams: () => [USER_B],
    ownerWrites: true,
  },
  {
    table: 'watchlists',
    owner: 'user_id',
    touch: 'name',
    insert: `insert into public.watchlists (user_id, name) values ($1, 'Sneaky')`,
    insertParams: () => [USER_B],
    ownerWrites: true,
  },
  {
    table: 'watchlist_symbols',
    owner: 'user_id',
    touch: 'position',
    insert: `insert into public.watchlist_symbols (user_id, watchlist_id, symbol) values ($1, $2, 'ZZZ')`,
    insertParams: () => [USER_B, b.watchlistId],
    ownerWrites: true,
  },
  {
    table: 'rules',
    owner: 'user_id',
    touch: 'cooldown_seconds',
    insert: `insert into public.rules (user_id, name, definition) values ($1, 'Sneaky', '{}')`,
    insertParams: () => [USER_B],
    ownerWrites: true,
  },
  {
    table: 'alerts',
    owner: 'user_id',
    touch: 'score',
    insert: `insert into public.alerts (user_id, symbol, type, ts_event, price, session, score, dedupe_key)
             values ($1, 'ZZZ', 'gap_up', 1, 1, 'pre', 0.5, 'sneaky')`,
    insertParams: () => [USER_B],
    ownerWrites: false,
  },
  {
    table: 'alert_deliveries',
    owner: 'user_id',
    touch: 'error',
    insert: `insert into public.alert_deliveries (user_id, alert_id, channel) values ($1, $2::bigint, 'push')`,
    insertParams: () => [USER_B, b.ruleAlertId],
    ownerWrites: false,
  },
  {
    table: 'trades',
    owner: 'user_id',
    touch: 'notes',
    insert: `insert into public.trades (user_id, symbol, side, quantity, entry) values ($1, 'ZZZ', 'long', 1, 10)`,
    insertParams: () => [USER_B],
    ownerWrites: true,
  },
  {
    table: 'trade_events',
    owner: 'user_id',
    touch: 'data',
    insert: `insert into public.trade_events (user_id, trade_id, kind) values ($1, $2, 'note')`,
    insertParams: () => [USER_B, b.tradeId],
    ownerWrites: false,
  },
  {
    table: 'price_triggers',
    owner: 'user_id',
    touch: 'level',
    insert: `insert into public.price_triggers (user_id, symbol, level, direction, kind)
             values ($1, 'ZZZ', 10, 'above', 'custom')`,
    insertParams: () => [USER_B],
    ownerWrites: true,
  },
  {
    table: 'sms_messages',
    owner: 'user_id',
    touch: 'body',
    insert: `insert into public.sms_messages (user_id, direction, from_number, to_number, body, provider_sid, status)
             values ($1, 'in', '+15550000009', '+15559990000', 'hi', 'SMsneaky', 'received')`,
    insertParams: () => [USER_B],
    ownerWrites: false,
  },
  {
    table: 'push_subscriptions',
    owner: 'user_id',
    touch: 'user_agent',
    insert: `insert into public.push_subscriptions (user_id, endpoint, p256dh, auth)
             values ($1, 'https://push.example.test/sneaky', 'B${'A'.repeat(86)}', '${'A'.repeat(22)}')`,
    insertParams: () => [USER_B],
    ownerWrites: true,
  },
];

const disableRls = (table: string) => (tx: TransactionSql) =>
  tx.unsafe(`alter table public.${table} disable row level security`);

async function count(tx: TransactionSql, query: string, params: string[] = []): Promise<number> {
  const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from (${query}) q`, params);
  return row!.n;
}

describe.each(OWNED)('$table', (t) => {
  const bRows = `select * from public.${t.table} where ${t.owner} = $1`;

  it("A cannot read B's rows, which are there for B and leak without RLS", async () => {
    expect(await actAs(db.sql, USER_A, (tx) => count(tx, bRows, [USER_B]))).toBe(0);
    expect(await actAs(db.sql, USER_B, (tx) => count(tx, bRows, [USER_B]))).toBeGreaterThan(0);
    const leaked = await actAs(db.sql, USER_A, (tx) => count(tx, bRows, [USER_B]), {
      before: disableRls(t.table),
    });
    expect(leaked).toBeGreaterThan(0);
  });

  it(`B's own read depends on ${t.table}_select_own (or the alerts visibility policy)`, async () => {
    const policy = t.table === 'alerts' ? 'alerts_select_market_or_own' : `${t.table}_select_own`;
    const without = await actAs(db.sql, USER_B, (tx) => count(tx, bRows, [USER_B]), {
      before: (tx) => tx.unsafe(`drop policy ${policy} on public.${t.table}`),
    });
    expect(without).toBe(0);
  });

  it("A cannot update or delete B's rows; without RLS both would hit them", async () => {
    const update = `update public.${t.table} set ${t.touch} = ${t.touch} where ${t.owner} = $1`;
    const del = `delete from public.${t.table} where ${t.owner} = $1`;
    expect((await actAs(db.sql, USER_A, (tx) => tx.unsafe(update, [USER_B]))).count).toBe(0);
    expect((await actAs(db.sql, USER_A, (tx) => tx.unsafe(del, [USER_B]))).count).toBe(0);
    const leakedUpdate = await actAs(db.sql, USER_A, (tx) => tx.unsafe(update, [USER_B]), {
      before: disableRls(t.table),
    });
    expect(leakedUpdate.count).toBeGreaterThan(0);
    if (t.table !== 'profiles') {
      // Profiles are deleted with their auth user, never through the API (no DELETE grant matters).
      const leakedDelete = await actAs(db.sql, USER_A, (tx) => tx.unsafe(del, [USER_B]), {
        before: disableRls(t.table),
      });
      expect(leakedDelete.count).toBeGreaterThan(0);
    }
  });

  it('A cannot insert a row owned by someone else; without RLS it would go in', async () => {
    const err = await pgError(actAs(db.sql, USER_A, (tx) => tx.unsafe(t.insert, t.insertParams())));
    expect(err.code).toBe('42501');
    expect(err.message).toMatch(/row-level security/);
    const leaked = await actAs(db.sql, USER_A, (tx) => tx.unsafe(t.insert, t.insertParams()), {
      before: disableRls(t.table),
    });
    expect(leaked.count).toBe(1);
  });

  it('anon sees nothing, though the rows are there', async () => {
    const all = `select * from public.${t.table}`;
    expect(await actAs(db.sql, null, (tx) => count(tx, all))).toBe(0);
    expect(
      await actAs(db.sql, null, (tx) => count(tx, all), { before: disableRls(t.table) }),
    ).toBeGreaterThan(0);
  });
});

describe('owners write their own rows where the product lets them', () => {
  it.each(OWNED.filter((t) => t.ownerWrites && t.table !== 'profiles'))(
    '$table: B inserts for B',
    async (t) => {
      const res = await actAs(db.sql, USER_B, (tx) => tx.unsafe(t.insert, t.insertParams()));
      expect(res.count).toBe(1);
    },
  );

  it('a profile can be created for oneself, but not already verified or opted in', async () => {
    const res = await actAs(db.sql, USER_C, (tx) => tx`insert into public.profiles (id) values (${USER_C})`);
    expect(res.count).toBe(1);
    for (const column of ['phone_verified', 'sms_opt_in']) {
      const value = column === 'phone_verified' ? 'true' : `'opted_in'`;
      const err = await pgError(
        actAs(db.sql, USER_C, (tx) =>
          tx.unsafe(
            `insert into public.profiles (id, phone, ${column}) values ($1, '+15550002222', ${value})`,
            [USER_C],
          ),
        ),
      );
      expect(err.code, column).toBe('42501');
    }
  });

  it('the trader cannot mark their own phone verified or opt themselves in to SMS', async () => {
    for (const set of [`phone_verified = true`, `sms_opt_in = 'opted_in'`, `phone = '+15550001111'`]) {
      const err = await pgError(
        actAs(db.sql, USER_B, (tx) => tx.unsafe(`update public.profiles set ${set} where id = $1`, [USER_B])),
      );
      expect(err.code).toBe('42501');
    }
    const ok = await actAs(db.sql, USER_B, (tx) =>
      tx.unsafe(
        `update public.profiles set timezone = 'Europe/London', sound_enabled = false where id = $1`,
        [USER_B],
      ),
    );
    expect(ok.count).toBe(1);
  });

  it("A cannot slip a symbol into B's watchlist even when claiming it as A's own row", async () => {
    const err = await pgError(
      actAs(
        db.sql,
        USER_A,
        (tx) =>
          tx`insert into public.watchlist_symbols (watchlist_id, user_id, symbol) values (${b.watchlistId}, ${USER_A}, 'ZZZ')`,
      ),
    );
    expect(err.code).toBe('23503');
  });

  it("A cannot journal on B's trade", async () => {
    const err = await pgError(
      actAs(
        db.sql,
        USER_A,
        (tx) =>
          tx`insert into public.trade_events (trade_id, user_id, kind) values (${b.tradeId}, ${USER_A}, 'note')`,
      ),
    );
    expect(err.code).toBe('23503');
  });
});

describe('alerts', () => {
  const market = `select * from public.alerts where user_id is null`;

  it('market-wide alerts are visible to every signed-in user, and only through their policy', async () => {
    for (const user of [USER_A, USER_B, USER_C]) {
      expect(await actAs(db.sql, user, (tx) => count(tx, market))).toBe(1);
    }
    const without = await actAs(db.sql, USER_A, (tx) => count(tx, market), {
      before: (tx) => tx`drop policy alerts_select_market_or_own on public.alerts`,
    });
    expect(without).toBe(0);
  });

  it('each user sees the market-wide alerts plus their own rule alerts', async () => {
    const rows = await actAs(
      db.sql,
      USER_A,
      (tx) => tx<{ user_id: string | null }[]>`select user_id from public.alerts`,
    );
    expect(rows.map((r) => r.user_id).sort()).toEqual([USER_A, null]);
  });

  it('anon sees no market-wide alert either', async () => {
    expect(await actAs(db.sql, null, (tx) => count(tx, market))).toBe(0);
  });
});

describe('shared market and operational data', () => {
  it.each(['instruments', 'daily_bars', 'worker_heartbeats'])(
    '%s: readable when signed in (through its policy), invisible to anon, written only by workers',
    async (table) => {
      const all = `select * from public.${table}`;
      expect(await actAs(db.sql, USER_A, (tx) => count(tx, all))).toBe(1);
      expect(await actAs(db.sql, null, (tx) => count(tx, all))).toBe(0);
      const policy = (
        await db.sql<{ policyname: string }[]>`select policyname from pg_policies where tablename = ${table}`
      ).map((p) => p.policyname);
      expect(policy).toHaveLength(1);
      const without = await actAs(db.sql, USER_A, (tx) => count(tx, all), {
        before: (tx) => tx.unsafe(`drop policy ${policy[0]} on public.${table}`),
      });
      expect(without).toBe(0);
      // No write policy: a signed-in user's delete matches nothing (workers write with the service role).
      const del = await actAs(db.sql, USER_A, (tx) => tx.unsafe(`delete from public.${table}`));
      expect(del.count).toBe(0);
    },
  );
});

describe('every table is covered', () => {
  it('RLS is enabled on every table in public', async () => {
    const rows = await db.sql<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity`;
    expect(rows.map((r) => r.relname)).toEqual([]);
  });

  it('every policy is for authenticated and reads auth.uid() once per statement', async () => {
    const rows = await db.sql<{ tablename: string; policyname: string; roles: string[]; expr: string }[]>`
      select tablename, policyname, roles::text[] as roles, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
      from pg_policies where schemaname = 'public'`;
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      expect(r.roles, r.policyname).toEqual(['authenticated']);
      // `(select auth.uid())` is deparsed as `( SELECT auth.uid() AS uid)`: an initPlan, not a call per row.
      const bare = r.expr.replace(/\( SELECT auth\.uid\(\) AS uid\)/g, '');
      expect(bare, r.policyname).not.toMatch(/auth\.uid\(\)/);
    }
  });

  it('a signed-in user cannot TRUNCATE (which RLS would not stop), on any table', async () => {
    const tables = (
      await db.sql<{ relname: string }[]>`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' order by 1`
    ).map((r) => r.relname);
    for (const table of tables) {
      const err = await pgError(actAs(db.sql, USER_A, (tx) => tx.unsafe(`truncate public.${table} cascade`)));
      expect(err.code, table).toBe('42501');
    }
    // With the privilege back, A empties B's rules in one statement, policies notwithstanding.
    const left = await actAs(
      db.sql,
      USER_A,
      async (tx) => {
        await tx`truncate public.rules cascade`;
        await tx.unsafe('reset role');
        return tx`select count(*)::int as n from public.rules`;
      },
      {
        before: (tx) =>
          tx`grant truncate on public.rules, public.alerts, public.alert_deliveries, public.sms_messages, public.trades, public.trade_events, public.price_triggers to authenticated`,
      },
    );
    expect(left[0]!.n).toBe(0);
  });

  it('every owner column used by a policy leads an index', async () => {
    for (const t of OWNED) {
      const [row] = await db.sql<{ n: number }[]>`
        select count(*)::int as n from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
        where i.indrelid = ${`public.${t.table}`}::regclass and a.attname = ${t.owner}`;
      expect(row!.n, t.table).toBeGreaterThan(0);
    }
  });
});
