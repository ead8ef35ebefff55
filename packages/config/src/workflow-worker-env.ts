// The Temporal worker: workflows and their activities (database, SMS, Claude, web push).
import { z } from 'zod';
import { int } from './fields.ts';
import {
  anthropic,
  database,
  defineEnv,
  healthServer,
  logging,
  supabase,
  temporal,
  twilio,
  twilioFromNumber,
  vapid,
} from './groups.ts';

export const WORKFLOW_WORKER_HEALTH_PORT = 9465;

export const workflowWorkerEnv = defineEnv('workflow worker', (ctx) => ({
  ...logging(),
  ...database(ctx, 10),
  ...supabase(ctx, { anon: false, serviceRole: false }),
  ...temporal(ctx),
  ...healthServer(ctx, WORKFLOW_WORKER_HEALTH_PORT),
  ...twilio(ctx, [
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_MESSAGING_SERVICE_SID',
    'TWILIO_PUBLIC_URL',
  ]),
  ...twilioFromNumber(),
  ...anthropic(ctx),
  ...vapid(ctx, true),
  // production: run the prebuilt workflow bundle (npm run build -w @tradeassist/workflows), and
  // refuse to start without it; otherwise bundle workflows from source at start-up.
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { error: 'expected development, test or production' })
    .default('development'),
  // The alert dispatcher (LISTEN + cursor -> alertNotification). Safe on every replica (one workflow
  // per alert either way); `off` spares the extra scans on all but one.
  ALERT_DISPATCHER: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  ALERT_SMS_LIMIT_PER_10_MIN: int(1, 100, 'a number of SMS').default(6),
  ALERT_DIGEST_WINDOW_SECONDS: int(5, 600, 'a number of seconds').default(60),
  // The nightly dataRetention workflow; defaults are the SQL functions' own (supabase/migrations).
  /** Market-wide alerts older than this go (rule alerts, traded or delivered ones stay). */
  ALERT_RETENTION_DAYS: int(1, 3650, 'a number of days').default(30),
  /** 1-minute intraday bars older than this go (daily bars are kept). */
  INTRADAY_BAR_RETENTION_DAYS: int(1, 3650, 'a number of days').default(10),
}));
