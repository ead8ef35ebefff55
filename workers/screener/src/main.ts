// The screener worker process (CONTRACTS.md `npm run screener`): command line and environment,
// logs, health/ready/metrics listener, the market-data feed -> engine -> alert sink pipeline, and
// with `--sink db` Postgres around it (reference data, rules and price triggers kept in sync by
// LISTEN, trigger fires recorded, heartbeats). A finite source runs to its end, flushes and exits 0;
// a live one runs until SIGTERM/SIGINT, then flushes every pending alert and exits 0 within 10 s.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { redactEnv } from '@tradeassist/config';
import { temporalConnectionOptions } from '@tradeassist/config/temporal-connection';
import { createDb, type Db, loadDailyReference } from '@tradeassist/db';
import { startHealthServer } from '@tradeassist/runtime/health-server';
import { type Heartbeat, startHeartbeat } from '@tradeassist/runtime/heartbeat';
import { createLogger } from '@tradeassist/runtime/logger';
import { createMetricsRegistry } from '@tradeassist/runtime/metrics';
import { createShutdown } from '@tradeassist/runtime/shutdown';
import type { AlertSink } from './alert-sink.ts';
import { StdoutSink } from './alert-sink.ts';
import { BarWriter, withBarBackpressure } from './bar-writer.ts';
import { parseCliArgs, USAGE, UsageError } from './cli-args.ts';
import { DbSink } from './db-sink.ts';
import { loadScreenerEnv } from './env.ts';
import { runFeed } from './feed-loop.ts';
import { FeedStatus } from './feed-status.ts';
import { createScreenerMetrics } from './metrics.ts';
import { Pipeline } from './pipeline.ts';
import { RuleSync } from './rule-sync.ts';
import { createTemporalTradeSignal, type TemporalTradeSignal, TriggerRecorder } from './trigger-recorder.ts';
import { warmUpPipeline } from './warm-up.ts';

/** Trades, top of book and trading status: what the detectors need when DATABENTO_SCHEMAS is unset. */
const DEFAULT_LIVE_SCHEMAS = ['mbp-1', 'status'] as const;
/** Of the 10 s shutdown budget: what the sink may spend flushing before it spools the rest. */
const FLUSH_DEADLINE_MS = 6_000;

/** Resolves when `p` settles or after `ms`, whichever is first (shutdown steps). */
function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(
      () => {},
      () => {},
    ),
    new Promise<void>((r) => {
      t = setTimeout(r, ms);
    }),
  ]).finally(() => clearTimeout(t));
}

let cli: ReturnType<typeof parseCliArgs>;
try {
  cli = parseCliArgs(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`screener: ${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (cli.help) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(0);
}

const env = loadScreenerEnv({
  SCREENER_SOURCE: cli.source,
  SCREENER_SINK: cli.sink,
  SCREENER_SHARD: cli.shard,
});
const logger = createLogger({ component: 'screener', level: env.LOG_LEVEL });
const sinkKind = env.SCREENER_SINK;
const live = env.SCREENER_SOURCE === 'databento';
// A source named on the command line is a run to the end (max speed unless asked); the long-running
// deployment configured by SCREENER_SOURCE replays finite sources as recorded.
const speed = cli.speed ?? (cli.source ? 'max' : 'realtime');
const shardSpec = `${env.SCREENER_SHARD.index}/${env.SCREENER_SHARD.count}`;
const workerId = env.SCREENER_WORKER_ID ?? `screener-${hostname()}-${process.pid}`;
logger.info({ worker_id: workerId, sink: sinkKind, speed, env: redactEnv(env) }, 'starting');

const shutdown = createShutdown({ logger });
const registry = createMetricsRegistry('screener');
const feed = new FeedStatus(env.SCREENER_SOURCE);

let sql: Db | undefined;
let sink: AlertSink;
let dbSink: DbSink | undefined;
let triggers: TriggerRecorder | undefined;
let tradeSignal: TemporalTradeSignal | undefined;
let bars: BarWriter | undefined;
let heartbeat: Heartbeat | undefined;
const metrics = createScreenerMetrics(registry, () => sink?.queueDepth() ?? 0);

if (sinkKind === 'db') {
  const url = env.DATABASE_URL;
  if (!url) throw new Error('unreachable: env.ts requires DATABASE_URL with SCREENER_SINK=db');
  sql = createDb({ url, max: env.DATABASE_POOL_MAX, application: 'screener' });
  // One spool directory per shard: a restarted worker of the same shard replays what its
  // predecessor left (kill -9), and two shards never share one.
  const spoolDir = resolve(
    env.LOCAL_DATA_DIR,
    'spool',
    `screener-${env.SCREENER_SHARD.index}-of-${env.SCREENER_SHARD.count}`,
  );
  dbSink = new DbSink({ sql, spoolDir, logger, metrics, finite: !live });
  sink = dbSink;
  // Crosses are signalled to the trade workflows; Temporal being away only delays that (lazy connect).
  tradeSignal = createTemporalTradeSignal({
    temporal: temporalConnectionOptions(env),
    logger: logger.child({ component: 'trade-signal' }),
  });
  triggers = new TriggerRecorder(sql, logger.child({ component: 'triggers' }), tradeSignal.signal);
  // finished 1-minute bars -> intraday_bars (the dashboard's symbol page), batched off the hot path
  bars = new BarWriter({ sql, logger: logger.child({ component: 'bars' }), finite: !live, registry });
  heartbeat = startHeartbeat({
    sql,
    workerId,
    kind: 'screener',
    shard: env.SCREENER_SHARD,
    logger,
    details: () => ({ feed: feed.snapshot(), pid: process.pid, sink: sinkKind }),
  });
  logger.info({ spool_dir: spoolDir }, 'alert sink: database');
} else {
  // `... | head -5`: once the reader is gone there is nobody to screen for
  sink = new StdoutSink(process.stdout, logger, () => void shutdown.shutdown('stdout closed', 0), !live);
}

const pipeline = new Pipeline({
  sink: bars ? withBarBackpressure(sink, bars) : sink,
  logger,
  metrics,
  engine: {
    ...(env.SCREENER_SHARD.count > 1 ? { shard: env.SCREENER_SHARD } : {}),
    ...(bars ? { onBar: bars.push.bind(bars) } : {}),
    ...(triggers
      ? {
          onTrigger: (e) => {
            metrics.triggersFired.inc();
            triggers.record(e);
          },
        }
      : {}),
  },
  ...(sql ? { loadReference: (date: string) => loadDailyReference(sql, date) } : {}),
});

const health = await startHealthServer({
  component: 'screener',
  host: env.HEALTH_HOST,
  port: env.HEALTH_PORT,
  registry,
  logger,
  status: () => ({
    worker_id: workerId,
    shard: shardSpec,
    sink: sinkKind,
    feed: feed.snapshot(),
    engine: pipeline.engine.stats,
    alert_queue: sink.queueDepth(),
  }),
  checks: {
    feed: async () => {
      const s = feed.snapshot();
      if (s.state !== 'streaming' && s.state !== 'ended')
        throw new Error(`feed ${s.state}${s.last_event ? `: ${s.last_event}` : ''}`);
      return s;
    },
    ...(sql
      ? {
          database: async () => {
            await sql`select 1`;
          },
        }
      : {}),
  },
});

let rules: RuleSync | undefined;
if (sql && env.DATABASE_URL) {
  rules = new RuleSync({ sql, url: env.DATABASE_URL, engine: pipeline.engine, logger, metrics });
  // Rules and triggers before the first record; a database that is away only delays them (logged).
  let started = false;
  await Promise.race([
    rules.start().then(() => {
      started = true;
    }),
    bounded(new Promise(() => {}), 10_000),
  ]);
  if (!started) logger.warn('rules and triggers not loaded yet after 10 s; screening without them meanwhile');
}

// The first open of this process runs compiled code (see warm-up.ts).
warmUpPipeline({
  logger,
  ...(rules ? { rules: rules.loaded.defs, watchlists: rules.loaded.watchlists } : {}),
});

// Shutdown order: stop taking market data (the shutdown signal ends the feed loop), flush every
// alert, record pending trigger fires, stop listening, say goodbye in the heartbeat table, close
// the pool, and stop answering probes last.
const feedDone = runFeed({
  source: env.SCREENER_SOURCE,
  feed,
  signal: shutdown.signal,
  logger,
  speed,
  ...(env.SIM_PRE_MARKET_MINUTES !== undefined ? { simPreMarketMinutes: env.SIM_PRE_MARKET_MINUTES } : {}),
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
  onBatch: (batch) => pipeline.onBatch(batch),
  onEvent: (e) => {
    if (e.type === 'reconnecting') metrics.reconnects.inc();
  },
});
shutdown.onShutdown('feed', () => feedDone);
shutdown.onShutdown('alerts', () => sink.close(FLUSH_DEADLINE_MS));
// each symbol's minute still open goes out too (upserted again, complete, by a later run)
if (bars) {
  const b = bars;
  shutdown.onShutdown('bars', () => {
    pipeline.engine.flushBars();
    return b.close(1_000);
  });
}
// Alerts are safe by now (committed or spooled); what follows must not eat the rest of the 10 s
// when the database is away, so each step gets a bound.
if (triggers) shutdown.onShutdown('price triggers', () => triggers.close(1_000));
if (tradeSignal) shutdown.onShutdown('trade signals', () => bounded(tradeSignal.close(), 500));
if (rules) shutdown.onShutdown('rule sync', () => bounded(rules.close(), 1_000));
if (heartbeat) shutdown.onShutdown('heartbeat', () => bounded(heartbeat.stop(), 1_000));
if (sql) shutdown.onShutdown('database', () => bounded(sql.end({ timeout: 1 }), 1_000));
shutdown.onShutdown('health server', () => health.close());
logger.info({ health: health.url }, 'screener worker up');

await feedDone;
if (!shutdown.signal.aborted) {
  // The source ended (finite) or failed: either way this run is over.
  const s = feed.snapshot();
  const failed = s.state === 'failed';
  if (failed)
    process.stderr.write(`screener: market-data source failed: ${s.last_event ?? 'unknown error'}\n`);
  logger.info({ stats: pipeline.engine.stats }, 'feed finished');
  await shutdown.shutdown(failed ? 'source failed' : 'end of source', failed ? 1 : 0);
}
