// What the proxy lets through, as a pure function of the request (tested in auth-gate.test.ts):
// every page, server action and /api route needs a session when a passcode is set, except the
// Twilio webhooks (they carry Twilio's signature instead), the health probes, the sign-in page and
// what the browser fetches before it can sign in (manifest, icons, service worker, build assets).
import { verifySession } from './session.ts';

export type AuthMode =
  /** Local profile, no passcode: the single user, reachable on loopback only. */
  | { kind: 'open' }
  /** DASHBOARD_PASSCODE set: the single user behind the signed session cookie. */
  | { kind: 'passcode'; secret: string }
  /** Cloud profile: Supabase Auth (magic link); the proxy verifies the session's JWT. */
  | { kind: 'supabase'; url: string; anonKey: string }
  /** Cloud profile without what Supabase Auth needs: nothing opens. */
  | { kind: 'unavailable'; why: string };

const PUBLIC_EXACT = new Set([
  '/health',
  '/ready',
  '/api/health',
  '/login',
  // Where the magic link lands (Supabase Auth): it turns the link into a session.
  '/login/confirm',
  // The sign-in forms' route handlers (plain POSTs: see auth-login.ts).
  '/login/session',
  '/login/email',
  '/manifest.webmanifest',
  '/sw.js',
  '/icon.svg',
  '/favicon.ico',
  '/robots.txt',
]);
const PUBLIC_PREFIXES = ['/api/twilio/', '/icons/', '/_next/static/', '/_next/image'];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_EXACT.has(pathname) || PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
}

/** Host names that only this machine can use to reach the server (a DNS-rebinding guard). */
export function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export interface GateRequest {
  pathname: string;
  search: string;
  host: string | null;
  /** The session cookie's value, if any. */
  session: string | undefined;
  /** A server action call (POST with a `Next-Action` header) wants a status, not a redirect page. */
  isAction: boolean;
  method: string;
  /** Supabase mode: the user whose session JWT the proxy verified (null: none or invalid). */
  verifiedUserId?: string | null;
}

export type GateDecision =
  | { kind: 'pass'; userId: string | null }
  | { kind: 'redirect'; to: string }
  | { kind: 'deny'; status: 401 | 403 | 503; message: string };

export function gate(mode: AuthMode, req: GateRequest, now = Date.now()): GateDecision {
  if (isPublicPath(req.pathname)) {
    // A server action can be posted to any page path, the sign-in page included: none may run
    // through a public path, or it would run without a session (or from a non-loopback host).
    if (req.isAction) return { kind: 'deny', status: 401, message: 'sign in first' };
    return { kind: 'pass', userId: null };
  }
  if (mode.kind === 'open') {
    // Without a passcode anyone who reaches the port is the trader: refuse names other than
    // loopback, so that a web page on another site cannot reach the dashboard through DNS rebinding.
    if (isLoopbackHost(req.host)) return { kind: 'pass', userId: null };
    return {
      kind: 'deny',
      status: 403,
      message: 'This dashboard has no passcode, so it answers on loopback only. Set DASHBOARD_PASSCODE.',
    };
  }
  if (mode.kind === 'unavailable') return { kind: 'deny', status: 503, message: mode.why };
  const userId =
    mode.kind === 'supabase'
      ? (req.verifiedUserId ?? null)
      : (verifySession(req.session, mode.secret, now)?.sub ?? null);
  if (userId) return { kind: 'pass', userId };
  const isPage = !req.isAction && (req.method === 'GET' || req.method === 'HEAD');
  if (isPage && !req.pathname.startsWith('/api/')) {
    return { kind: 'redirect', to: `/login?next=${encodeURIComponent(req.pathname + req.search)}` };
  }
  return { kind: 'deny', status: 401, message: 'sign in first' };
}

/** Where to go after signing in: a path on this site only (never `//evil.example` or a URL). */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
