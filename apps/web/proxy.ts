// Next.js 16 proxy (formerly middleware; Node.js runtime): the gate in front of every page, server
// action and /api route (lib/server/auth-gate.ts decides). Pages and actions check the session
// again through lib/server/auth.ts, so this is the first line, not the only one. In the cloud
// profile it also verifies the Supabase session and passes refreshed session cookies on.
import { type NextRequest, NextResponse } from 'next/server';
import { gate, isPublicPath } from './lib/server/auth-gate.ts';
import { authMode } from './lib/server/auth-mode.ts';
import { proxySession } from './lib/server/auth-supabase.ts';
import { SESSION_COOKIE } from './lib/server/session.ts';

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const url = request.nextUrl;
  const mode = authMode();
  // Only a gated request pays for the Supabase check (the webhooks and health probes do not).
  const supabase =
    mode.kind === 'supabase' && !isPublicPath(url.pathname) ? await proxySession(mode, request) : null;
  const decision = gate(mode, {
    pathname: url.pathname,
    search: url.search,
    host: request.headers.get('host'),
    session: request.cookies.get(SESSION_COOKIE)?.value,
    isAction: request.headers.has('next-action'),
    method: request.method,
    verifiedUserId: supabase?.userId ?? null,
  });
  let res: NextResponse;
  switch (decision.kind) {
    case 'pass':
      // The request object carries refreshed Supabase cookies on to the page (see proxySession).
      res = NextResponse.next({ request });
      break;
    case 'redirect':
      res = NextResponse.redirect(new URL(decision.to, request.url), 303);
      break;
    case 'deny':
      res = NextResponse.json({ error: decision.message }, { status: decision.status });
      break;
  }
  return supabase ? supabase.apply(res) : res;
}

export const config = {
  // Build assets and public files never need a session; everything else goes through gate().
  matcher: ['/((?!_next/static|_next/image|icons/|favicon.ico|sw.js|manifest.webmanifest).*)'],
};
