'use server';
// Sign-out (a server action, posted from signed-in pages). Sign-in is a plain form POST to
// /login/session (passcode) or /login/email (magic link): see lib/server/auth-login.ts for why.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { authMode } from '@/lib/server/auth-mode.ts';
import { serverSupabase } from '@/lib/server/auth-supabase.ts';
import { SESSION_COOKIE } from '@/lib/server/session.ts';

export async function logout(): Promise<void> {
  const mode = authMode();
  if (mode.kind === 'supabase') await (await serverSupabase(mode)).auth.signOut();
  else (await cookies()).delete(SESSION_COOKIE);
  redirect('/login');
}
