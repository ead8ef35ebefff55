// The state of each component for GET /api/health: database (a query), screener and feed (the
// screener's heartbeat row, else its /health URL), workflows (Temporal namespace + the workflow
// worker's heartbeat, else its /health URL). A worker counts as up when it beat within 15 s.

import { db } from './db.ts';
import { getEnv } from './env.ts';
import { temporalConnection } from './temporal.ts';

export const HEARTBEAT_FRESH_SECONDS = 15;
const CHECK_TIMEOUT_MS = 4000;

export type ComponentName = 'database' | 'screener' | 'feed' | 'workflows';

export interface ComponentHealth {
  status: 'up' | 'down';
  detail: string;
  latency_ms?: number;
  [key: string]: unknown;
}

export interface HealthReport {
  status: 'up' | 'down';
  profile: string;
  checked_at: string;
  components: Record<ComponentName, ComponentHealth>;
}

interface HeartbeatRow {
  worker_id: string;
  shard: number | null;
  shard_count: number | null;
  age_s: number;
  details: Record<string, unknown>;
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(
      () => reject(new Error(`${what}: no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function database(): Promise<ComponentHealth> {
  const t0 = performance.now();
  try {
    await withTimeout(db()`select 1`, 'database');
    return { status: 'up', detail: 'query ok', latency_ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { status: 'down', detail: message(e) };
  }
}

/** Live (not stopped) heartbeats of `kind` seen within the freshness window; null without the table. */
async function heartbeats(kind: string): Promise<HeartbeatRow[] | null> {
  const sql = db();
  const [t] = await sql<
    { exists: boolean }[]
  >`select to_regclass('public.worker_heartbeats') is not null as exists`;
  if (!t?.exists) return null;
  return sql<HeartbeatRow[]>`
    select worker_id, shard, shard_count, extract(epoch from now() - last_seen)::float8 as age_s, details
      from public.worker_heartbeats
     where kind = ${kind}
       and last_seen > now() - make_interval(secs => ${HEARTBEAT_FRESH_SECONDS})
       and coalesce(details ->> 'state', 'running') <> 'stopped'
     order by last_seen desc`;
}

async function probe(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(new URL('/health', url), {
    cache: 'no-store',
    signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`${url}/health answered HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

interface FeedDetails {
  state?: string;
  source?: string;
  records?: number;
  last_record_at?: string | null;
  last_event?: string | null;
}

function feedFrom(feeds: { worker: string; feed: FeedDetails | undefined }[]): ComponentHealth {
  if (feeds.length === 0) return { status: 'down', detail: 'no screener is running, so no feed' };
  const bad = feeds.filter((f) => f.feed?.state !== 'streaming');
  const sources = [...new Set(feeds.map((f) => f.feed?.source).filter(Boolean))];
  if (bad.length === 0) {
    const records = feeds.reduce((n, f) => n + (f.feed?.records ?? 0), 0);
    // The newest record any shard has seen: the status page shows the feed's lag from it.
    const last_record_at =
      feeds
        .map((f) => f.feed?.last_record_at ?? null)
        .filter((t): t is string => t !== null)
        .sort()
        .at(-1) ?? null;
    return { status: 'up', detail: `streaming from ${sources.join(', ')}`, records, last_record_at };
  }
  return {
    status: 'down',
    detail: bad
      .map(
        (f) =>
          `${f.worker}: feed ${f.feed?.state ?? 'unknown'}${f.feed?.last_event ? ` (${f.feed.last_event})` : ''}`,
      )
      .join('; '),
  };
}

async function screenerAndFeed(): Promise<[ComponentHealth, ComponentHealth]> {
  const env = getEnv();
  let rows: HeartbeatRow[] | null = null;
  let dbError: string | undefined;
  try {
    rows = await withTimeout(heartbeats('screener'), 'screener heartbeats');
  } catch (e) {
    dbError = message(e);
  }
  if (rows && rows.length > 0) {
    const shards = rows.map((r) => (r.shard_count ? `${r.shard}/${r.shard_count}` : 'all'));
    const screener: ComponentHealth = {
      status: 'up',
      detail: `${rows.length} worker(s) beat within ${HEARTBEAT_FRESH_SECONDS} s`,
      workers: rows.map((r) => ({ worker_id: r.worker_id, age_s: Math.round(r.age_s * 10) / 10 })),
      shards,
    };
    return [
      screener,
      feedFrom(rows.map((r) => ({ worker: r.worker_id, feed: r.details.feed as FeedDetails }))),
    ];
  }
  if (env.SCREENER_HEALTH_URL) {
    try {
      const h = await probe(env.SCREENER_HEALTH_URL);
      return [
        { status: 'up', detail: `${env.SCREENER_HEALTH_URL}/health ok (no heartbeat row)` },
        feedFrom([{ worker: String(h.worker_id ?? 'screener'), feed: h.feed as FeedDetails }]),
      ];
    } catch (e) {
      const down: ComponentHealth = { status: 'down', detail: message(e) };
      return [down, { status: 'down', detail: 'screener unreachable, feed unknown' }];
    }
  }
  const why =
    dbError ??
    (rows === null
      ? 'worker_heartbeats table missing'
      : `no screener heartbeat within ${HEARTBEAT_FRESH_SECONDS} s`);
  return [
    { status: 'down', detail: why },
    { status: 'down', detail: 'no screener is running, so no feed' },
  ];
}

async function workflows(): Promise<ComponentHealth> {
  const env = getEnv();
  const t0 = performance.now();
  try {
    const connection = await withTimeout(temporalConnection(), 'Temporal connection');
    await withTimeout(
      connection.workflowService.describeNamespace({ namespace: env.TEMPORAL_NAMESPACE }),
      'Temporal describeNamespace',
    );
  } catch (e) {
    return { status: 'down', detail: `Temporal at ${env.TEMPORAL_ADDRESS}: ${message(e)}` };
  }
  const latency_ms = Math.round(performance.now() - t0);
  let rows: HeartbeatRow[] | null = null;
  try {
    rows = await withTimeout(heartbeats('workflows'), 'workflow worker heartbeats');
  } catch {
    rows = null;
  }
  if (rows && rows.length > 0) {
    return {
      status: 'up',
      detail: `namespace ${env.TEMPORAL_NAMESPACE} ok; ${rows.length} worker(s) alive`,
      latency_ms,
    };
  }
  if (env.WORKFLOW_WORKER_HEALTH_URL) {
    try {
      await probe(env.WORKFLOW_WORKER_HEALTH_URL);
      return {
        status: 'up',
        detail: `namespace ${env.TEMPORAL_NAMESPACE} ok; worker /health ok`,
        latency_ms,
      };
    } catch (e) {
      return { status: 'down', detail: `Temporal ok, but the workflow worker: ${message(e)}` };
    }
  }
  return {
    status: 'down',
    detail: `Temporal ok, but no workflow worker beat within ${HEARTBEAT_FRESH_SECONDS} s`,
  };
}

export async function healthReport(): Promise<HealthReport> {
  const [database_, [screener, feed], workflows_] = await Promise.all([
    database(),
    screenerAndFeed(),
    workflows(),
  ]);
  const components = { database: database_, screener, feed, workflows: workflows_ };
  const up = Object.values(components).every((c) => c.status === 'up');
  return {
    status: up ? 'up' : 'down',
    profile: getEnv().profile,
    checked_at: new Date().toISOString(),
    components,
  };
}
