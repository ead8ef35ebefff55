import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { safeNext } from '@/lib/server/auth-gate.ts';
import { authMode } from '@/lib/server/auth-mode.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · TradeAssist' };

const first = (v: string | string[] | undefined) => (typeof v === 'string' ? v : null);
const field =
  'mt-1 block h-12 w-full rounded border border-line bg-bg px-3 text-base text-text focus:border-accent focus:outline-none';
const button = 'h-12 w-full rounded bg-accent font-semibold text-bg';

// The sign-in screen: the passcode (local profile) or an email for a magic link (cloud profile).
// Plain forms posting to route handlers, so that they work before any script loads; their answer
// comes back in the query (?error=, ?sent=). Without a passcode there is nothing to sign in to.
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const mode = authMode();
  const q = await searchParams;
  const next = safeNext(first(q.next));
  if (mode.kind === 'open') redirect(next);
  const error = first(q.error)?.slice(0, 200) ?? null;
  const sent = first(q.sent)?.slice(0, 254) ?? null;
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center px-4 pb-24">
      <h1 className="mb-1 text-lg font-semibold text-accent">TradeAssist</h1>
      {mode.kind === 'unavailable' ? (
        <p role="alert" className="text-down">
          {mode.why}
        </p>
      ) : mode.kind === 'supabase' ? (
        <form method="post" action="/login/email" aria-label="Sign in by email" className="space-y-3">
          <p className="text-muted">Sign in with a link sent to your email.</p>
          <input type="hidden" name="next" value={next} />
          <label className="block">
            <span className="text-[11px] uppercase tracking-wide text-muted">Email</span>
            <input
              name="email"
              type="email"
              autoComplete="email"
              inputMode="email"
              required
              defaultValue={first(q.email) ?? sent ?? ''}
              className={field}
            />
          </label>
          {error && (
            <p role="alert" className="text-sm text-down">
              {error}
            </p>
          )}
          {sent && (
            <p role="status" className="text-sm text-up">
              Check {sent}: the link signs you in on this device.
            </p>
          )}
          <button type="submit" className={button}>
            Email me a sign-in link
          </button>
        </form>
      ) : (
        <form method="post" action="/login/session" aria-label="Sign in" className="space-y-3">
          <p className="text-muted">Enter the dashboard passcode.</p>
          <input type="hidden" name="next" value={next} />
          <label className="block">
            <span className="text-[11px] uppercase tracking-wide text-muted">Passcode</span>
            <input
              name="passcode"
              type="password"
              autoComplete="current-password"
              required
              // biome-ignore lint/a11y/noAutofocus: the only field of the page
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'login-error' : undefined}
              className={field}
            />
          </label>
          {error && (
            <p id="login-error" role="alert" className="text-sm text-down">
              {error}
            </p>
          )}
          <button type="submit" className={button}>
            Sign in
          </button>
        </form>
      )}
    </main>
  );
}
