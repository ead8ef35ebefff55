// The Temporal worker process: environment, logs, health/metrics listener, a Worker on the task
// queue with every workflow of ./workflows, heartbeats in Postgres, and graceful shutdown (the
// worker finishes its in-flight tasks within the grace time, inside the 10 s budget).
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { redactEnv } from '@tradeassist/config';
import { temporalConnectionOptions } from '@tradeassist/config/temporal-connection';
import { createDb } from '@tradeassist/db';
import { startHealthServer } from '@tradeassist/runtime/health-server';
import { startHeartbeat } from '@tradeassist/runtime/heartbeat';
import { createLogger } from '@tradeassist/runtime/logger';
import { createMetricsRegistry } from '@tradeassist/runtime/metrics';
import { createShutdown } from '@tradeassist/runtime/shutdown';
import { env } from './env.ts';
import { installTemporalRuntime } from './temporal-runtime.ts';
import type { ping } from './workflows/index.ts';

const logger = createLogger({ component: 'workflows', level: env.LOG_LEVEL });
installTemporalRuntime(logger);
const shutdown = createShutdown({ logger });
const workerId = `workflows-${hostname()}-${process.pid}`;
logger.info({ worker_id: workerId, env: redactEnv(env) }, 'starting');

const registry = createMetricsRegistry('workflows');
const sql = createDb({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX, application: 'workflows' });
const heartbeat = startHeartbeat({
  sql,
  workerId,
  kind: 'workflows',
  logger,
  details: () => ({ pid: process.pid }),
});
shutdown.onShutdown('heartbeat', () => heartbeat.stop());

const temporal = temporalConnectionOptions(env);

async function connect(): Promise<NativeConnection> {
  // The server may still be starting (the demo, a rolling deploy): retry for a while, then fail.
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      const { namespace: _ns, ...options } = temporal;
      return await NativeConnection.connect(options);
    } catch (err) {
      if (Date.now() > deadline || shutdown.signal.aborted) {
        throw new Error(`cannot connect to Temporal at ${temporal.address}: ${(err as Error).message}`);
      }
      logger.warn(
        { address: temporal.address, attempt, err: (err as Error).message },
        'Temporal not reachable yet',
      );
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5000)));
    }
  }
}

// The listener comes first, so that /health answers while the worker connects and bundles its
// workflows (seconds); /ready says what is still missing until then.
let connection: NativeConnection | undefined;
let worker: Worker | undefined;
let client: Client | undefined;

// Readiness runs the `ping` workflow at most every 10 s (each run is a short history on the server).
let lastPing: { at: number; ok: Promise<void> } | undefined;
function pingWorkflow(c: Client): Promise<void> {
  if (lastPing && Date.now() - lastPing.at < 10_000) return lastPing.ok;
  const ok = c.workflow
    .execute<typeof ping>('ping', {
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      workflowId: `health-ping-${workerId}-${Date.now()}`,
      workflowExecutionTimeout: '5s',
    })
    .then((r) => {
      if (r !== 'pong') throw new Error(`ping workflow answered ${JSON.stringify(r)}`);
    });
  lastPing = { at: Date.now(), ok };
  ok.catch(() => {
    lastPing = undefined;
  });
  return ok;
}

const health = await startHealthServer({
  component: 'workflows',
  host: env.HEALTH_HOST,
  port: env.HEALTH_PORT,
  registry,
  logger,
  checkTimeoutMs: 6000,
  status: () => ({
    worker_id: workerId,
    worker_state: worker?.getState() ?? 'STARTING',
    task_queue: env.TEMPORAL_TASK_QUEUE,
  }),
  checks: {
    temporal: async () => {
      if (!connection) throw new Error(`not connected to ${temporal.address} yet`);
      await connection.workflowService.describeNamespace({ namespace: temporal.namespace });
      return { address: temporal.address, namespace: temporal.namespace };
    },
    worker: async () => {
      const state = worker?.getState() ?? 'STARTING';
      if (state !== 'RUNNING' || !client) throw new Error(`worker is ${state}`);
      await pingWorkflow(client);
      return { task_queue: env.TEMPORAL_TASK_QUEUE };
    },
    database: async () => {
      await sql`select 1`;
    },
  },
});

// Registered before they exist: a signal during start-up still stops whatever was started.
let running: Promise<void> | undefined;
shutdown.onShutdown('temporal worker', async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => {});
});
shutdown.onShutdown('temporal connection', async () => {
  await connection?.close();
});
shutdown.onShutdown('database', () => sql.end({ timeout: 5 }));
shutdown.onShutdown('health server', () => health.close());

try {
  connection = await connect();
  worker = await Worker.create({
    connection,
    namespace: temporal.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./workflows/index.ts', import.meta.url)),
    activities: {},
    shutdownGraceTime: '7s',
  });
} catch (err) {
  logger.fatal({ err: (err as Error).message }, 'workflow worker cannot start');
  await shutdown.shutdown('start-up failed', 1);
  throw err;
}
client = new Client({ connection, namespace: temporal.namespace });
running = worker.run();
running.catch((err: unknown) => {
  logger.fatal({ err }, 'worker stopped with an error');
  void shutdown.shutdown('worker failed', 1);
});

logger.info(
  { health: health.url, task_queue: env.TEMPORAL_TASK_QUEUE, address: temporal.address },
  'workflow worker up',
);
