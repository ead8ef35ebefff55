// POST /login/email: the cloud profile's sign-in form. Asks Supabase Auth to email a magic link
// back to /login/confirm; the PKCE verifier is kept in a cookie of this browser, so the link only
// signs in here.
import { z } from 'zod';
import { safeNext } from '@/lib/server/auth-gate.ts';
import { backToLogin, crossSite } from '@/lib/server/auth-login.ts';
import { authMode } from '@/lib/server/auth-mode.ts';
import { serverSupabase } from '@/lib/server/auth-supabase.ts';

const formSchema = z.object({
  email: z.email('Enter an email address.').max(254),
  next: z.string().max(2000).optional(),
});

export async function POST(request: Request) {
  const mode = authMode();
  const form = await request.formData().catch(() => new FormData());
  const next = typeof form.get('next') === 'string' ? String(form.get('next')) : null;
  if (mode.kind !== 'supabase')
    return backToLogin(next, { error: 'Email sign-in is for the cloud profile.' });
  if (crossSite(request)) return new Response('cross-site sign-in refused', { status: 403 });
  const typed = String(form.get('email') ?? '').trim();
  const parsed = formSchema.safeParse({ email: typed, next: next ?? undefined });
  if (!parsed.success) {
    return backToLogin(next, {
      error: parsed.error.issues[0]?.message ?? 'Enter an email address.',
      email: typed.slice(0, 254),
    });
  }
  // Back to the host the browser used (Origin on a same-site POST), where its cookies live.
  const origin = request.headers.get('origin') ?? new URL(request.url).origin;
  const back = new URL('/login/confirm', origin);
  back.searchParams.set('next', safeNext(parsed.data.next));
  const supabase = await serverSupabase(mode);
  const { error } = await supabase.auth.signInWithOtp({
    email: parsed.data.email,
    options: { emailRedirectTo: back.toString() },
  });
  if (error)
    return backToLogin(next, { error: `The link could not be sent: ${error.message}`, email: typed });
  return backToLogin(next, { sent: parsed.data.email });
}
