-- Reference market data: the instrument list and daily bars the screener needs for gaps (prior
-- close) and relative volume (20-day average). Written by workers (service role), readable by every
-- signed-in user (it is market data, not personal data).

-- Keyed by symbol: Databento's instrument_id is per publisher and may be reassigned between
-- sessions, while everything else in the product (watchlists, rules, trades) names symbols.
create table public.instruments (
  symbol text primary key constraint instruments_symbol_format check (public.is_ticker(symbol)),
  instrument_id bigint check (instrument_id between 0 and 4294967295),
  exchange text check (length(exchange) between 1 and 16),
  name text check (length(name) <= 200),
  active boolean not null default true,
  updated_at timestamptz not null default now()
);
create index instruments_instrument_id_idx on public.instruments (instrument_id);
create trigger instruments_set_updated_at before update on public.instruments
  for each row execute function public.set_updated_at();

-- One regular-session bar per symbol and exchange trading day (America/New_York date).
create table public.daily_bars (
  symbol text not null constraint daily_bars_symbol_format check (public.is_ticker(symbol)),
  trade_date date not null,
  open numeric(20, 9) not null check (open > 0),
  high numeric(20, 9) not null check (high > 0),
  low numeric(20, 9) not null check (low > 0),
  close numeric(20, 9) not null check (close > 0),
  volume bigint not null check (volume >= 0),
  primary key (symbol, trade_date),
  constraint daily_bars_ohlc_range check (low <= least(open, close) and high >= greatest(open, close))
);
-- "All symbols as of a date" reads a date range across symbols.
create index daily_bars_trade_date_idx on public.daily_bars (trade_date);

-- Prior close and 20-day average volume per symbol, as of the start of trading day p_as_of:
-- only bars strictly before p_as_of count (DOMAIN.md: prior close = the previous trading day's
-- close; average volume = mean of the last 20 trading days). The look-back is bounded to 45
-- calendar days (20 trading days span at most ~30) so the query reads an index range rather than
-- all history; a symbol without a bar in that window has no usable reference and is left out.
-- volume_days < 20 tells a caller the average rests on fewer days (a recent listing).
create function public.daily_reference(p_as_of date, p_symbols text[] default null)
returns table (symbol text, prior_date date, prior_close numeric, avg_volume_20 numeric, volume_days integer)
language sql stable set search_path = '' as $$
  with ranked as (
    select b.symbol, b.trade_date, b.close, b.volume,
           row_number() over (partition by b.symbol order by b.trade_date desc) as rn
    from public.daily_bars b
    where b.trade_date < p_as_of
      and b.trade_date >= p_as_of - 45
      and (p_symbols is null or b.symbol = any (p_symbols))
  )
  select r.symbol,
         max(r.trade_date) filter (where r.rn = 1),
         max(r.close) filter (where r.rn = 1),
         round(avg(r.volume), 2),
         count(*)::integer
  from ranked r
  where r.rn <= 20
  group by r.symbol
$$;

alter table public.instruments enable row level security;
alter table public.daily_bars enable row level security;
create policy instruments_select_signed_in on public.instruments for select to authenticated using (true);
create policy daily_bars_select_signed_in on public.daily_bars for select to authenticated using (true);
