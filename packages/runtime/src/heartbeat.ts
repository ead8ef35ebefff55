// Worker heartbeats in `worker_heartbeats` (worker_id, kind, shard, shard_count, started_at,
// last_seen, details): how the dashboard's /api/health knows which workers are alive, across shards and
// machines, without reaching their ports. Skips quietly while the table does not exist yet.
import type { Logger } from 'pino';
import type { Sql } from 'postgres';

export interface HeartbeatOptions {
  sql: Sql;
  workerId: string;
  /** `screener`, `workflows`, ... */
  kind: string;
  /** Screener shard k of N (0-based k); absent for unsharded workers. */
  shard?: { index: number; count: number } | null;
  intervalMs?: number;
  /** State to publish with each beat (feed state, counters). */
  details?: () => Record<string, unknown>;
  logger: Logger;
}

export interface Heartbeat {
  /** Writes one beat now; resolves false when the table does not exist. */
  beat(): Promise<boolean>;
  /** Last successful beat, or null. */
  readonly lastBeatAt: Date | null;
  /** Stops the timer and records the worker as stopped. */
  stop(): Promise<void>;
}

export function startHeartbeat(opts: HeartbeatOptions): Heartbeat {
  const { sql, workerId, kind, logger } = opts;
  const shard = opts.shard?.index ?? null;
  const shardCount = opts.shard?.count ?? null;
  const startedAt = new Date();
  let lastBeatAt: Date | null = null;
  let missingLogged = false;
  let failing = false;
  let stopped = false;

  const write = async (state: 'running' | 'stopped'): Promise<boolean> => {
    const [{ exists }] =
      (await sql`select to_regclass('public.worker_heartbeats') is not null as exists`) as unknown as [
        { exists: boolean },
      ];
    if (!exists) {
      if (!missingLogged) logger.warn('worker_heartbeats table does not exist yet; heartbeats skipped');
      missingLogged = true;
      return false;
    }
    const details = sql.json({ ...opts.details?.(), state } as Parameters<typeof sql.json>[0]);
    await sql`
      insert into public.worker_heartbeats (worker_id, kind, shard, shard_count, started_at, last_seen, details)
      values (${workerId}, ${kind}, ${shard}, ${shardCount}, ${startedAt}, now(), ${details})
      on conflict (worker_id) do update
        set kind = excluded.kind, shard = excluded.shard, shard_count = excluded.shard_count,
            last_seen = excluded.last_seen, details = excluded.details`;
    lastBeatAt = new Date();
    return true;
  };

  const beat = async (): Promise<boolean> => {
    try {
      const ok = await write('running');
      if (failing) logger.info('heartbeat recovered');
      failing = false;
      return ok;
    } catch (err) {
      if (!failing) logger.error({ err }, 'heartbeat failed');
      failing = true;
      return false;
    }
  };

  const timer = setInterval(() => void beat(), opts.intervalMs ?? 5000);
  timer.unref();
  void beat();

  return {
    beat,
    get lastBeatAt() {
      return lastBeatAt;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      try {
        await write('stopped');
      } catch (err) {
        logger.warn({ err }, 'could not record the worker as stopped');
      }
    },
  };
}
