-- Web Push subscriptions (one per browser / installed PWA) for the `push` channel. The browser's
-- PushSubscription JSON is stored as its parts; the notifier drops a subscription when the push
-- service answers 404/410 (gone), and marks failures so a dead one can be pruned.
create table public.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  endpoint text not null constraint push_subscriptions_endpoint_https check (endpoint ~ '^https://' and length(endpoint) <= 2000),
  -- Base64url keys from PushSubscription.getKey(): the P-256 public key and the auth secret.
  p256dh text not null check (p256dh ~ '^[A-Za-z0-9_-]{80,100}={0,2}$'),
  auth text not null check (auth ~ '^[A-Za-z0-9_-]{16,32}={0,2}$'),
  user_agent text check (length(user_agent) <= 500),
  created_at timestamptz not null default now(),
  last_success_at timestamptz,
  last_failure_at timestamptz,
  failure_count integer not null default 0 check (failure_count >= 0),
  -- The same browser subscribing again updates its row: `on conflict (endpoint)`.
  constraint push_subscriptions_endpoint_key unique (endpoint)
);
create index push_subscriptions_user_id_idx on public.push_subscriptions (user_id);

-- The dashboard registers and removes its own browser's subscription; the notifier (service role)
-- reads them and records failures.
alter table public.push_subscriptions enable row level security;
create policy push_subscriptions_select_own on public.push_subscriptions for select to authenticated
  using (user_id = (select auth.uid()));
create policy push_subscriptions_insert_own on public.push_subscriptions for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy push_subscriptions_update_own on public.push_subscriptions for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy push_subscriptions_delete_own on public.push_subscriptions for delete to authenticated
  using (user_id = (select auth.uid()));
