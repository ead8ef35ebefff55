-- Alerts: market-wide ones (user_id null, from the built-in detectors) and rule alerts owned by a
-- user. `dedupe_key` makes every write idempotent: a replay after a crash adds nothing.
create table public.alerts (
  id bigint generated always as identity primary key,
  user_id uuid references auth.users (id) on delete cascade,
  rule_id uuid,
  symbol text not null check (symbol ~ '^[A-Z][A-Z0-9]{0,9}([.\-/][A-Z0-9]{1,4})?$'),
  type text not null check (type in (
    'gap_up', 'gap_down', 'volume_spike', 'momentum_up', 'momentum_down', 'new_high_of_day',
    'new_low_of_day', 'vwap_cross_up', 'vwap_cross_down', 'rsi_overbought', 'rsi_oversold',
    'macd_cross_up', 'macd_cross_down', 'bollinger_break_up', 'bollinger_break_down', 'halt', 'resume',
    'rule')),
  ts_event bigint not null check (ts_event > 0),
  price numeric(20, 9) not null check (price >= 0),
  session text not null check (session in ('pre', 'regular', 'post')),
  score double precision not null check (score >= 0 and score <= 1),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  dedupe_key text not null check (length(dedupe_key) between 1 and 200),
  created_at timestamptz not null default now(),
  constraint alerts_dedupe_key_key unique (dedupe_key),
  constraint alerts_rule_has_owner check (type <> 'rule' or user_id is not null)
);
-- "Newest first" orders by id (the identity grows with insert order), so there is no b-tree on
-- created_at: each b-tree costs every insert a few microseconds (measured with the AlertWriter bench).
-- Time-range scans (retention, the status page's last-five-minutes count) use a BRIN index: rows are
-- appended in created_at order, so per-128-page min/max summaries find a range for almost nothing
-- at insert time (only the last, unsummarised range grows; autosummarize fills it in).
create index alerts_created_at_brin on public.alerts using brin (created_at) with (autosummarize = on);
create index alerts_symbol_ts_idx on public.alerts (symbol, ts_event desc);
create index alerts_user_id_idx on public.alerts (user_id) where user_id is not null;
