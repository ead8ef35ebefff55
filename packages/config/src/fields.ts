// Field parsers shared by the per-process env schemas, each with a message that says what a
// correct value looks like, and the one-line descriptions used when a variable is missing.
import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';

/** `s` when `required`, else `s.optional()`; typed as optional because it is so in some profile. */
export function opt<S extends z.ZodType>(required: boolean, s: S): z.ZodOptional<S> {
  return (required ? s : s.optional()) as z.ZodOptional<S>;
}

function urlWith(protocols: readonly string[], example: string) {
  const message = `expected a URL such as ${example}`;
  return z.string().refine((v) => {
    try {
      const u = new URL(v);
      return protocols.includes(u.protocol) && u.hostname !== '';
    } catch {
      return false;
    }
  }, message);
}

export const postgresUrl = () =>
  urlWith(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/postgres');
export const httpUrl = () => urlWith(['http:', 'https:'], 'https://example.com');

export const int = (min: number, max: number, what = 'an integer') =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what} from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected ${what} from ${min} to ${max}`);

export const port = () => int(1, 65535, 'a TCP port');

export const hostPort = () =>
  z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233')
    .refine((v) => {
      const p = Number(v.slice(v.lastIndexOf(':') + 1));
      return p >= 1 && p <= 65535;
    }, 'expected host:port with a port from 1 to 65535');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logLevel = () =>
  z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info');

export const secret = (minLength: number) =>
  z.string().min(minLength, `expected at least ${minLength} characters`);

export const pemFile = () =>
  z.string().refine((p) => existsSync(p) && statSync(p).isFile(), 'expected the path of a readable PEM file');

/** A shard of the symbol space: `k/N` with 0 <= k < N (k is 0-based, like a StatefulSet ordinal). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}
export const shard = () =>
  z
    .string()
    .regex(/^\d{1,4}\/\d{1,4}$/, 'expected k/N, e.g. 0/4 (0-based shard k of N)')
    .transform((s): Shard => {
      const [k, n] = s.split('/').map(Number) as [number, number];
      return { index: k, count: n };
    })
    .refine((s) => s.count >= 1 && s.index < s.count, 'expected k/N with N >= 1 and 0 <= k < N');

/** `replay:PATH`, `sim:SEED[:MINUTES]` or `databento` (CONTRACTS.md). */
export const screenerSource = () =>
  z
    .string()
    .regex(/^(replay:.+|sim:\d+(:\d+)?|databento)$/, 'expected replay:PATH, sim:SEED[:MINUTES] or databento');

export const DATABENTO_SCHEMAS = [
  'mbo',
  'mbp-1',
  'mbp-10',
  'tbbo',
  'trades',
  'bbo-1s',
  'bbo-1m',
  'cmbp-1',
  'cbbo-1s',
  'cbbo-1m',
  'tcbbo',
  'ohlcv-1s',
  'ohlcv-1m',
  'ohlcv-1h',
  'ohlcv-1d',
  'ohlcv-eod',
  'definition',
  'statistics',
  'status',
  'imbalance',
] as const;
export type DatabentoSchema = (typeof DATABENTO_SCHEMAS)[number];
export const databentoSchemas = () =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .refine(
      (list) => list.length > 0 && list.every((x) => (DATABENTO_SCHEMAS as readonly string[]).includes(x)),
      `expected a comma list of Databento schemas (${DATABENTO_SCHEMAS.join(', ')})`,
    )
    .transform((list) => list as DatabentoSchema[]);

// Databento keys are 32 characters: `db-` and 29 letters and digits.
export const databentoApiKey = () =>
  z
    .string()
    .regex(/^db-[A-Za-z0-9]{29}$/, 'expected a Databento API key: db- followed by 29 letters and digits');
export const databentoDataset = () =>
  z.string().regex(/^[A-Z0-9]+\.[A-Z0-9]+$/, 'expected a dataset code such as EQUS.MINI or XNAS.ITCH');

export const twilioAccountSid = () =>
  z.string().regex(/^AC[0-9a-f]{32}$/, 'expected AC followed by 32 hex digits');
export const twilioAuthToken = () => z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 hex digits');
export const twilioMessagingServiceSid = () =>
  z.string().regex(/^MG[0-9a-f]{32}$/, 'expected MG followed by 32 hex digits');

/** A phone number in E.164 form (what Twilio and sms_messages store: public.is_e164). */
export const e164Phone = () =>
  z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'expected an E.164 phone number such as +15551234567');

export const anthropicApiKey = () =>
  z.string().regex(/^sk-ant-[A-Za-z0-9_-]{20,}$/, 'expected a key starting with sk-ant-');

// Web push (RFC 8292): an uncompressed P-256 public key (65 bytes) and private key (32 bytes),
// base64url without padding, as `web-push generate-vapid-keys` prints them.
export const vapidPublicKey = () =>
  z
    .string()
    .regex(/^B[A-Za-z0-9_-]{86}$/, 'expected a base64url P-256 public key (87 characters, starts with B)');
export const vapidPrivateKey = () =>
  z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a base64url P-256 private key (43 characters)');
export const vapidSubject = () =>
  z
    .string()
    .regex(/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/, 'expected mailto:you@example.com or an https: URL');

export const temporalNamespace = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'expected a namespace name such as default or prod.a1b2c');
export const taskQueue = () => z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a task queue name');

/** What each variable is, shown when it is missing. */
export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  DATABASE_URL: 'the Postgres URL, e.g. postgres://postgres:password@db.<ref>.supabase.co:5432/postgres',
  SUPABASE_URL: 'the project URL, https://<ref>.supabase.co',
  SUPABASE_ANON_KEY: "the project's anon (publishable) key",
  SUPABASE_SERVICE_ROLE_KEY: "the project's service-role (secret) key",
  TEMPORAL_ADDRESS: 'host:port of the Temporal frontend, e.g. <ns>.<acct>.tmprl.cloud:7233',
  TEMPORAL_NAMESPACE: 'the Temporal namespace, e.g. <ns>.<acct>',
  TEMPORAL_API_KEY: 'a Temporal Cloud API key',
  TEMPORAL_TLS_CERT: 'path of the mTLS client certificate (PEM)',
  TEMPORAL_TLS_KEY: 'path of the mTLS client key (PEM)',
  DATABENTO_API_KEY: 'a Databento API key (db-...)',
  TWILIO_ACCOUNT_SID: 'the Twilio account SID (AC...)',
  TWILIO_AUTH_TOKEN: 'the Twilio auth token (32 hex digits)',
  TWILIO_MESSAGING_SERVICE_SID: 'the Twilio messaging service SID (MG...)',
  TWILIO_FROM_NUMBER: 'the Twilio number outbound SMS are sent from, in E.164 form (+1...)',
  TWILIO_PUBLIC_URL: 'the public https URL of the dashboard that Twilio calls, for signature checks',
  ANTHROPIC_API_KEY: 'an Anthropic API key (sk-ant-...)',
  SESSION_SECRET: 'at least 32 random characters to sign the session cookie (openssl rand -hex 32)',
  VAPID_PUBLIC_KEY: 'web push public key (npx web-push generate-vapid-keys)',
  VAPID_PRIVATE_KEY: 'web push private key (npx web-push generate-vapid-keys)',
  VAPID_SUBJECT: 'web push contact, mailto:you@example.com',
};
