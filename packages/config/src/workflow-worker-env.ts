// The Temporal worker: workflows and their activities (database, SMS, Claude, web push).
import {
  anthropic,
  database,
  defineEnv,
  healthServer,
  logging,
  supabase,
  temporal,
  twilio,
  vapid,
} from './groups.ts';

export const WORKFLOW_WORKER_HEALTH_PORT = 9465;

export const workflowWorkerEnv = defineEnv('workflow worker', (ctx) => ({
  ...logging(),
  ...database(ctx, 10),
  ...supabase(ctx, { anon: false, serviceRole: false }),
  ...temporal(ctx),
  ...healthServer(ctx, WORKFLOW_WORKER_HEALTH_PORT),
  ...twilio(ctx, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_MESSAGING_SERVICE_SID']),
  ...anthropic(ctx),
  ...vapid(ctx, true),
}));
