// POST /login/session: the passcode form (local profile with DASHBOARD_PASSCODE). Compared in
// constant time, wrong tries limited per address and overall, and on a match a signed HttpOnly
// SameSite=Lax session cookie.
import { z } from 'zod';
import { LOCAL_USER_ID } from '@/lib/live/server/live-feed.ts';
import { loginLimiter } from '@/lib/server/auth-attempts.ts';
import { safeNext } from '@/lib/server/auth-gate.ts';
import { backToLogin, clientAddress, crossSite, seeOther } from '@/lib/server/auth-login.ts';
import { getEnv } from '@/lib/server/env.ts';
import { passcodeMatches, SESSION_COOKIE, SESSION_TTL_SECONDS, signSession } from '@/lib/server/session.ts';

const formSchema = z.object({
  passcode: z.string().min(1, 'Enter the passcode.').max(200, 'Wrong passcode.'),
  next: z.string().max(2000).optional(),
});

export async function POST(request: Request) {
  const env = getEnv();
  if (!env.DASHBOARD_PASSCODE || !env.SESSION_SECRET) return seeOther('/');
  if (crossSite(request)) return new Response('cross-site sign-in refused', { status: 403 });
  const form = await request.formData().catch(() => new FormData());
  const next = typeof form.get('next') === 'string' ? String(form.get('next')) : null;
  const parsed = formSchema.safeParse({ passcode: form.get('passcode') ?? '', next: next ?? undefined });
  if (!parsed.success)
    return backToLogin(next, { error: parsed.error.issues[0]?.message ?? 'Enter the passcode.' });

  const ip = clientAddress(request.headers);
  const limiter = loginLimiter();
  const wait = limiter.retryAfterMs(ip);
  if (wait > 0) {
    return backToLogin(next, {
      error: `Too many wrong passcodes. Try again in ${Math.ceil(wait / 60_000)} min.`,
    });
  }
  if (!passcodeMatches(parsed.data.passcode, env.DASHBOARD_PASSCODE, env.SESSION_SECRET)) {
    limiter.fail(ip);
    return backToLogin(next, { error: 'Wrong passcode.' });
  }
  limiter.succeed(ip);
  const res = seeOther(safeNext(next));
  res.cookies.set(SESSION_COOKIE, signSession(LOCAL_USER_ID, env.SESSION_SECRET), {
    httpOnly: true,
    sameSite: 'lax',
    // Plain http on loopback cannot keep a Secure cookie; behind TLS the proxy says https.
    secure: request.headers.get('x-forwarded-proto') === 'https',
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  });
  return res;
}
