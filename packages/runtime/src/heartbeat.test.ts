import { Writable } from 'node:stream';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { describe, expect, it } from 'vitest';
import { startHeartbeat } from './heartbeat.ts';
import { createLogger } from './logger.ts';

const logger = createLogger({
  component: 'test',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

describe('worker heartbeats', () => {
  const db = useTestDatabase();

  it('upserts one row per worker with its shard and details, and marks it stopped', async () => {
    let records = 0;
    const hb = startHeartbeat({
      sql: db.sql,
      workerId: 'screener-test-1',
      kind: 'screener',
      shard: { index: 1, count: 4 },
      intervalMs: 60_000,
      logger,
      details: () => ({ feed: { state: 'streaming', records } }),
    });
    records = 42;
    expect(await hb.beat()).toBe(true);
    const rows = await db.sql`select worker_id, kind, shard, shard_count, details from worker_heartbeats`;
    expect(rows).toEqual([
      {
        worker_id: 'screener-test-1',
        kind: 'screener',
        shard: 1,
        shard_count: 4,
        details: { feed: { state: 'streaming', records: 42 }, state: 'running' },
      },
    ]);
    await hb.stop();
    const [row] =
      await db.sql`select details ->> 'state' as state, last_seen >= started_at as ordered from worker_heartbeats`;
    expect(row).toEqual({ state: 'stopped', ordered: true });
  });

  it('skips quietly while the table does not exist', async () => {
    await db.sql`alter table worker_heartbeats rename to worker_heartbeats_away`;
    try {
      const hb = startHeartbeat({
        sql: db.sql,
        workerId: 'w2',
        kind: 'workflows',
        intervalMs: 60_000,
        logger,
      });
      expect(await hb.beat()).toBe(false);
      expect(hb.lastBeatAt).toBeNull();
      await hb.stop();
    } finally {
      await db.sql`alter table worker_heartbeats_away rename to worker_heartbeats`;
    }
  });
});
