// Supabase Auth (cloud profile) with @supabase/ssr: the session lives in cookies the library writes
// and refreshes. The proxy verifies the access token's signature on every request (getClaims: the
// project's published JWKS, or the Auth server for symmetric keys) and writes refreshed cookies to
// the response; pages and server actions ask again through currentUserId().
import { createServerClient } from '@supabase/ssr';
import { cookies } from 'next/headers';
import type { NextRequest, NextResponse } from 'next/server';

type Mode = { url: string; anonKey: string };
/** What @supabase/ssr asks to set; its options are the `cookie` package's, which Next's accept. */
type CookieOptions = NonNullable<Parameters<NextResponse['cookies']['set']>[2]>;
type CookieToSet = { name: string; value: string; options: CookieOptions };

/** The proxy's view: who the request's session belongs to, and the cookies to send back. */
export async function proxySession(
  mode: Mode,
  request: NextRequest,
): Promise<{ userId: string | null; apply: (res: NextResponse) => NextResponse }> {
  const pending: CookieToSet[] = [];
  const supabase = createServerClient(mode.url, mode.anonKey, {
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll: (list) => {
        for (const c of list as CookieToSet[]) {
          // Later code in this request (pages, actions) reads the refreshed values.
          request.cookies.set(c.name, c.value);
          pending.push(c);
        }
      },
    },
  });
  let userId: string | null = null;
  try {
    const { data } = await supabase.auth.getClaims();
    const sub = data?.claims?.sub;
    userId = typeof sub === 'string' && sub.length > 0 ? sub : null;
  } catch {
    userId = null; // Auth unreachable or a malformed cookie: treated as signed out.
  }
  return {
    userId,
    apply(res) {
      for (const c of pending) res.cookies.set(c.name, c.value, c.options);
      return res;
    },
  };
}

/** A server client on the request's cookies (server components, actions, route handlers). */
export async function serverSupabase(mode: Mode) {
  const store = await cookies();
  return createServerClient(mode.url, mode.anonKey, {
    cookies: {
      getAll: () => store.getAll(),
      setAll: (list) => {
        try {
          for (const c of list as CookieToSet[]) store.set(c.name, c.value, c.options);
        } catch {
          // A server component cannot set cookies; the proxy already refreshed them for this request.
        }
      },
    },
  });
}

/** The signed-in user's id from a verified access token, or null. */
export async function supabaseUserId(mode: Mode): Promise<string | null> {
  const supabase = await serverSupabase(mode);
  const { data } = await supabase.auth.getClaims();
  const sub = data?.claims?.sub;
  return typeof sub === 'string' && sub.length > 0 ? sub : null;
}
