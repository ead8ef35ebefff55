// Who the trader is, decided in one place. Local profile: the single user of supabase/seed.sql,
// open on loopback, or behind the passcode session when DASHBOARD_PASSCODE is set. Cloud profile:
// the Supabase Auth user of the session cookies. The proxy
// (proxy.ts) gates every request; pages and server actions ask again here, so that a route the
// proxy's matcher missed still cannot act without a session.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { LOCAL_USER_ID } from '../live/server/live-feed.ts';
import { authMode } from './auth-mode.ts';
import { supabaseUserId } from './auth-supabase.ts';
import { SESSION_COOKIE, verifySession } from './session.ts';

export { authMode, LOCAL_USER_ID };

/** The signed-in trader's id; sends the browser to /login when there is no valid session. */
export async function currentUserId(): Promise<string> {
  const mode = authMode();
  if (mode.kind === 'open') return LOCAL_USER_ID;
  if (mode.kind === 'unavailable') throw new Error(mode.why);
  if (mode.kind === 'supabase') {
    const id = await supabaseUserId(mode);
    if (!id) redirect('/login');
    return id;
  }
  const session = verifySession((await cookies()).get(SESSION_COOKIE)?.value, mode.secret);
  if (!session) redirect('/login');
  return session.sub;
}
