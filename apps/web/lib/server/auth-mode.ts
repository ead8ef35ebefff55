// Which sign-in applies, from the validated env: the cloud profile signs in with Supabase Auth
// (magic link); the local profile is the single user, behind the passcode when DASHBOARD_PASSCODE
// is set. Kept apart from auth.ts so that the proxy loads only this (no database modules).
import type { AuthMode } from './auth-gate.ts';
import { getEnv, type WebEnv } from './env.ts';

export function authMode(env: WebEnv = getEnv()): AuthMode {
  if (env.profile === 'cloud') {
    // The env schema requires both in the cloud profile; checked again so the types follow.
    if (env.SUPABASE_URL && env.SUPABASE_ANON_KEY) {
      return { kind: 'supabase', url: env.SUPABASE_URL, anonKey: env.SUPABASE_ANON_KEY };
    }
    return {
      kind: 'unavailable',
      why: 'The cloud profile signs in with Supabase Auth: set SUPABASE_URL and SUPABASE_ANON_KEY.',
    };
  }
  if (env.DASHBOARD_PASSCODE && env.SESSION_SECRET) return { kind: 'passcode', secret: env.SESSION_SECRET };
  return { kind: 'open' };
}
