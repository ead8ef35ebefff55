// supabase/seed.sql: the local single user, applied after the migrations on every local start.
import { applySeed } from '@tradeassist/db/local';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { describe, expect, it } from 'vitest';
import { actAs } from './support/act-as.ts';

const db = useTestDatabase();
const LOCAL_USER = '00000000-0000-4000-8000-000000000001';

async function snapshot() {
  return {
    users: await db.sql`select id from auth.users`,
    profiles: await db.sql`select id, display_name, timezone from public.profiles`,
    watchlists: await db.sql`select user_id, name, is_default from public.watchlists`,
    symbols: (
      await db.sql<{ symbol: string }[]>`select symbol from public.watchlist_symbols order by position`
    ).map((r) => r.symbol),
  };
}

describe('seed.sql', () => {
  it('creates the local user with a profile and a default watchlist', async () => {
    await applySeed(db.url);
    expect(await snapshot()).toEqual({
      users: [{ id: LOCAL_USER }],
      profiles: [{ id: LOCAL_USER, display_name: null, timezone: 'America/New_York' }],
      watchlists: [{ user_id: LOCAL_USER, name: 'Watchlist', is_default: true }],
      symbols: ['SPY', 'QQQ', 'NVDA', 'AAPL', 'TSLA'],
    });
  });

  it('is idempotent and keeps what the trader changed since', async () => {
    await db.sql`update public.profiles set timezone = 'America/Chicago' where id = ${LOCAL_USER}`;
    await db.sql`delete from public.watchlist_symbols where symbol = 'TSLA'`;
    const before = await snapshot();
    await applySeed(db.url);
    await applySeed(db.url);
    expect(await snapshot()).toEqual(before);
  });

  it('the local user reads their watchlist through RLS like any signed-in user', async () => {
    const rows = await actAs(db.sql, LOCAL_USER, (tx) => tx`select symbol from public.watchlist_symbols`);
    expect(rows).toHaveLength(4);
  });
});
