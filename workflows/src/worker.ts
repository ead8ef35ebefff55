// The Temporal worker process: environment, logs, health/metrics listener, a Worker on the task
// queue with every workflow of ./workflows, heartbeats in Postgres, and graceful shutdown (the
// worker finishes its in-flight tasks within the grace time, inside the 10 s budget).
import { hostname } from 'node:os';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { redactEnv } from '@tradeassist/config';
import { temporalConnectionOptions } from '@tradeassist/config/temporal-connection';
import { createDb } from '@tradeassist/db';
import { createClaudeParser } from '@tradeassist/messaging/claude';
import { DEFAULT_POLICY } from '@tradeassist/messaging/delivery';
import { createIntentParser } from '@tradeassist/messaging/intent';
import { createWebPushSender } from '@tradeassist/messaging/push';
import { createProfileSmsOutbox } from '@tradeassist/messaging/twilio';
import { startHealthServer } from '@tradeassist/runtime/health-server';
import { startHeartbeat } from '@tradeassist/runtime/heartbeat';
import { createLogger } from '@tradeassist/runtime/logger';
import { createMetricsRegistry } from '@tradeassist/runtime/metrics';
import { createShutdown } from '@tradeassist/runtime/shutdown';
import { createConversationActivities } from './activities/conversation.ts';
import { createNotificationActivities, digestStarter } from './activities/notifications.activities.ts';
import { createRetentionActivities } from './activities/retention.activities.ts';
import { createSummaryActivities } from './activities/summary.activities.ts';
import { createTradeActivities } from './activities/trades.ts';
import { workflowSource } from './bundle.ts';
import { type AlertDispatcher, startAlertDispatcher } from './dispatcher/alert-dispatcher.ts';
import { startAlertNotification } from './dispatcher/start-notification.ts';
import { env } from './env.ts';
import { conversationHandOff, type InboundSweeper, startInboundSweeper } from './sweeper/inbound-sweeper.ts';
import { installTemporalRuntime } from './temporal-runtime.ts';
import { ensureDailySummarySchedule } from './workflows/daily-summary.schedule.ts';
import { ensureDataRetentionSchedule } from './workflows/data-retention.schedule.ts';
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

// Every outbound SMS goes through one outbox: Twilio when configured, else the dev phone (local).
const smsOutbox = createProfileSmsOutbox({
  sql,
  twilio:
    env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
      ? {
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
          publicUrl: env.TWILIO_PUBLIC_URL ?? null,
          fromNumber: env.TWILIO_FROM_NUMBER,
        }
      : null,
  logger: logger.child({ subsystem: 'sms-outbox' }),
});
// Claude when a key is set, the deterministic parser otherwise and whenever Claude fails.
const intentParser = createIntentParser({
  claude: env.ANTHROPIC_API_KEY
    ? createClaudeParser({ apiKey: env.ANTHROPIC_API_KEY, model: env.ANTHROPIC_MODEL })
    : undefined,
  onFallback: (info) => logger.warn({ reason: info.reason }, 'intent parser fell back to the rules'),
});

// Web push when VAPID keys are configured (all three or none, checked by the env schema).
const pushSender =
  env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY && env.VAPID_SUBJECT
    ? createWebPushSender({
        vapid: {
          publicKey: env.VAPID_PUBLIC_KEY,
          privateKey: env.VAPID_PRIVATE_KEY,
          subject: env.VAPID_SUBJECT,
        },
      })
    : null;
const digestWindowMs = env.ALERT_DIGEST_WINDOW_SECONDS * 1000;
const notificationPolicy = { ...DEFAULT_POLICY, smsLimit: env.ALERT_SMS_LIMIT_PER_10_MIN, digestWindowMs };

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
// The dispatcher and the sweeper stop first: they start and signal workflows through the connection
// and read the database, both closed by the later steps.
let dispatcher: AlertDispatcher | undefined;
let sweeper: InboundSweeper | undefined;
shutdown.onShutdown('alert dispatcher', async () => {
  await dispatcher?.stop();
});
shutdown.onShutdown('inbound sweeper', async () => {
  await sweeper?.stop();
});
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
  // The activities' own client (conversation starts trade workflows, trades ask the conversation).
  const activityClient = new Client({ connection, namespace: temporal.namespace });
  worker = await Worker.create({
    connection,
    namespace: temporal.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    // NODE_ENV=production: the prebuilt bundle, or a clear start-up error when it is missing.
    ...workflowSource(env.NODE_ENV),
    activities: {
      ...createConversationActivities({
        sql,
        outbox: smsOutbox,
        parseIntent: intentParser,
        client: activityClient,
        taskQueue: env.TEMPORAL_TASK_QUEUE,
      }),
      ...createTradeActivities({
        sql,
        outbox: smsOutbox,
        client: activityClient,
        taskQueue: env.TEMPORAL_TASK_QUEUE,
      }),
      ...createNotificationActivities({
        sql,
        outbox: smsOutbox,
        push: pushSender,
        startDigest: digestStarter(activityClient, env.TEMPORAL_TASK_QUEUE, digestWindowMs),
        policy: notificationPolicy,
        logger: logger.child({ subsystem: 'notifications' }),
        registry,
      }),
      ...createSummaryActivities({ sql, outbox: smsOutbox }),
      ...createRetentionActivities({
        sql,
        retentionDays: { alerts: env.ALERT_RETENTION_DAYS, intraday_bars: env.INTRADAY_BAR_RETENTION_DAYS },
        logger: logger.child({ subsystem: 'retention' }),
      }),
    },
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

// What this worker drives besides its task queue: the daily summary and data retention schedules
// (idempotent), the alert dispatcher and the inbound-SMS sweeper. A failure here stops the process:
// a worker that silently sends no alerts is worse than one that restarts.
try {
  const schedule = await ensureDailySummarySchedule(client, env.TEMPORAL_TASK_QUEUE);
  logger.info({ schedule }, 'daily summary schedule in place');
  const retention = await ensureDataRetentionSchedule(client, env.TEMPORAL_TASK_QUEUE);
  logger.info(
    {
      schedule: retention,
      alert_retention_days: env.ALERT_RETENTION_DAYS,
      intraday_bar_retention_days: env.INTRADAY_BAR_RETENTION_DAYS,
    },
    'data retention schedule in place',
  );
  const starter = client;
  if (env.ALERT_DISPATCHER === 'on') {
    dispatcher = startAlertDispatcher({
      sql,
      listenUrl: env.DATABASE_URL,
      pushEnabled: pushSender !== null,
      start: (alertId) => startAlertNotification(starter, env.TEMPORAL_TASK_QUEUE, alertId),
      logger: logger.child({ subsystem: 'alert-dispatcher' }),
      registry,
    });
  }
  sweeper = startInboundSweeper({
    sql,
    handOff: conversationHandOff(client, env.TEMPORAL_TASK_QUEUE),
    logger: logger.child({ subsystem: 'inbound-sweeper' }),
  });
  await dispatcher?.ready;
} catch (err) {
  logger.fatal({ err: (err as Error).message }, 'notification services cannot start');
  await shutdown.shutdown('start-up failed', 1);
  throw err;
}

logger.info(
  { health: health.url, task_queue: env.TEMPORAL_TASK_QUEUE, address: temporal.address },
  'workflow worker up',
);
