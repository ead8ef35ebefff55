-- Intraday 1-minute bars, written by the screener (service role) as each minute closes and read by
-- the dashboard's symbol page (candles, VWAP, volume, key numbers). Market data, not personal data:
-- every signed-in user reads every row; nobody but the service role writes.
--
-- Size: up to ~10,000 symbols x 960 minutes (4:00-20:00 New York) a day, in practice a few million
-- rows a day, so the table is kept short by purge_old_intraday_bars (default: 10 days) and read by
-- its primary key (one symbol, one day = one index range).
create table public.intraday_bars (
  symbol text not null constraint intraday_bars_symbol_format check (public.is_ticker(symbol)),
  -- the minute's start (UTC); bars cover [ts, ts + 1 minute)
  ts timestamptz not null constraint intraday_bars_ts_minute check (date_trunc('minute', ts) = ts),
  open numeric(20, 9) not null check (open > 0),
  high numeric(20, 9) not null check (high > 0),
  low numeric(20, 9) not null check (low > 0),
  close numeric(20, 9) not null check (close > 0),
  volume bigint not null check (volume >= 0),
  -- the bar's own volume-weighted average price (sum of price x size / volume); the session VWAP is
  -- the volume-weighted mean of these from the regular open. Null only for a bar without volume.
  vwap numeric(20, 9) check (vwap > 0),
  trade_count integer not null check (trade_count >= 0),
  primary key (symbol, ts),
  constraint intraday_bars_ohlc_range check (low <= least(open, close) and high >= greatest(open, close)),
  constraint intraday_bars_vwap_volume check ((vwap is null) = (volume = 0))
);
-- Retention deletes by time across symbols; rows arrive in time order, so a BRIN index is enough
-- and costs next to nothing on the insert path.
create index intraday_bars_ts_brin on public.intraday_bars using brin (ts);

alter table public.intraday_bars enable row level security;
create policy intraday_bars_select_signed_in on public.intraday_bars for select to authenticated using (true);
-- RLS already refuses writes without a policy; taking the privileges away says so in the catalog too.
revoke insert, update, delete on public.intraday_bars from anon, authenticated;

-- Retention, in batches like purge_old_alerts: bars older than N days go. One batch; returns how
-- many rows it deleted (0: done).
create function public.purge_old_intraday_bars_batch(p_older_than_days integer default 10, p_batch_size integer default 50000)
returns integer
language plpgsql set search_path = '' as $$
declare
  v_deleted integer;
begin
  if p_older_than_days is null or p_older_than_days < 1 or p_batch_size is null or p_batch_size < 1 then
    raise exception 'purge_old_intraday_bars_batch: need older_than_days >= 1 and batch_size >= 1, got % and %',
      p_older_than_days, p_batch_size using errcode = 'invalid_parameter_value';
  end if;
  with doomed as (
    select b.symbol, b.ts
    from public.intraday_bars b
    where b.ts < now() - make_interval(days => p_older_than_days)
    limit p_batch_size
    for update skip locked
  )
  delete from public.intraday_bars b using doomed where b.symbol = doomed.symbol and b.ts = doomed.ts;
  get diagnostics v_deleted = row_count;
  return v_deleted;
end $$;

-- All batches, committing after each: `call public.purge_old_intraday_bars(10);` outside a
-- transaction block (pg_cron on hosted Supabase, or a worker). No SET clause: a procedure with one
-- cannot COMMIT; every name below is schema-qualified instead.
create procedure public.purge_old_intraday_bars(p_older_than_days integer default 10, p_batch_size integer default 50000)
language plpgsql as $$
declare
  v_deleted integer;
begin
  loop
    v_deleted := public.purge_old_intraday_bars_batch(p_older_than_days, p_batch_size);
    exit when v_deleted = 0;
    commit;
  end loop;
end $$;

revoke execute on function public.purge_old_intraday_bars_batch(integer, integer) from public, anon, authenticated;
revoke execute on procedure public.purge_old_intraday_bars(integer, integer) from public, anon, authenticated;
grant execute on function public.purge_old_intraday_bars_batch(integer, integer) to service_role;
grant execute on procedure public.purge_old_intraday_bars(integer, integer) to service_role;
