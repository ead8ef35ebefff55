-- Helpers shared by the later migrations: value checks used in CHECK constraints (so every table
-- refuses the same bad symbol or phone number with the same rule) and generic triggers.
-- Every function pins `search_path = ''` and qualifies names, as Supabase's linter asks, so a
-- caller's search_path can never redirect what a security-definer function touches.
--
-- Access model for every public table (policies sit next to each table): RLS enabled; policies are
-- `to authenticated` and compare `(select auth.uid())` (evaluated once per statement, not per row)
-- with an indexed owner column; anon has no policy, so it sees nothing; service_role bypasses RLS.
-- RLS is enabled, not forced: the owner (postgres) is the role migrations and the workers' direct
-- connections use and the one security-definer triggers run as; the roles a browser can reach
-- (anon, authenticated) never own anything, so forcing would add no protection, only breakage.
-- Grants stay Supabase's defaults (all to anon/authenticated/service_role, narrowed by RLS), except
-- that column-level or privilege revokes below say why where a user must not write a column.

-- Same pattern as alerts.symbol and @tradeassist/core tickerSchema: upper case, share classes keep
-- their dot (BRK.B).
create function public.is_ticker(p_symbol text) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select p_symbol ~ '^[A-Z][A-Z0-9]{0,9}([.\-/][A-Z0-9]{1,4})?$'
$$;

-- E.164: '+', a country code that does not start with 0, at most 15 digits in all.
create function public.is_e164(p_phone text) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select p_phone ~ '^\+[1-9][0-9]{6,14}$'
$$;

-- A zone name known to this server's IANA tz database ('America/New_York', 'UTC'); refuses POSIX
-- offset strings ('UTC+5' means five hours west, which surprises everyone) and typos.
-- Stable, not immutable: it reads the catalog, which only changes with a server upgrade.
create function public.is_iana_timezone(p_tz text) returns boolean
language sql stable parallel safe set search_path = '' as $$
  select p_tz ~ '^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$'
     and exists (select 1 from pg_catalog.pg_timezone_names where name = p_tz)
$$;

-- Delivery channels, as used by rules.channels, profiles.channels and alert_deliveries.channel.
create function public.is_channel_list(p_channels text[]) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select p_channels <@ array['sms', 'push', 'web']::text[]
     and cardinality(p_channels) = (select count(distinct c) from unnest(p_channels) as c)
     and array_position(p_channels, null) is null
$$;

-- updated_at maintained by the database, so no writer can forget it or lie about it.
create function public.set_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

-- Statuses of an outbound message (Twilio's lifecycle, reduced): a message only moves forward.
-- queued -> sent -> delivered, and failed/undelivered end it; 'received' is an inbound message.
-- Status callbacks can arrive out of order, so writers update with
--   where public.message_status_rank(status) < public.message_status_rank($new)
-- and the trigger below refuses anything that would move a row backwards.
create function public.message_status_rank(p_status text) returns integer
language sql immutable parallel safe set search_path = '' as $$
  select case p_status
    when 'queued' then 0
    when 'sent' then 1
    when 'delivered' then 2
    when 'failed' then 2
    when 'undelivered' then 2
    when 'received' then 2
  end
$$;

create function public.enforce_forward_status() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status is distinct from old.status
     and public.message_status_rank(new.status) <= public.message_status_rank(old.status) then
    raise exception '%: status cannot move from % to % (row %)', tg_table_name, old.status, new.status, old.id
      using errcode = 'check_violation',
            hint = 'statuses only move forward: queued -> sent -> delivered | failed | undelivered';
  end if;
  return new;
end $$;
