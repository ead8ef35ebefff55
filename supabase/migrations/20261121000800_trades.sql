-- Trades the trader reports (SMS or dashboard), followed by a workflow from entry to exit; the
-- journal (trade_events) is the timeline; price_triggers are the levels the screener watches.
-- The assistant never places orders: these rows record what the trader said they did.
create table public.trades (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  symbol text not null constraint trades_symbol_format check (public.is_ticker(symbol)),
  side text not null constraint trades_side_valid check (side in ('long', 'short')),
  quantity numeric(20, 6) not null constraint trades_quantity_positive check (quantity > 0),
  -- Shares already sold (long) or bought back (short) by partial exits ("sell half").
  exited_quantity numeric(20, 6) not null default 0
    -- greatest(): a bad quantity is reported by trades_quantity_positive, not here (checks run
    -- in name order and the first failure is the one the writer sees).
    constraint trades_exited_quantity_range check (exited_quantity >= 0 and exited_quantity <= greatest(quantity, 0)),
  entry numeric(20, 9) not null constraint trades_entry_positive check (entry > 0),
  -- The stop at entry: the risk basis for the R multiple (risk per share = |entry - stop|), so it
  -- stays put when the trader trails the stop (current_stop moves instead).
  stop numeric(20, 9) constraint trades_stop_positive check (stop > 0),
  target numeric(20, 9) constraint trades_target_positive check (target > 0),
  -- Where the stop is now; may pass the entry (a trailing stop at break-even or better), never the
  -- target. Null: still at `stop`.
  current_stop numeric(20, 9) constraint trades_current_stop_positive check (current_stop > 0),
  status text not null default 'open'
    constraint trades_status_valid check (status in ('pending', 'open', 'closed', 'cancelled')),
  -- A pending trade (not filled yet) is inserted with opened_at null.
  opened_at timestamptz default now(),
  closed_at timestamptz,
  -- The (volume-weighted, with partial exits) exit price of a closed trade.
  exit_price numeric(20, 9) constraint trades_exit_positive check (exit_price > 0),
  fees numeric(20, 6) not null default 0 check (fees >= 0),
  -- Computed by the trade workflow with exact decimals (partial exits and fees included).
  realized_pnl numeric(24, 9),
  r_multiple numeric(12, 4),
  workflow_id text check (length(workflow_id) between 1 and 200),
  -- The alert that led to the trade (journal), kept by the alert retention job.
  alert_id bigint references public.alerts (id) on delete set null,
  notes text check (length(notes) <= 4000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- long: stop < entry < target; short: target < entry < stop.
  constraint trades_stop_side check (
    stop is null or (side = 'long' and stop < entry) or (side = 'short' and stop > entry)),
  constraint trades_target_side check (
    target is null or (side = 'long' and target > entry) or (side = 'short' and target < entry)),
  constraint trades_current_stop_side check (
    current_stop is null or target is null
    or (side = 'long' and current_stop < target) or (side = 'short' and current_stop > target)),
  constraint trades_closed_has_exit check (
    status <> 'closed' or (exit_price is not null and closed_at is not null)),
  -- realized_pnl may grow while open (partial exits); the final exit price belongs to a closed trade.
  constraint trades_exit_only_when_closed check (status = 'closed' or exit_price is null),
  constraint trades_opened_has_time check (status not in ('open', 'closed') or opened_at is not null),
  constraint trades_closed_after_opened check (closed_at is null or opened_at is null or closed_at >= opened_at),
  constraint trades_id_user_key unique (id, user_id)
);
create index trades_user_status_idx on public.trades (user_id, status, opened_at desc);
-- "close NVDA" resolves the user's open trade in a symbol.
create index trades_open_symbol_idx on public.trades (user_id, symbol) where status in ('pending', 'open');
-- P&L for today / this week / this month.
create index trades_user_closed_idx on public.trades (user_id, closed_at desc) where status = 'closed';
create index trades_alert_id_idx on public.trades (alert_id) where alert_id is not null;
create trigger trades_set_updated_at before update on public.trades
  for each row execute function public.set_updated_at();

create table public.trade_events (
  id bigint generated always as identity primary key,
  trade_id uuid not null,
  user_id uuid not null,
  kind text not null check (kind in (
    'opened', 'stop_moved', 'target_moved', 'partial_exit', 'closed', 'cancelled', 'note', 'alert',
    'trigger_fired', 'question', 'answer', 'followup', 'result')),
  at timestamptz not null default now(),
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  -- Composite key: an event can only hang off a trade of the same user.
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade
);
create index trade_events_trade_at_idx on public.trade_events (trade_id, at);
-- A workflow step journals its event under an idempotency key (data.key): once per trade, even when
-- two attempts of the same activity race (a check-then-insert alone lets both through).
create unique index trade_events_trade_key_idx on public.trade_events (trade_id, (data->>'key'))
  where data ? 'key';
create index trade_events_user_id_idx on public.trade_events (user_id, at desc);

-- Levels the screener watches on trade prints. Every change is announced on
-- `price_triggers_changed` so the screener reloads without polling.
create table public.price_triggers (
  id uuid primary key default gen_random_uuid(),
  trade_id uuid,
  user_id uuid not null references auth.users (id) on delete cascade,
  symbol text not null constraint price_triggers_symbol_format check (public.is_ticker(symbol)),
  level numeric(20, 9) not null constraint price_triggers_level_positive check (level > 0),
  direction text not null check (direction in ('above', 'below')),
  kind text not null check (kind in ('stop', 'target', 'custom')),
  active boolean not null default true,
  fired_at timestamptz,
  fired_price numeric(20, 9) check (fired_price > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint price_triggers_trade_kinds check (kind = 'custom' or trade_id is not null),
  constraint price_triggers_fired_inactive check (fired_at is null or not active),
  -- Null trade_id (a custom level) skips the check (MATCH SIMPLE).
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade
);
-- What the screener loads: the active levels, by symbol.
create index price_triggers_active_symbol_idx on public.price_triggers (symbol) where active;
create index price_triggers_user_id_idx on public.price_triggers (user_id);
create index price_triggers_trade_id_idx on public.price_triggers (trade_id) where trade_id is not null;
-- One live stop and one live target per trade: moving a stop replaces the level, never adds one.
create unique index price_triggers_one_active_idx on public.price_triggers (trade_id, kind)
  where active and kind in ('stop', 'target');
create trigger price_triggers_set_updated_at before update on public.price_triggers
  for each row execute function public.set_updated_at();

-- Payload {"op","id","symbol","active"}: the screener re-reads that symbol's active levels.
create function public.price_triggers_notify() returns trigger
language plpgsql set search_path = '' as $$
declare
  r public.price_triggers := case when tg_op = 'DELETE' then old else new end;
begin
  perform pg_notify('price_triggers_changed',
    json_build_object('op', tg_op, 'id', r.id, 'symbol', r.symbol,
                      'active', case when tg_op = 'DELETE' then false else r.active end)::text);
  if tg_op = 'UPDATE' and old.symbol <> new.symbol then
    perform pg_notify('price_triggers_changed',
      json_build_object('op', tg_op, 'id', old.id, 'symbol', old.symbol, 'active', false)::text);
  end if;
  return null;
end $$;
create trigger price_triggers_notify after insert or update or delete on public.price_triggers
  for each row execute function public.price_triggers_notify();

alter table public.trades enable row level security;
create policy trades_select_own on public.trades for select to authenticated
  using (user_id = (select auth.uid()));
create policy trades_insert_own on public.trades for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy trades_update_own on public.trades for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy trades_delete_own on public.trades for delete to authenticated
  using (user_id = (select auth.uid()));

-- The journal is append-only for the trader (notes); corrections go through the workflow.
alter table public.trade_events enable row level security;
create policy trade_events_select_own on public.trade_events for select to authenticated
  using (user_id = (select auth.uid()));
create policy trade_events_insert_own on public.trade_events for insert to authenticated
  with check (user_id = (select auth.uid()));

alter table public.price_triggers enable row level security;
create policy price_triggers_select_own on public.price_triggers for select to authenticated
  using (user_id = (select auth.uid()));
create policy price_triggers_insert_own on public.price_triggers for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy price_triggers_update_own on public.price_triggers for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy price_triggers_delete_own on public.price_triggers for delete to authenticated
  using (user_id = (select auth.uid()));
