// The parse-sms CLI's environment, read once with zod: the only place it touches process.env.
import { z } from 'zod';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const parseSmsEnvSchema = z.object({
  /** Absent: the deterministic parser only. */
  ANTHROPIC_API_KEY: optional(z.string().min(8, 'ANTHROPIC_API_KEY looks truncated')),
  ANTHROPIC_MODEL: optional(
    z.string().regex(/^[a-z0-9][a-z0-9.-]{2,80}$/, 'expected a model id such as claude-haiku-5-5'),
  ),
  /** For tests and proxies (the local Messages API double). */
  ANTHROPIC_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
});
export type ParseSmsEnv = z.infer<typeof parseSmsEnvSchema>;

export function loadParseSmsEnv(env: NodeJS.ProcessEnv = process.env): ParseSmsEnv {
  const parsed = parseSmsEnvSchema.safeParse({
    ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY,
    ANTHROPIC_MODEL: env.ANTHROPIC_MODEL,
    ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL,
  });
  if (!parsed.success) {
    // Name the variables, never echo their values (one of them is a key).
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`parse-sms: bad environment: ${issues}`);
  }
  return parsed.data;
}
