-- One row per alert, user and channel that the notifier decided to send: the unique key makes a
-- retried notification workflow idempotent, and the forward-only status keeps late provider
-- callbacks from undoing a delivery receipt.
create table public.alert_deliveries (
  id bigint generated always as identity primary key,
  alert_id bigint not null references public.alerts (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  channel text not null check (channel in ('sms', 'push', 'web')),
  -- Twilio MessageSid, push service message id, ...: what the provider's callbacks quote back.
  provider_id text check (length(provider_id) between 1 and 200),
  status text not null default 'queued'
    check (status in ('queued', 'sent', 'delivered', 'failed', 'undelivered')),
  error text check (length(error) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint alert_deliveries_alert_user_channel_key unique (alert_id, user_id, channel)
);
create index alert_deliveries_user_id_idx on public.alert_deliveries (user_id, created_at desc);
create unique index alert_deliveries_provider_id_idx on public.alert_deliveries (channel, provider_id)
  where provider_id is not null;

create trigger alert_deliveries_forward_status before update of status on public.alert_deliveries
  for each row execute function public.enforce_forward_status();
create trigger alert_deliveries_set_updated_at before update on public.alert_deliveries
  for each row execute function public.set_updated_at();

-- The trader sees where each of their alerts went; only workers write.
alter table public.alert_deliveries enable row level security;
create policy alert_deliveries_select_own on public.alert_deliveries for select to authenticated
  using (user_id = (select auth.uid()));
