-- Notifications: the alert dispatcher's durable cursor, digest bookkeeping on alert_deliveries and
-- the index the notifier's per-user look-ups need.

-- One row per dispatcher (by name): the highest alert id below which every committed alert has been
-- looked at. On start and after a lost LISTEN connection the dispatcher resumes above it; starting
-- the same alert twice is harmless (the workflow id is the alert id), so the cursor may lag.
create table public.notification_cursors (
  name text primary key check (length(name) between 1 and 100),
  last_alert_id bigint not null default 0 check (last_alert_id >= 0),
  updated_at timestamptz not null default now()
);
create trigger notification_cursors_set_updated_at before update on public.notification_cursors
  for each row execute function public.set_updated_at();
-- Workers only (service role bypasses RLS); no policy, so no browser role reads or writes it.
alter table public.notification_cursors enable row level security;

-- An SMS delivery that went out inside a digest (several alerts in one message) names the digest;
-- null: the alert had its own message. The per-user SMS rate limit counts digests once.
alter table public.alert_deliveries
  add column digest_key text check (length(digest_key) between 1 and 200);
-- The policy reads a user's recent SMS deliveries (rate limit, digest window) on every alert.
create index alert_deliveries_user_sms_recent_idx on public.alert_deliveries (user_id, created_at desc)
  where channel = 'sms';

-- The dispatcher's filter for market-wide alerts joins watched symbols to the profiles that want
-- SMS or push; watchlist_symbols_symbol_idx (symbol) already serves it.

-- The inbound hand-off mark the sweeper reads (sms_messages.handed_off_at) and its partial index
-- come with the SMS-edge migration 20261122000100_sms_delivery.sql.
