-- User rules: a definition (compiled by the screener's rule compiler) plus how often and where it
-- may alert. `version` is bumped by the database on every real change so the screener can tell a
-- stale compiled rule from a fresh one; every change is announced on the `rules_changed` channel.
create table public.rules (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 80),
  definition jsonb not null constraint rules_definition_object check (jsonb_typeof(definition) = 'object'),
  enabled boolean not null default true,
  cooldown_seconds integer not null default 300 check (cooldown_seconds between 0 and 86400),
  channels text[] not null default array['web']::text[]
    constraint rules_channels_valid check (public.is_channel_list(channels)),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint rules_user_name_key unique (user_id, name)
);
-- The screener loads every enabled rule at start.
create index rules_enabled_idx on public.rules (user_id) where enabled;

-- The version is the database's: an insert starts at 1, a change adds 1, an update that changes
-- nothing keeps it (so an idempotent save does not make the screener recompile).
create function public.rules_bump_version() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    new.version := 1;
  elsif (new.name, new.definition, new.enabled, new.cooldown_seconds, new.channels, new.user_id)
        is distinct from (old.name, old.definition, old.enabled, old.cooldown_seconds, old.channels, old.user_id) then
    new.version := old.version + 1;
    new.updated_at := now();
  else
    new.version := old.version;
    new.updated_at := old.updated_at;
  end if;
  return new;
end $$;
create trigger rules_bump_version before insert or update on public.rules
  for each row execute function public.rules_bump_version();

-- Payload: {"op":"INSERT|UPDATE|DELETE","id":"<uuid>","user_id":"<uuid>","version":N}; small and
-- fixed-size, the listener re-reads the row (a deleted rule has no row: drop it).
create function public.rules_notify() returns trigger
language plpgsql set search_path = '' as $$
declare
  r public.rules := case when tg_op = 'DELETE' then old else new end;
begin
  if tg_op = 'UPDATE' and new.version = old.version then
    return null;
  end if;
  perform pg_notify('rules_changed',
    json_build_object('op', tg_op, 'id', r.id, 'user_id', r.user_id, 'version', r.version)::text);
  return null;
end $$;
create trigger rules_notify after insert or update or delete on public.rules
  for each row execute function public.rules_notify();

-- Rule alerts point at their rule. A rule deleted while the screener still had it compiled must not
-- fail the AlertWriter's whole batch on the foreign key: the trigger below drops such an alert
-- (the trader deleted the rule, so its alert is unwanted) and fills in / checks the owner.
alter table public.alerts
  add constraint alerts_rule_id_fkey foreign key (rule_id) references public.rules (id) on delete set null;
create index alerts_rule_id_idx on public.alerts (rule_id) where rule_id is not null;

-- Security invoker: only the service role (which bypasses RLS) and the owner insert alerts.
create function public.alerts_check_rule() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_owner uuid;
begin
  if new.rule_id is null then
    return new;
  end if;
  select r.user_id into v_owner from public.rules r where r.id = new.rule_id;
  if not found then
    return null;
  end if;
  if new.user_id is null then
    new.user_id := v_owner;
  elsif new.user_id <> v_owner then
    -- A screener bug: publishing it would show one user's rule alert to another.
    raise exception 'alert % names rule % owned by %, not by user %', new.dedupe_key, new.rule_id, v_owner, new.user_id
      using errcode = 'check_violation';
  end if;
  return new;
end $$;
revoke execute on function public.alerts_check_rule() from public, anon, authenticated;
-- Only rule alerts pay for the lookup: market-wide alerts (the screener's bulk) skip the trigger.
create trigger alerts_check_rule before insert on public.alerts
  for each row when (new.rule_id is not null) execute function public.alerts_check_rule();

alter table public.rules enable row level security;
create policy rules_select_own on public.rules for select to authenticated
  using (user_id = (select auth.uid()));
create policy rules_insert_own on public.rules for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy rules_update_own on public.rules for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy rules_delete_own on public.rules for delete to authenticated
  using (user_id = (select auth.uid()));
