/// <reference lib="dom" />
// Cloud sign-in with Supabase Auth (magic link, @supabase/ssr), against a local double of the Auth
// API that signs ES256 tokens with its own JWKS (test-doubles/src/supabase-auth-double.ts): the
// dashboard is closed without a session, the email form asks Auth for a link, the link (PKCE code)
// starts a session in cookies, the proxy verifies the token's signature, and pages then read the
// signed-in user's own rows. A token signed by anyone else does not get in; sign-out ends it.
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import {
  type SupabaseAuthDouble,
  startSupabaseAuthDouble,
} from '@tradeassist/test-doubles/supabase-auth-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser, PHONE, pageErrors } from './browser.ts';
import { freePort, startWebServer, type WebServer } from './web-server.ts';

const TRADER = '00000000-0000-4000-8000-0000000000c1';
const EMAIL = 'trader@example.test';

let auth: SupabaseAuthDouble;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  auth = await startSupabaseAuthDouble({ users: { [EMAIL]: TRADER } });
  [server, browser] = await Promise.all([
    startWebServer({
      env: {
        TRADEASSIST_PROFILE: 'cloud',
        SUPABASE_URL: auth.url,
        SUPABASE_ANON_KEY: 'e2e-anon-key-0123456789',
        SUPABASE_SERVICE_ROLE_KEY: 'e2e-service-key-0123456789',
        TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
        TEMPORAL_NAMESPACE: 'e2e.acct',
        TEMPORAL_API_KEY: 'e2e-temporal-key-0123456789',
        TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
        TWILIO_AUTH_TOKEN: 'a'.repeat(32),
        TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}`,
        TWILIO_PUBLIC_URL: 'https://e2e.example',
      },
      devDistDir: '.next/e2e-accounts',
    }),
    launchBrowser(),
  ]);
  // The user Supabase Auth knows; the sign-up triggers give them a profile and a default watchlist.
  await server.sql`insert into auth.users (id, email) values (${TRADER}, ${EMAIL})`;
  await server.sql`
    insert into public.watchlist_symbols (watchlist_id, user_id, symbol)
    select id, user_id, 'PLTR' from public.watchlists where user_id = ${TRADER} and is_default`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await auth?.close();
});

const get = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { redirect: 'manual', ...init, signal: AbortSignal.timeout(60_000) });

/** A well-formed Supabase session cookie whose token is signed by a key the project never published. */
function forgedCookie(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = enc({ alg: 'ES256', typ: 'JWT', kid: randomUUID() });
  const body = enc({
    sub: TRADER,
    role: 'authenticated',
    aud: 'authenticated',
    email: EMAIL,
    exp: now + 3600,
    iat: now,
  });
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const session = {
    access_token: `${head}.${body}.${sig.toString('base64url')}`,
    refresh_token: 'nope',
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: now + 3600,
    user: { id: TRADER, email: EMAIL, aud: 'authenticated', role: 'authenticated' },
  };
  return `sb-127-auth-token=base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}`;
}

describe('cloud sign-in (Supabase Auth, magic link)', () => {
  it('is closed without a session, and a forged token does not open it', async () => {
    const page = await get('/watchlists');
    expect(page.status).toBe(303);
    expect(new URL(page.headers.get('location') ?? '', server.url).pathname).toBe('/login');
    expect((await get('/api/alerts')).status).toBe(401);
    expect((await get('/api/alerts', { headers: { cookie: forgedCookie() } })).status).toBe(401);
    expect([401, 303]).not.toContain((await get('/api/health')).status);
  });

  it('signs in by email link and shows the trader’s own data', async () => {
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/watchlists`);
    expect(new URL(page.url()).pathname).toBe('/login');
    const form = page.getByRole('form', { name: 'Sign in by email' });
    await form.getByLabel('Email').fill(EMAIL);
    await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Check ${EMAIL}` })
      .waitFor();
    expect(auth.sent).toHaveLength(1);
    const link = new URL(auth.sent[0]!.link);
    expect(`${link.origin}${link.pathname}`).toBe(`${server.url}/login/confirm`);
    expect(link.searchParams.get('next')).toBe('/watchlists');

    await page.goto(link.toString());
    await page.waitForURL(`${server.url}/watchlists`);
    // The seeded local user has SPY…TSLA; this trader's default list holds PLTR only.
    const list = page.getByRole('region', { name: 'Watchlist Watchlist' });
    expect(await list.getByRole('list').textContent()).toContain('PLTR');
    expect(await list.getByRole('list').textContent()).not.toContain('SPY');

    // A write as this trader lands on their rows.
    await list.getByLabel('Tickers to add to Watchlist').fill('SOFI');
    await list.getByRole('button', { name: 'Add' }).click();
    await list.getByRole('status').filter({ hasText: 'Added SOFI.' }).waitFor();
    const rows = await server.sql<{ user_id: string }[]>`
      select user_id::text as user_id from public.watchlist_symbols where symbol = 'SOFI'`;
    expect(rows).toEqual([{ user_id: TRADER }]);

    const cookies = (await ctx.cookies()).filter((c) => c.name.startsWith('sb-'));
    expect(cookies.length).toBeGreaterThan(0);
    const header = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await get('/api/alerts', { headers: { cookie: header } })).status).toBe(200);

    // A used link does not sign anyone in again.
    const again = await get(link.pathname + link.search);
    expect(new URL(again.headers.get('location') ?? '', server.url).pathname).toBe('/login');

    await page.goto(`${server.url}/settings`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/watchlists`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
