// The screener worker process: environment, logs, health/metrics listener, Postgres, heartbeats,
// the market-data feed and graceful shutdown. The engine (screener -> alert writer) plugs into the
// feed loop's onBatch; everything here is what every deployment of the worker needs around it.
import { hostname } from 'node:os';
import { redactEnv } from '@tradeassist/config';
import { createDb } from '@tradeassist/db';
import { startHealthServer } from '@tradeassist/runtime/health-server';
import { startHeartbeat } from '@tradeassist/runtime/heartbeat';
import { createLogger } from '@tradeassist/runtime/logger';
import { createMetricsRegistry } from '@tradeassist/runtime/metrics';
import { createShutdown } from '@tradeassist/runtime/shutdown';
import { Counter } from 'prom-client';
import { env } from './env.ts';
import { runFeed } from './feed-loop.ts';
import { FeedStatus } from './feed-status.ts';

const logger = createLogger({ component: 'screener', level: env.LOG_LEVEL });

if (process.argv.length > 2) {
  process.stderr.write(
    `screener: unexpected arguments ${JSON.stringify(process.argv.slice(2))}; this worker build reads its ` +
      'settings from SCREENER_SOURCE and SCREENER_SHARD\n',
  );
  process.exit(2);
}

const shutdown = createShutdown({ logger });
/** Trades, top of book and trading status: what the detectors need when DATABENTO_SCHEMAS is unset. */
const DEFAULT_LIVE_SCHEMAS = ['mbp-1', 'status'] as const;
const shard = `${env.SCREENER_SHARD.index}/${env.SCREENER_SHARD.count}`;
const workerId = env.SCREENER_WORKER_ID ?? `screener-${hostname()}-${process.pid}`;
logger.info({ worker_id: workerId, env: redactEnv(env) }, 'starting');

const registry = createMetricsRegistry('screener');
const sql = createDb({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX, application: 'screener' });
const feed = new FeedStatus(env.SCREENER_SOURCE);

const heartbeat = startHeartbeat({
  sql,
  workerId,
  kind: 'screener',
  shard: env.SCREENER_SHARD,
  logger,
  details: () => ({ feed: feed.snapshot(), pid: process.pid }),
});

const health = await startHealthServer({
  component: 'screener',
  host: env.HEALTH_HOST,
  port: env.HEALTH_PORT,
  registry,
  logger,
  status: () => ({ worker_id: workerId, shard, feed: feed.snapshot() }),
  checks: {
    database: async () => {
      await sql`select 1`;
    },
  },
});

const recordsTotal = new Counter({
  name: 'ta_screener_feed_records_total',
  help: 'Market-data records received from the source',
  registers: [registry],
});

// Shutdown order: stop taking market data (the shutdown signal ends the feed loop), flush alerts
// (engine steps go here), then say goodbye in the heartbeat table, close the pool, and stop
// answering probes last.
const feedDone = runFeed({
  source: env.SCREENER_SOURCE,
  feed,
  signal: shutdown.signal,
  logger,
  ...(env.DATABENTO_API_KEY
    ? {
        databento: {
          apiKey: env.DATABENTO_API_KEY,
          dataset: env.DATABENTO_DATASET,
          schemas: env.DATABENTO_SCHEMAS ?? DEFAULT_LIVE_SCHEMAS,
          gateway: env.DATABENTO_GATEWAY,
        },
      }
    : {}),
  onBatch: (batch) => recordsTotal.inc(batch.records.count),
});
shutdown.onShutdown('feed', () => feedDone);
shutdown.onShutdown('heartbeat', () => heartbeat.stop());
shutdown.onShutdown('database', () => sql.end({ timeout: 5 }));
shutdown.onShutdown('health server', () => health.close());

try {
  await sql`select 1`;
  logger.info('database reachable');
} catch (err) {
  // Not fatal: /ready reports it and the pool reconnects when the database comes back.
  logger.error({ err }, 'database not reachable at start-up');
}
logger.info({ health: health.url }, 'screener worker up');
