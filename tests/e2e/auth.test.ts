/// <reference lib="dom" />
// Passcode sign-in (local profile with DASHBOARD_PASSCODE): without the session cookie pages send
// the browser to /login and the API answers 401, while the Twilio webhook and health stay reachable;
// a wrong passcode is refused, the right one sets a signed HttpOnly SameSite=Lax cookie, and a few
// wrong tries in a row lock the address out. Screenshots of the sign-in screen at both sizes.
import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, DESKTOP, launchBrowser, PHONE, pageErrors, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './web-server.ts';

const PASSCODE = 'correct-horse-7';
const SECRET = 'e2e-session-secret-0123456789-abcdefghij';
const LOCAL_USER = '00000000-0000-4000-8000-000000000001';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startWebServer({
      env: { DASHBOARD_PASSCODE: PASSCODE, SESSION_SECRET: SECRET },
      devDistDir: '.next/e2e-accounts',
    }),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Submits the sign-in form and waits for the sign-in page it lands on (the URL may not change). */
async function submit(page: Page): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

const get = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { redirect: 'manual', ...init, signal: AbortSignal.timeout(60_000) });

describe('passcode sign-in', () => {
  it('gates pages and the API, but not the Twilio webhook, health or the app shell', async () => {
    const page = await get('/trades');
    expect(page.status).toBe(303);
    expect(new URL(page.headers.get('location') ?? '', server.url).href).toBe(
      `${server.url}/login?next=%2Ftrades`,
    );
    const api = await get('/api/alerts');
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'sign in first' });
    // A forged cookie is no better than none.
    const forged = Buffer.from(JSON.stringify({ sub: LOCAL_USER, iat: 1, exp: 9_999_999_999 })).toString(
      'base64url',
    );
    expect((await get('/api/alerts', { headers: { cookie: `ta_session=${forged}.AAAA` } })).status).toBe(401);

    // No server action runs through the public sign-in page (it would run without a session).
    const action = await get('/login', { method: 'POST', headers: { 'next-action': 'abc123' }, body: '[]' });
    expect(action.status).toBe(401);
    // A sign-in form posted from another site is refused (login CSRF).
    const csrf = await get('/login/session', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `passcode=${PASSCODE}`,
    });
    expect(csrf.status).toBe(403);
    expect(csrf.headers.get('set-cookie')).toBeNull();

    // Twilio authenticates its webhook with its signature: the gate must not stand in the way
    // (whatever the handler then says about an unsigned request, it is not the gate's 401/303).
    const sms = await get('/api/twilio/sms', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B15555550100&Body=hi&MessageSid=SM00000000000000000000000000000000',
    });
    expect([401, 303]).not.toContain(sms.status);
    expect(await sms.text()).not.toContain('sign in first');
    for (const open of [
      '/health',
      '/api/health',
      '/manifest.webmanifest',
      '/sw.js',
      '/icons/icon-192.png',
      '/login',
    ]) {
      const r = await get(open);
      expect([401, 303], `${open} answered ${r.status}`).not.toContain(r.status);
    }
  });

  it('refuses a wrong passcode and lets the right one in with a signed cookie', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/trades`);
    expect(new URL(page.url()).pathname).toBe('/login');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Passcode').fill('wrong-passcode');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong passcode.' }).waitFor();
    await screenshot(page, 'login-desktop');
    expect((await ctx.cookies()).find((c) => c.name === 'ta_session')).toBeUndefined();

    await form.getByLabel('Passcode').fill(PASSCODE);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/trades`);
    await page.getByRole('heading', { name: 'Trades' }).waitFor();

    const cookie = (await ctx.cookies()).find((c) => c.name === 'ta_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const [payload, mac] = cookie!.value.split('.');
    expect(mac).toBe(createHmac('sha256', SECRET).update(payload!).digest('base64url'));
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims.sub).toBe(LOCAL_USER);
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000 + 29 * 24 * 3600);

    // The same cookie opens the API to a plain client.
    const api = await get('/api/alerts', { headers: { cookie: `ta_session=${cookie!.value}` } });
    expect(api.status).toBe(200);
    // The wrong try above answered 200 with a message; nothing else failed.
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('locks an address out after five wrong passcodes, even for the right one', async () => {
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    await screenshot(page, 'login-phone');
    const form = page.getByRole('form', { name: 'Sign in' });
    for (let i = 1; i <= 5; i++) {
      await form.getByLabel('Passcode').fill(`guess-${i}`);
      await submit(page);
      await page.getByRole('alert').filter({ hasText: 'Wrong passcode.' }).waitFor();
    }
    await form.getByLabel('Passcode').fill(PASSCODE);
    await submit(page);
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many wrong passcodes/ })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await ctx.cookies()).find((c) => c.name === 'ta_session')).toBeUndefined();
    await ctx.close();
  });
});
