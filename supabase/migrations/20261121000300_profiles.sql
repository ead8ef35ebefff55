-- Per-user settings: where and when to reach the trader. One row per auth user, created by a
-- trigger on auth.users (and by supabase/seed.sql for the local single user).

-- Channels per alert type: {"default": ["web","push"], "gap_up": ["web","push","sms"], ...}.
-- Keys are alert types, 'default' (any type not listed) or 'trade' (stop/target crosses and
-- follow-ups of a trade); values are lists of distinct channels. Immutable so it can be a CHECK.
create function public.is_channel_map(p_map jsonb) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select jsonb_typeof(p_map) = 'object'
     and not exists (
       select 1
       from jsonb_each(p_map) as e(key, value)
       where e.key not in (
               'default', 'trade', 'gap_up', 'gap_down', 'volume_spike', 'momentum_up', 'momentum_down',
               'new_high_of_day', 'new_low_of_day', 'vwap_cross_up', 'vwap_cross_down', 'rsi_overbought',
               'rsi_oversold', 'macd_cross_up', 'macd_cross_down', 'bollinger_break_up',
               'bollinger_break_down', 'halt', 'resume', 'rule')
          or jsonb_typeof(e.value) <> 'array'
          or exists (
               select 1 from jsonb_array_elements(e.value) as c(v)
               where jsonb_typeof(c.v) <> 'string' or c.v #>> '{}' not in ('sms', 'push', 'web'))
          or jsonb_array_length(e.value) <> (select count(distinct c.v) from jsonb_array_elements(e.value) as c(v)))
$$;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text check (length(display_name) between 1 and 80),
  phone text unique constraint profiles_phone_e164 check (public.is_e164(phone)),
  phone_verified boolean not null default false,
  timezone text not null default 'America/New_York'
    constraint profiles_timezone_iana check (public.is_iana_timezone(timezone)),
  -- Quiet hours in the profile's timezone; start > end wraps midnight (22:00-07:00).
  quiet_hours_start time,
  quiet_hours_end time,
  channels jsonb not null default '{"default": ["web", "push"], "trade": ["web", "push", "sms"]}'::jsonb
    constraint profiles_channels_shape check (public.is_channel_map(channels)),
  -- Carrier rules: SMS goes out only after an explicit opt-in; STOP sets opted_out.
  sms_opt_in text not null default 'pending' check (sms_opt_in in ('opted_in', 'opted_out', 'pending')),
  sms_opt_in_changed_at timestamptz,
  sound_enabled boolean not null default true,
  -- Only the top-scoring alerts when set ("only send me the best"), per DOMAIN.md.
  min_score double precision not null default 0 check (min_score >= 0 and min_score <= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_quiet_hours_pair check ((quiet_hours_start is null) = (quiet_hours_end is null)),
  constraint profiles_verified_needs_phone check (not phone_verified or phone is not null)
);
create trigger profiles_set_updated_at before update on public.profiles
  for each row execute function public.set_updated_at();

-- Mutes: symbol null mutes every alert; until null lasts until unmuted (the SMS `mute` intent).
-- One row per (user, symbol) so muting again updates it: `on conflict (user_id, symbol)`.
create table public.mutes (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  symbol text constraint mutes_symbol_format check (public.is_ticker(symbol)),
  until timestamptz,
  created_at timestamptz not null default now(),
  constraint mutes_user_symbol_key unique nulls not distinct (user_id, symbol)
);

-- Is this user muted for this symbol at this time? One place for the rule the notifier applies.
create function public.is_muted(p_user_id uuid, p_symbol text, p_at timestamptz default now())
returns boolean
language sql stable set search_path = '' as $$
  select exists (
    select 1 from public.mutes m
    where m.user_id = p_user_id
      and (m.symbol is null or m.symbol = p_symbol)
      and (m.until is null or m.until > p_at))
$$;

-- A profile (and a default watchlist, see the watchlists migration) for every new auth user.
-- Supabase Auth stores phones without the '+'; keep the number only if it is E.164 once prefixed.
create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_phone text := case
    when new.phone is null or new.phone = '' then null
    when left(new.phone, 1) = '+' then new.phone
    else '+' || new.phone
  end;
begin
  insert into public.profiles (id, phone)
  values (new.id, case
    when public.is_e164(v_phone) and not exists (select 1 from public.profiles p where p.phone = v_phone)
    then v_phone end)
  on conflict (id) do nothing;
  return new;
end $$;
revoke execute on function public.handle_new_user() from public, anon, authenticated;

create trigger profiles_on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

alter table public.profiles enable row level security;
create policy profiles_select_own on public.profiles for select to authenticated
  using (id = (select auth.uid()));
create policy profiles_insert_own on public.profiles for insert to authenticated
  with check (id = (select auth.uid()));
create policy profiles_update_own on public.profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

-- phone_verified and the SMS opt-in state are set by the verification and STOP/START flows
-- (service role), never by the user's own client: otherwise anyone could claim a number.
revoke insert, update on public.profiles from anon, authenticated;
grant insert (id, display_name, timezone, quiet_hours_start, quiet_hours_end, channels, sound_enabled, min_score)
  on public.profiles to authenticated;
grant update (display_name, timezone, quiet_hours_start, quiet_hours_end, channels, sound_enabled, min_score)
  on public.profiles to authenticated;

alter table public.mutes enable row level security;
create policy mutes_select_own on public.mutes for select to authenticated
  using (user_id = (select auth.uid()));
create policy mutes_insert_own on public.mutes for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy mutes_update_own on public.mutes for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy mutes_delete_own on public.mutes for delete to authenticated
  using (user_id = (select auth.uid()));
-- mutes_user_symbol_key (user_id, symbol) serves the policy column.
