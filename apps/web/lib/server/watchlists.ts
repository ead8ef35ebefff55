// The trader's watchlists: named lists of tickers, exactly one the default (the list SMS `watch` and
// `unwatch` edit). Writes run as the trader (asUser: row-level security applies); names are unique
// per trader and the database's answer to a duplicate is turned into a sentence.
import { asUser, pgCode } from './auth-db.ts';
import { db } from './db.ts';

export interface Watchlist {
  id: string;
  name: string;
  is_default: boolean;
  symbols: string[];
}

export class WatchlistRefused extends Error {}

export async function listWatchlists(userId: string): Promise<Watchlist[]> {
  return db()<Watchlist[]>`
    select w.id::text as id, w.name, w.is_default,
           coalesce(array_agg(s.symbol order by s.position, s.symbol) filter (where s.symbol is not null), '{}') as symbols
      from public.watchlists w
      left join public.watchlist_symbols s on s.watchlist_id = w.id
     where w.user_id = ${userId}
     group by w.id
     order by w.is_default desc, w.position, w.created_at`;
}

function refuseDuplicate(e: unknown, name: string): never {
  if (pgCode(e).code === '23505') throw new WatchlistRefused(`You already have a list named “${name}”.`);
  throw e;
}

export async function createWatchlist(userId: string, name: string): Promise<string> {
  try {
    return await asUser(userId, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        insert into public.watchlists (user_id, name, position, is_default)
        select ${userId}, ${name}, coalesce(max(position) + 1, 0),
               not exists (select 1 from public.watchlists where user_id = ${userId} and is_default)
          from public.watchlists where user_id = ${userId}
        returning id::text as id`;
      return row!.id;
    });
  } catch (e) {
    refuseDuplicate(e, name);
  }
}

export async function renameWatchlist(userId: string, id: string, name: string): Promise<void> {
  try {
    const rows = await asUser(
      userId,
      (tx) => tx`
      update public.watchlists set name = ${name} where id = ${id} and user_id = ${userId} returning id`,
    );
    if (rows.length === 0) throw new WatchlistRefused('No such list.');
  } catch (e) {
    refuseDuplicate(e, name);
  }
}

/** The default list stays: SMS `watch` needs one to edit. Make another the default first. */
export async function deleteWatchlist(userId: string, id: string): Promise<void> {
  await asUser(userId, async (tx) => {
    const [w] = await tx<{ is_default: boolean }[]>`
      select is_default from public.watchlists where id = ${id} and user_id = ${userId} for update`;
    if (!w) throw new WatchlistRefused('No such list.');
    if (w.is_default)
      throw new WatchlistRefused('This is your default list: make another list the default first.');
    await tx`delete from public.watchlists where id = ${id} and user_id = ${userId}`;
  });
}

export async function setDefaultWatchlist(userId: string, id: string): Promise<void> {
  await asUser(userId, async (tx) => {
    const [w] = await tx`select 1 from public.watchlists where id = ${id} and user_id = ${userId} for update`;
    if (!w) throw new WatchlistRefused('No such list.');
    // Two steps in one transaction: the partial unique index allows one default at a time.
    await tx`update public.watchlists set is_default = false where user_id = ${userId} and is_default and id <> ${id}`;
    await tx`update public.watchlists set is_default = true where id = ${id} and user_id = ${userId}`;
  });
}

/** Adds tickers at the end of the list, in the order given; ones already there stay where they are. */
export async function addSymbols(userId: string, id: string, symbols: string[]): Promise<number> {
  return asUser(userId, async (tx) => {
    const [w] = await tx`select 1 from public.watchlists where id = ${id} and user_id = ${userId}`;
    if (!w) throw new WatchlistRefused('No such list.');
    const rows = await tx`
      insert into public.watchlist_symbols (watchlist_id, user_id, symbol, position)
      select ${id}, ${userId}, s.symbol,
             (select coalesce(max(position) + 1, 0) from public.watchlist_symbols where watchlist_id = ${id}) + s.ord
        from unnest(${symbols}::text[]) with ordinality as s(symbol, ord)
      on conflict (watchlist_id, symbol) do nothing
      returning symbol`;
    return rows.length;
  });
}

export async function removeSymbol(userId: string, id: string, symbol: string): Promise<void> {
  await asUser(
    userId,
    (tx) => tx`
    delete from public.watchlist_symbols where watchlist_id = ${id} and user_id = ${userId} and symbol = ${symbol}`,
  );
}
