-- Liveness of the long-running processes, for /api/health and the dashboard's status line. Each
-- worker upserts its row every few seconds (`on conflict (worker_id) do update set last_seen`).
create table public.worker_heartbeats (
  worker_id text primary key check (length(worker_id) between 1 and 200),
  kind text not null check (kind ~ '^[a-z][a-z0-9_-]{0,39}$'),
  -- Screener shards: shard k of shard_count (--shard k/N); null for unsharded workers.
  shard integer,
  shard_count integer,
  started_at timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  constraint worker_heartbeats_shard_range check (
    (shard is null and shard_count is null) or (shard_count >= 1 and shard >= 0 and shard < shard_count)),
  constraint worker_heartbeats_seen_after_start check (last_seen >= started_at)
);
create index worker_heartbeats_kind_idx on public.worker_heartbeats (kind, last_seen desc);

-- Operational status, not personal data: every signed-in user may see it; only workers write.
alter table public.worker_heartbeats enable row level security;
create policy worker_heartbeats_select_signed_in on public.worker_heartbeats for select to authenticated
  using (true);
