-- The local profile's single user: a fixed id the local server signs its session for, a profile
-- and a default watchlist. Run after the migrations on every start of the local stack, so it is
-- idempotent: it only fills in what is missing and never overwrites what the trader changed.
-- (Not for hosted projects: there, users sign up through Supabase Auth.)
do $$
declare
  v_user constant uuid := '00000000-0000-4000-8000-000000000001';
  v_created boolean;
  v_watchlist uuid;
begin
  insert into auth.users (id, email) values (v_user, 'trader@localhost') on conflict (id) do nothing;
  v_created := found;

  -- The sign-up triggers create these already; repeated so the seed does not depend on them.
  insert into public.profiles (id) values (v_user) on conflict (id) do nothing;
  select id into v_watchlist from public.watchlists where user_id = v_user and is_default;
  if v_watchlist is null then
    insert into public.watchlists (user_id, name, is_default) values (v_user, 'Watchlist', true)
    returning id into v_watchlist;
  end if;

  -- A few liquid names to start from, on the first run only: later runs leave the trader's edits
  -- (including an emptied list) alone.
  if v_created then
    insert into public.watchlist_symbols (watchlist_id, user_id, symbol, position)
    select v_watchlist, v_user, s.symbol, s.position
    from (values ('SPY', 0), ('QQQ', 1), ('NVDA', 2), ('AAPL', 3), ('TSLA', 4)) as s (symbol, position)
    on conflict do nothing;
  end if;

  -- The dev phone's number (/dev-phone talks to the assistant through the signed webhook path),
  -- verified and opted in; only while the profile has no phone, so a number the trader set stays.
  update public.profiles
  set phone = '+15555550100', phone_verified = true, sms_opt_in = 'opted_in', sms_opt_in_changed_at = now()
  where id = v_user and phone is null
    and not exists (select 1 from public.profiles p where p.phone = '+15555550100');
end $$;
