// Groups of variables that several processes share, each a function of the profile so that what
// is optional locally becomes required in the cloud.
import { z } from 'zod';
import {
  anthropicApiKey,
  DESCRIPTIONS,
  e164Phone,
  hostPort,
  httpUrl,
  int,
  logLevel,
  opt,
  pemFile,
  postgresUrl,
  secret,
  taskQueue,
  temporalNamespace,
  twilioAccountSid,
  twilioAuthToken,
  twilioMessagingServiceSid,
  vapidPrivateKey,
  vapidPublicKey,
  vapidSubject,
} from './fields.ts';
import type { EnvContext, EnvSchema } from './load-env.ts';

export function defineEnv<Shape extends z.ZodRawShape>(
  processName: string,
  build: (ctx: EnvContext) => Shape,
): EnvSchema<z.output<z.ZodObject<Shape>>> {
  return {
    processName,
    descriptions: DESCRIPTIONS,
    build: (ctx) => z.object(build(ctx)) as unknown as z.ZodType<z.output<z.ZodObject<Shape>>>,
  };
}

export const logging = () => ({ LOG_LEVEL: logLevel() });

export const database = (_ctx: EnvContext, poolMax: number) => ({
  DATABASE_URL: postgresUrl(),
  DATABASE_POOL_MAX: int(1, 1000).default(poolMax),
});

export const supabase = (ctx: EnvContext, keys: { anon: boolean; serviceRole: boolean }) => {
  const cloud = ctx.profile === 'cloud';
  return {
    SUPABASE_URL: opt(cloud, httpUrl()),
    SUPABASE_ANON_KEY: opt(
      ctx.requireWhen('SUPABASE_ANON_KEY', cloud && keys.anon, 'cloud profile'),
      secret(20),
    ),
    SUPABASE_SERVICE_ROLE_KEY: opt(
      ctx.requireWhen('SUPABASE_SERVICE_ROLE_KEY', cloud && keys.serviceRole, 'cloud profile'),
      secret(20),
    ),
  };
};

export const temporal = (ctx: EnvContext) => {
  const cloud = ctx.profile === 'cloud';
  const cert = ctx.has('TEMPORAL_TLS_CERT');
  const key = ctx.has('TEMPORAL_TLS_KEY');
  return {
    TEMPORAL_ADDRESS: cloud ? hostPort() : hostPort().default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: cloud ? temporalNamespace() : temporalNamespace().default('default'),
    TEMPORAL_TASK_QUEUE: taskQueue().default('tradeassist'),
    TEMPORAL_API_KEY: opt(
      ctx.requireWhen(
        'TEMPORAL_API_KEY',
        cloud && !cert && !key,
        'cloud profile: Temporal Cloud needs TEMPORAL_API_KEY, or TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY',
      ),
      secret(20),
    ),
    TEMPORAL_TLS_CERT: opt(ctx.requireWhen('TEMPORAL_TLS_CERT', key, 'TEMPORAL_TLS_KEY is set'), pemFile()),
    TEMPORAL_TLS_KEY: opt(ctx.requireWhen('TEMPORAL_TLS_KEY', cert, 'TEMPORAL_TLS_CERT is set'), pemFile()),
  };
};

const TWILIO = {
  TWILIO_ACCOUNT_SID: twilioAccountSid,
  TWILIO_AUTH_TOKEN: twilioAuthToken,
  TWILIO_MESSAGING_SERVICE_SID: twilioMessagingServiceSid,
  TWILIO_PUBLIC_URL: httpUrl,
} as const;
type TwilioName = keyof typeof TWILIO;

/** Twilio goes all or nothing: required in the cloud, optional locally (the dev phone stands in). */
export const twilio = (ctx: EnvContext, needed: readonly TwilioName[]) => {
  const cloud = ctx.profile === 'cloud';
  const anySet = needed.some((n) => ctx.has(n));
  const req = (n: TwilioName) =>
    needed.includes(n) &&
    ctx.requireWhen(
      n,
      cloud || anySet,
      cloud ? 'cloud profile sends SMS through Twilio' : 'another TWILIO_ variable is set',
    );
  return {
    TWILIO_ACCOUNT_SID: opt(req('TWILIO_ACCOUNT_SID'), TWILIO.TWILIO_ACCOUNT_SID()),
    TWILIO_AUTH_TOKEN: opt(req('TWILIO_AUTH_TOKEN'), TWILIO.TWILIO_AUTH_TOKEN()),
    TWILIO_MESSAGING_SERVICE_SID: opt(
      req('TWILIO_MESSAGING_SERVICE_SID'),
      TWILIO.TWILIO_MESSAGING_SERVICE_SID(),
    ),
    TWILIO_PUBLIC_URL: opt(req('TWILIO_PUBLIC_URL'), TWILIO.TWILIO_PUBLIC_URL()),
  };
};

/**
 * The number outbound SMS are stored as coming from (sms_messages.from_number) in the Twilio
 * profile. Optional: every Twilio send here goes through the Messaging Service (required with the
 * other TWILIO_ variables), which picks one of its numbers and reports it, in its answer or in the
 * status callbacks; the outbox then stores that one. Unused by the local dev phone.
 */
export const twilioFromNumber = () => ({ TWILIO_FROM_NUMBER: e164Phone().optional() });

/**
 * The fixed token the local dev phone signs its webhook requests with (as Twilio signs with the
 * account's auth token), so /dev-phone goes through the same signature check as real Twilio. Not a
 * secret: it only applies in the local profile (loopback only) while no TWILIO_ variable is set.
 */
export const LOCAL_DEV_TWILIO_AUTH_TOKEN = '0'.repeat(32);

/** The web app's webhook token: TWILIO_AUTH_TOKEN, or locally without Twilio the dev phone's one. */
export const twilioWebhookToken = (ctx: EnvContext) => {
  const base = twilio(ctx, [
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_PUBLIC_URL',
  ]).TWILIO_AUTH_TOKEN;
  const devPhone = ctx.profile === 'local' && !Object.keys(TWILIO).some((n) => ctx.has(n));
  return {
    // Typed like the cloud field (optional): callers still handle "no token" explicitly.
    TWILIO_AUTH_TOKEN: devPhone
      ? (twilioAuthToken().default(LOCAL_DEV_TWILIO_AUTH_TOKEN) as unknown as typeof base)
      : base,
  };
};

export const anthropic = (ctx: EnvContext) => ({
  ANTHROPIC_API_KEY: opt(
    ctx.requireWhen('ANTHROPIC_API_KEY', ctx.profile === 'cloud', 'cloud profile parses SMS with Claude'),
    anthropicApiKey(),
  ),
  ANTHROPIC_MODEL: z
    .string()
    .regex(/^claude-[a-z0-9.-]+$/, 'expected a Claude model id such as claude-haiku-4-5')
    .default('claude-haiku-4-5'),
});

/** Web push keys go together (all or none). */
export const vapid = (ctx: EnvContext, needPrivate: boolean) => {
  const names = ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'];
  const anySet = names.some((n) => ctx.has(n));
  const why = 'another VAPID_ variable is set';
  return {
    VAPID_PUBLIC_KEY: opt(ctx.requireWhen('VAPID_PUBLIC_KEY', anySet, why), vapidPublicKey()),
    VAPID_PRIVATE_KEY: opt(
      ctx.requireWhen('VAPID_PRIVATE_KEY', anySet && needPrivate, why),
      vapidPrivateKey(),
    ),
    VAPID_SUBJECT: opt(ctx.requireWhen('VAPID_SUBJECT', anySet && needPrivate, why), vapidSubject()),
  };
};

/** The worker's /health, /ready and /metrics listener: loopback locally, all interfaces in a container. */
export const healthServer = (ctx: EnvContext, defaultPort: number) => ({
  /** 0: any free port (tests and several processes on one host; the URL is logged). */
  HEALTH_PORT: int(0, 65535, 'a TCP port').default(defaultPort),
  HEALTH_HOST: z
    .string()
    .regex(/^[0-9A-Za-z.:-]+$/, 'expected an interface address such as 127.0.0.1 or 0.0.0.0')
    .default(ctx.profile === 'cloud' ? '0.0.0.0' : '127.0.0.1'),
});

export const localDataDir = () => ({ LOCAL_DATA_DIR: z.string().min(1).default('.local') });
