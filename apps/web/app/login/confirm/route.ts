// Where Supabase's magic link lands: `?code=` (PKCE, the default flow) is exchanged for a session
// with the verifier cookie this browser got when it asked for the link; `?token_hash=&type=` (an
// email template that links here directly) is verified as an OTP. Then on to `next`.
import type { EmailOtpType } from '@supabase/supabase-js';
import { type NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { safeNext } from '@/lib/server/auth-gate.ts';
import { authMode } from '@/lib/server/auth-mode.ts';
import { serverSupabase } from '@/lib/server/auth-supabase.ts';

const querySchema = z.object({
  code: z.string().min(1).max(512).optional(),
  token_hash: z.string().min(1).max(512).optional(),
  type: z.enum(['email', 'magiclink', 'signup', 'invite', 'recovery', 'email_change']).optional(),
  next: z.string().max(2000).optional(),
});

/**
 * A relative Location: request.url carries the server's own host name, which may not be the one the
 * browser used (the session cookie was just set for the latter).
 */
const seeOther = (path: string) => new NextResponse(null, { status: 303, headers: { location: path } });

// GET: turn the link into a session cookie, or back to /login with the reason.
export async function GET(request: NextRequest): Promise<NextResponse> {
  const mode = authMode();
  const fail = (why: string) => seeOther(`/login?error=${encodeURIComponent(why)}`);
  if (mode.kind !== 'supabase') return fail('Email sign-in is for the cloud profile.');
  const q = querySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!q.success) return fail('This sign-in link is malformed.');
  const supabase = await serverSupabase(mode);
  const { code, token_hash, type } = q.data;
  const { error } = code
    ? await supabase.auth.exchangeCodeForSession(code)
    : token_hash && type
      ? await supabase.auth.verifyOtp({ token_hash, type: type as EmailOtpType })
      : { error: new Error('This sign-in link is incomplete.') };
  if (error) return fail(`Sign-in failed: ${error.message}. Ask for a new link.`);
  return seeOther(safeNext(q.data.next));
}
