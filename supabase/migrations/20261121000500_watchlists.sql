-- Watchlists: named lists of symbols per user; exactly one may be the default (the one SMS
-- `watch`/`unwatch` edits).
create table public.watchlists (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 60),
  is_default boolean not null default false,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint watchlists_user_name_key unique (user_id, name),
  -- Target of the composite foreign key below: a symbol row can only join its owner's list.
  constraint watchlists_id_user_key unique (id, user_id)
);
create unique index watchlists_one_default_idx on public.watchlists (user_id) where is_default;
create trigger watchlists_set_updated_at before update on public.watchlists
  for each row execute function public.set_updated_at();

-- user_id is repeated here so RLS is a plain column test (no join per row), and the composite
-- foreign key keeps it equal to the list's owner: nobody can slip a row into another user's list.
create table public.watchlist_symbols (
  watchlist_id uuid not null,
  user_id uuid not null,
  symbol text not null constraint watchlist_symbols_symbol_format check (public.is_ticker(symbol)),
  position integer not null default 0,
  added_at timestamptz not null default now(),
  primary key (watchlist_id, symbol),
  foreign key (watchlist_id, user_id) references public.watchlists (id, user_id) on delete cascade
);
create index watchlist_symbols_user_id_idx on public.watchlist_symbols (user_id);
-- The screener asks "who watches NVDA?".
create index watchlist_symbols_symbol_idx on public.watchlist_symbols (symbol);

-- The default watchlist of a new user, next to the profile made by handle_new_user().
create function public.create_default_watchlist() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.watchlists (user_id, name, is_default) values (new.id, 'Watchlist', true)
  on conflict do nothing;
  return new;
end $$;
revoke execute on function public.create_default_watchlist() from public, anon, authenticated;
create trigger watchlists_on_auth_user_created after insert on auth.users
  for each row execute function public.create_default_watchlist();

alter table public.watchlists enable row level security;
create policy watchlists_select_own on public.watchlists for select to authenticated
  using (user_id = (select auth.uid()));
create policy watchlists_insert_own on public.watchlists for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy watchlists_update_own on public.watchlists for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy watchlists_delete_own on public.watchlists for delete to authenticated
  using (user_id = (select auth.uid()));

alter table public.watchlist_symbols enable row level security;
create policy watchlist_symbols_select_own on public.watchlist_symbols for select to authenticated
  using (user_id = (select auth.uid()));
create policy watchlist_symbols_insert_own on public.watchlist_symbols for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy watchlist_symbols_update_own on public.watchlist_symbols for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy watchlist_symbols_delete_own on public.watchlist_symbols for delete to authenticated
  using (user_id = (select auth.uid()));
