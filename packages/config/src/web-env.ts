// The Next.js dashboard and its route handlers (Twilio webhook, live feed, health).
import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { httpUrl, opt, port, secret } from './fields.ts';
import {
  anthropic,
  database,
  defineEnv,
  logging,
  supabase,
  temporal,
  twilio,
  twilioFromNumber,
  twilioWebhookToken,
  vapid,
} from './groups.ts';

export const webEnv = defineEnv('web app', (ctx) => ({
  ...logging(),
  ...database(ctx, 5),
  ...supabase(ctx, { anon: true, serviceRole: true }),
  ...temporal(ctx),
  ...twilio(ctx, [
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_MESSAGING_SERVICE_SID',
    'TWILIO_PUBLIC_URL',
  ]),
  ...twilioWebhookToken(ctx),
  ...twilioFromNumber(),
  ...vapid(ctx, false),
  ANTHROPIC_MODEL: anthropic(ctx).ANTHROPIC_MODEL,
  PORT: port().default(3000),
  DASHBOARD_PASSCODE: z.string().min(6, 'expected at least 6 characters').optional(),
  SESSION_SECRET: opt(
    ctx.requireWhen('SESSION_SECRET', ctx.has('DASHBOARD_PASSCODE'), 'DASHBOARD_PASSCODE is set'),
    secret(32),
  ),
  /** Where /api/health asks the workers when the database has no heartbeat from them. */
  SCREENER_HEALTH_URL: httpUrl().optional(),
  WORKFLOW_WORKER_HEALTH_URL: httpUrl().optional(),
  /** DBN files the rules page may preview a rule on (by file name only); unset: the simulator alone. */
  RULE_PREVIEW_REPLAY_DIR: z
    .string()
    .refine((p) => existsSync(p) && statSync(p).isDirectory(), 'expected the path of a directory')
    .optional(),
}));
