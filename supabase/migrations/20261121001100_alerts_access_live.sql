-- Who may read alerts, how a new alert reaches open dashboards, and how old ones go away.

-- Market-wide alerts (user_id null) are for every signed-in user; a rule alert only for its owner.
-- Only workers (service role) write alerts.
alter table public.alerts enable row level security;
create policy alerts_select_market_or_own on public.alerts for select to authenticated
  using (user_id is null or user_id = (select auth.uid()));

-- Live push. Every committed alert is announced twice, for the two deployment profiles:
--  (a) pg_notify('alerts_live', payload): the local stack's SSE relay LISTENs to it. One trigger
--      call per statement, in one of two forms by the statement's size:
--      - up to 100 rows (the live trickle, where latency matters): the whole alerts, packed in id
--        order into JSON arrays `[{...},{...}]` of at most ~7000 bytes each (NOTIFY payloads must
--        stay under 8000 bytes). An alert of 1000 bytes or more goes in an array of its own, and
--        one too large for any array (a huge `details`) is announced as {"id": "<id>"} only: the
--        relay reads the row. The relay forwards these without touching the database.
--      - more rows (a burst, a replay: throughput matters): only the ids, as ranges,
--        `{"ids":"41-87,90,93-120"}`, at most 150 ranges per notification; the relay reads the
--        rows (one query per notification, none while nobody is connected). Building each alert's
--        JSON here costs ~2.5 us of database CPU per row (~10% of an insert, measured with the
--        AlertWriter bench) and at 50,000 alerts/s would push ~10 MB/s through the NOTIFY queue;
--        reading the rows back costs the relay one query (measured: SSE latency p50 6 -> 12 ms on
--        a loaded machine), which is why small statements keep the whole alerts. Concurrent
--        inserts draw ids from one sequence, so a statement's ids interleave with another's:
--        ranges, not a single min-max.
--  (b) realtime.send(payload, 'alert', topic, true) where Supabase Realtime exists (hosted): one
--      private broadcast per alert on `alerts:market` (market-wide) or `alerts:user:<uuid>` (rule
--      alerts), authorised by the policy on realtime.messages below. Looked up once per statement
--      rather than at migration time so the same function runs on plain Postgres (no realtime).
-- Notifications are delivered at commit, so a rolled-back insert announces nothing and the rows are
-- visible to the relay's query; rows skipped by `on conflict do nothing` are not in the transition
-- table, so a replay announces nothing either. Notifications go out in id order within a statement;
-- an alert of its own can come before the array holding its lower-id neighbours (a client orders by
-- id anyway: ids are not committed in order).
-- price is printed without trailing zeros (482.15, not 482.150000000), as in the alert contract.
create function public.alerts_publish() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_id bigint;
  v_msg text;
  v_len integer;
  v_buf text := '';
  v_buf_len integer := 0;
  v_ids text;
  v_row record;
begin
  if (select count(*) from (select 1 from new_rows limit 101) x) <= 100 then
    -- One pass in id order, packing small alerts into the open array and sending it once it holds
    -- 6000 bytes or more (so it stays under 6000 + 1 + 1000 + 2 bytes). The JSON is concatenated:
    -- the same text row_to_json printed. symbol, type and session are plain ASCII by their check
    -- constraints, uuids and numbers need no quoting, details is jsonb, and the free-form
    -- dedupe_key and the timestamp go through to_json.
    for v_id, v_msg in
      select n.id,
             '{"id":"' || n.id || '","user_id":' || coalesce('"' || n.user_id || '"', 'null')
               || ',"rule_id":' || coalesce('"' || n.rule_id || '"', 'null')
               || ',"symbol":"' || n.symbol || '","type":"' || n.type || '","ts_event":"' || n.ts_event
               || '","price":"' || trim_scale(n.price) || '","session":"' || n.session
               || '","score":' || n.score || ',"details":' || n.details
               || ',"dedupe_key":' || to_json(n.dedupe_key) || ',"created_at":' || to_json(n.created_at) || '}'
      from new_rows n
      order by n.id
    loop
      v_len := octet_length(v_msg);
      if v_len >= 1000 then
        perform pg_notify('alerts_live', case when v_len < 7998 then '[' || v_msg || ']'
                                              else json_build_object('id', v_id::text)::text end);
      elsif v_buf_len = 0 then
        v_buf := v_msg;
        v_buf_len := v_len;
      else
        v_buf := v_buf || ',' || v_msg;
        v_buf_len := v_buf_len + 1 + v_len;
      end if;
      if v_buf_len >= 6000 then
        perform pg_notify('alerts_live', '[' || v_buf || ']');
        v_buf := '';
        v_buf_len := 0;
      end if;
    end loop;
    if v_buf_len > 0 then
      perform pg_notify('alerts_live', '[' || v_buf || ']');
    end if;
  else
    -- Gaps and islands: consecutive ids share id - row_number(); each island is one range.
    for v_ids in
      select string_agg(case when c.lo = c.hi then c.lo::text else c.lo || '-' || c.hi end, ',' order by c.lo)
      from (
        select r.lo, r.hi, (row_number() over (order by r.lo) - 1) / 150 as chunk
        from (
          select min(s.id) as lo, max(s.id) as hi
          from (select n.id, n.id - row_number() over (order by n.id) as island from new_rows n) s
          group by s.island
        ) r
      ) c
      group by c.chunk
      order by c.chunk
    loop
      perform pg_notify('alerts_live', '{"ids":"' || v_ids || '"}');
    end loop;
  end if;

  if to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    for v_row in
      select n.id, n.user_id, jsonb_build_object(
        'id', n.id::text,
        'user_id', n.user_id,
        'rule_id', n.rule_id,
        'symbol', n.symbol,
        'type', n.type,
        'ts_event', n.ts_event::text,
        'price', trim_scale(n.price)::text,
        'session', n.session,
        'score', n.score,
        'details', n.details,
        'dedupe_key', n.dedupe_key,
        'created_at', n.created_at
      ) as payload
      from new_rows n order by n.id
    loop
      begin
        execute 'select realtime.send($1, $2, $3, $4)'
          using v_row.payload, 'alert',
                case when v_row.user_id is null then 'alerts:market' else 'alerts:user:' || v_row.user_id::text end,
                true;
      exception when others then
        -- The alert is already safe in this table (dashboards re-read it on reconnect); a broadcast
        -- hiccup must not make the screener's batch fail and retry.
        raise warning 'alerts_publish: realtime.send failed for alert %: %', v_row.id, sqlerrm;
      end;
    end loop;
  end if;
  return null;
end $$;
revoke execute on function public.alerts_publish() from public, anon, authenticated;
create trigger alerts_publish after insert on public.alerts
  referencing new table as new_rows
  for each statement execute function public.alerts_publish();

-- Realtime authorisation (hosted Supabase only): a signed-in user may receive broadcasts on
-- `alerts:market` and on their own `alerts:user:<uuid>` topic, nothing else. Plain Postgres has no
-- realtime schema, so the policy is created only where realtime.messages exists.
-- realtime-policy:begin
do $$
begin
  if to_regclass('realtime.messages') is not null then
    execute 'drop policy if exists alerts_live_receive on realtime.messages';
    execute $policy$
      create policy alerts_live_receive on realtime.messages for select to authenticated
      using (
        realtime.messages.extension = 'broadcast'
        and (select realtime.topic()) in ('alerts:market', 'alerts:user:' || (select auth.uid())::text)
      )
    $policy$;
  end if;
end $$;
-- realtime-policy:end

-- Retention: market-wide alerts older than N days go, in batches so no single statement holds
-- locks on (or writes WAL for) a year of alerts at once. Rule alerts stay with their owner, and
-- an alert a trade or a delivery refers to stays for the journal and the delivery log.
-- One batch; returns how many rows it deleted (0: done).
create function public.purge_old_alerts_batch(p_older_than_days integer default 30, p_batch_size integer default 5000)
returns integer
language plpgsql set search_path = '' as $$
declare
  v_deleted integer;
begin
  if p_older_than_days is null or p_older_than_days < 1 or p_batch_size is null or p_batch_size < 1 then
    raise exception 'purge_old_alerts_batch: need older_than_days >= 1 and batch_size >= 1, got % and %',
      p_older_than_days, p_batch_size using errcode = 'invalid_parameter_value';
  end if;
  with doomed as (
    select a.id
    from public.alerts a
    where a.user_id is null
      and a.created_at < now() - make_interval(days => p_older_than_days)
      and not exists (select 1 from public.trades t where t.alert_id = a.id)
      and not exists (select 1 from public.alert_deliveries d where d.alert_id = a.id)
    order by a.id -- oldest first (the identity grows with insert order)
    limit p_batch_size
    for update skip locked
  )
  delete from public.alerts a using doomed where a.id = doomed.id;
  get diagnostics v_deleted = row_count;
  return v_deleted;
end $$;

-- All batches, committing after each: `call public.purge_old_alerts(30);` outside a transaction
-- block (pg_cron on hosted Supabase, or a worker). No SET clause: a procedure with one cannot
-- COMMIT; every name below is schema-qualified instead.
create procedure public.purge_old_alerts(p_older_than_days integer default 30, p_batch_size integer default 5000)
language plpgsql as $$
declare
  v_deleted integer;
begin
  loop
    v_deleted := public.purge_old_alerts_batch(p_older_than_days, p_batch_size);
    exit when v_deleted = 0;
    commit;
  end loop;
end $$;

revoke execute on function public.purge_old_alerts_batch(integer, integer) from public, anon, authenticated;
revoke execute on procedure public.purge_old_alerts(integer, integer) from public, anon, authenticated;
grant execute on function public.purge_old_alerts_batch(integer, integer) to service_role;
grant execute on procedure public.purge_old_alerts(integer, integer) to service_role;
