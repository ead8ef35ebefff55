// The sign-in requests (/login/session for the passcode, /login/email for the magic link) are plain
// form POSTs to route handlers, not server actions: the proxy refuses every server action on a
// public path, so that no action can be run through the sign-in page without a session. These
// helpers answer them with a relative redirect (the browser's own host name keeps its cookies).
import { NextResponse } from 'next/server';
import { safeNext } from './auth-gate.ts';

export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path } });
}

/** Back to the sign-in page with a message, keeping where the trader was going. */
export function backToLogin(next: string | null, params: Record<string, string>): NextResponse {
  const q = new URLSearchParams(params);
  const to = safeNext(next);
  if (to !== '/') q.set('next', to);
  return seeOther(`/login?${q}`);
}

/** A form POST from another site (login CSRF) is refused: browsers send Origin on every POST. */
export function crossSite(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== request.headers.get('host');
  } catch {
    return true;
  }
}

/** The caller's address as the first proxy in front of us saw it (see auth-attempts.ts on trust). */
export function clientAddress(h: Headers): string {
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || 'direct';
}
