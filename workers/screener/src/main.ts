// The screener worker process: environment, logs, health/metrics listener, Postgres, heartbeats and
// graceful shutdown. The engine (market-data source -> screener -> alert writer) plugs in where
// marked; everything here is what every deployment of the worker needs around it.
import { hostname } from 'node:os';
import { redactEnv } from '@tradeassist/config';
import { createDb } from '@tradeassist/db';
import { startHealthServer } from '@tradeassist/runtime/health-server';
import { startHeartbeat } from '@tradeassist/runtime/heartbeat';
import { createLogger } from '@tradeassist/runtime/logger';
import { createMetricsRegistry } from '@tradeassist/runtime/metrics';
import { createShutdown } from '@tradeassist/runtime/shutdown';
import { env } from './env.ts';
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

// Shutdown order: stop taking market data, flush alerts (engine steps go first), then say goodbye
// in the heartbeat table, close the pool, and stop answering probes last.
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
