// Parses an environment (process.env by default) against a process's schema and returns a typed
// object, or throws one EnvError listing every problem. The schema is built per profile: `local`
// (the default, zero accounts) or `cloud` (Supabase, Temporal Cloud, ...), inferred from the
// variables that are set, so one code path serves both.
import type { z } from 'zod';
import { EnvError, type EnvIssue } from './env-error.ts';
import { redactValue } from './redact.ts';

export const PROFILES = ['local', 'cloud'] as const;
export type Profile = (typeof PROFILES)[number];

export type EnvSource = Readonly<Record<string, string | undefined>>;

export interface EnvContext {
  readonly profile: Profile;
  /** True when the variable is set to a non-empty value. */
  has(name: string): boolean;
  /** The raw (non-empty) value. */
  raw(name: string): string | undefined;
  /**
   * Marks `name` as required because of `why` when `condition` holds, so that its absence is
   * reported as "required (why)". Returns `condition`, to pass to `opt()`.
   */
  requireWhen(name: string, condition: boolean, why: string): boolean;
}

export interface EnvSchema<T> {
  /** Shown in errors: "Invalid environment for the <processName>". */
  readonly processName: string;
  build(ctx: EnvContext): z.ZodType<T>;
  /** One line per variable, for messages about missing ones. */
  readonly descriptions: Readonly<Record<string, string>>;
}

export type Env<S> = S extends EnvSchema<infer T> ? T & { readonly profile: Profile } : never;

/** Cloud when TRADEASSIST_PROFILE says so, or when SUPABASE_URL is set; local otherwise. */
export function inferProfile(source: EnvSource): Profile {
  const explicit = nonEmpty(source.TRADEASSIST_PROFILE);
  if (explicit === 'local' || explicit === 'cloud') return explicit;
  return nonEmpty(source.SUPABASE_URL) ? 'cloud' : 'local';
}

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function loadEnv<T>(
  schema: EnvSchema<T>,
  source: EnvSource = process.env,
): T & { readonly profile: Profile } {
  // `FOO=` in a .env file means "not set": empty values are dropped before parsing.
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    const t = nonEmpty(v);
    if (t !== undefined) clean[k] = t;
  }
  const issues: EnvIssue[] = [];
  const explicit = clean.TRADEASSIST_PROFILE;
  if (explicit !== undefined && explicit !== 'local' && explicit !== 'cloud') {
    issues.push({ variable: 'TRADEASSIST_PROFILE', reason: `expected local or cloud (got "${explicit}")` });
  }
  const profile = inferProfile(clean);
  const requiredBecause = new Map<string, string>();
  const ctx: EnvContext = {
    profile,
    has: (name) => clean[name] !== undefined,
    raw: (name) => clean[name],
    requireWhen: (name, condition, why) => {
      if (condition) requiredBecause.set(name, why);
      return condition;
    },
  };
  const result = schema.build(ctx).safeParse(clean);
  if (result.success && issues.length === 0) return { ...(result.data as T), profile };
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? '(environment)');
      if (seen.has(variable)) continue;
      seen.add(variable);
      const value = clean[variable];
      let reason: string;
      if (value === undefined) {
        const why = requiredBecause.get(variable);
        const what = schema.descriptions[variable];
        reason = `missing: required${why ? ` (${why})` : ''}${what ? `; ${what}` : ''}`;
      } else {
        const shown = redactValue(variable, value);
        const got =
          shown === '***' ? '' : ` (got "${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}")`;
        reason = `invalid: ${issue.message}${got}`;
      }
      issues.push({ variable, reason });
    }
  }
  throw new EnvError(schema.processName, profile, issues);
}

/**
 * Runs `load` (usually `() => loadEnv(...)`); on an EnvError prints its message alone (no stack
 * trace) to stderr and exits with status 78 (EX_CONFIG). Other errors propagate.
 */
export function exitOnEnvError<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof EnvError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
}
