/// <reference lib="dom" />
/// <reference lib="webworker" />
// Web Push in the browser: the service worker turns a push into a notification (driven through the
// DevTools protocol's ServiceWorker.deliverPushMessage, the path DevTools' "Push" button takes:
// headless Chromium here cannot reach a real push service), the subscription route stores this
// browser's subscription for the signed-in trader, and the toggle shows the states it can reach.
import { createECDH, randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, DESKTOP, launchBrowser } from './browser.ts';
import { startWebServer, type WebServer } from './web-server.ts';

const LOCAL_USER = '00000000-0000-4000-8000-000000000001';
const OTHER_USER = '00000000-0000-4000-8000-0000000000b2';
/** A VAPID public key is any P-256 public key (the server only hands it to the browser). */
const VAPID_PUBLIC_KEY = createECDH('prime256v1').generateKeys().toString('base64url');
/** Its own build directory: one `next dev` runs per directory, and other e2e files run theirs. */
const DIST = { TA_NEXT_DIST_DIR: '.next/e2e-push' };

let server: WebServer;
let browser: Browser;
/** The last describe swaps in a server without VAPID keys (one `next dev` per build directory). */
let stopped = false;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startWebServer({ env: { ...DIST, VAPID_PUBLIC_KEY } }),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (!stopped) await server?.stop();
});

/** What PushSubscription.toJSON() gives: a fresh P-256 key and a 16-byte auth secret. */
function subscription(
  endpoint = `https://fcm.googleapis.com/fcm/send/${randomBytes(12).toString('base64url')}`,
) {
  return {
    endpoint,
    expirationTime: null,
    keys: {
      p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

/** A fetch from the dashboard's own page: the browser sets Origin, Sec-Fetch-Site and the cookies. */
function fromPage(page: Page, method: string, body: unknown, contentType = 'application/json') {
  return page.evaluate(
    async ([m, b, ct]) => {
      const res = await fetch('/api/push/subscription', {
        method: m,
        headers: { 'content-type': ct },
        body: typeof b === 'string' ? b : JSON.stringify(b),
      });
      return {
        status: res.status,
        body: (await res.json()) as {
          error?: string;
          code?: string;
          registered?: boolean;
          removed?: boolean;
        },
      };
    },
    [method, body, contentType] as const,
  );
}

async function pageWithWorker(ctx: BrowserContext, path = '/status'): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${server.url}${path}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page;
}

describe('service worker push', () => {
  let ctx: BrowserContext;
  let page: Page;
  let push: (data: string) => Promise<void>;

  type Shown = {
    title: string;
    body: string;
    tag: string;
    badge: string;
    icon: string;
    data: { url: string };
  };
  const shown = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        badge: n.badge,
        icon: n.icon,
        data: n.data as { url: string },
      })),
    ) as Promise<Shown[]>;
  const waitShown = async (pred: (n: Shown[]) => boolean) => {
    for (const t0 = Date.now(); Date.now() - t0 < 10_000; ) {
      const n = await shown();
      if (pred(n)) return n;
      await new Promise((r) => setTimeout(r, 100));
    }
    return shown();
  };

  beforeAll(async () => {
    ctx = await browser.context(DESKTOP);
    await ctx.grantPermissions(['notifications'], { origin: server.url });
    const cdp = await ctx.newCDPSession(await ctx.newPage());
    const registrations = new Map<string, string>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      for (const r of e.registrations) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
    });
    await cdp.send('ServiceWorker.enable');
    page = await pageWithWorker(ctx);
    for (const t0 = Date.now(); !registrations.has(`${server.url}/`) && Date.now() - t0 < 10_000; ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const registrationId = registrations.get(`${server.url}/`);
    expect(registrationId).toBeDefined();
    push = async (data) => {
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: server.url,
        registrationId: registrationId ?? '',
        data,
      });
    };
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('shows the notifier’s payload as a notification, and a retry replaces it', async () => {
    // As workflows/src/activities/notifications.activities.ts builds it.
    const payload = {
      title: 'NVDA gap up 5.97% at 482.15',
      body: 'NVDA gap up 5.97% at 482.15 (pre-market)',
      tag: 'alert-42',
      alertId: '42',
      symbol: 'NVDA',
      url: '/symbol/NVDA',
    };
    await push(JSON.stringify(payload));
    const [first, ...rest] = await waitShown((n) => n.length > 0);
    expect(rest).toEqual([]);
    expect(first).toEqual({
      title: payload.title,
      body: payload.body,
      tag: 'alert-42',
      badge: `${server.url}/icons/badge-96.png`,
      icon: `${server.url}/icons/icon-192.png`,
      data: expect.objectContaining({ url: '/symbol/NVDA', symbol: 'NVDA', alertId: '42' }),
    });
    for (const src of [first?.badge, first?.icon]) {
      expect((await fetch(src ?? '')).headers.get('content-type')).toBe('image/png');
    }
    // The push service delivered the same alert twice (a retried send): still one notification.
    await push(JSON.stringify({ ...payload, body: 'again' }));
    const after = await waitShown((n) => n[0]?.body === 'again');
    expect(after.map((n) => [n.tag, n.body])).toEqual([['alert-42', 'again']]);
    // Another alert is another notification.
    await push(JSON.stringify({ ...payload, tag: 'alert-43', title: 'AMD momentum up' }));
    expect((await waitShown((n) => n.length === 2)).map((n) => n.tag).sort()).toEqual([
      'alert-42',
      'alert-43',
    ]);
  });

  it('shows nothing for a malformed payload, and never a link off the site', async () => {
    await page.evaluate(async () => {
      for (const n of await (await navigator.serviceWorker.ready).getNotifications()) n.close();
    });
    expect(await waitShown((n) => n.length === 0)).toEqual([]);
    for (const bad of ['not json', '[]', 'null', '{"body":"no title"}', '{"title":42}', '{"title":"   "}']) {
      await push(bad);
    }
    // Pushes are handled in order: once this one shows, every malformed one before it has been.
    await push(JSON.stringify({ title: 'sentinel', tag: 'sentinel', url: '//evil.example/phish' }));
    const left = await waitShown((n) => n.length > 0);
    expect(left.map((n) => n.title)).toEqual(['sentinel']);
    // A URL to another host becomes the dashboard's home page.
    expect(left[0]?.data.url).toBe('/');
  });
  it('takes a notification click to the alert’s page in the open dashboard tab', async () => {
    // What the notificationclick handler runs (the click itself cannot be automated headless).
    const sw =
      ctx.serviceWorkers().find((w) => w.url() === `${server.url}/sw.js`) ??
      (await ctx.waitForEvent('serviceworker'));
    // Watch the page: the WindowClient navigate() resolves with can still show the old URL.
    const open = (path: string) =>
      sw.evaluate(async (p) => {
        await (self as unknown as { openAlertPage(p: string): Promise<unknown> }).openAlertPage(p);
      }, path);
    const pages = ctx.pages().length;
    await open('/status?from=push');
    await page.waitForURL(`${server.url}/status?from=push`);
    expect(ctx.pages().length).toBe(pages); // the same tab, no new window
    // A URL to another host (a payload the notifier never sends) stays on the dashboard.
    await open('//evil.example/phish');
    await page.waitForURL(`${server.url}/`);
  });
});

describe('subscription route', () => {
  let ctx: BrowserContext;
  let page: Page;
  const rows = () =>
    server.sql<
      { user_id: string; endpoint: string; p256dh: string; auth: string; user_agent: string | null }[]
    >`
      select user_id, endpoint, p256dh, auth, user_agent from public.push_subscriptions order by created_at`;

  beforeAll(async () => {
    ctx = await browser.context(DESKTOP);
    page = await ctx.newPage();
    await page.goto(`${server.url}/status`);
  });

  afterAll(async () => {
    await ctx?.close();
    await server.sql`delete from public.push_subscriptions`;
  });

  it('stores a subscription once per endpoint for the local trader, and removes it', async () => {
    const sub = subscription();
    expect(await fromPage(page, 'POST', sub)).toEqual({ status: 201, body: { registered: true } });
    const ua = await page.evaluate(() => navigator.userAgent);
    expect(await rows()).toEqual([
      {
        user_id: LOCAL_USER,
        endpoint: sub.endpoint,
        p256dh: sub.keys.p256dh,
        auth: sub.keys.auth,
        user_agent: ua,
      },
    ]);
    // The same browser again, with new keys: still one row, the keys refreshed.
    const again = { ...subscription(sub.endpoint) };
    expect(await fromPage(page, 'POST', again)).toEqual({ status: 200, body: { registered: true } });
    expect((await rows()).map((r) => [r.endpoint, r.p256dh, r.auth])).toEqual([
      [sub.endpoint, again.keys.p256dh, again.keys.auth],
    ]);
    const registered = await page.evaluate(
      async (e) => (await fetch(`/api/push/subscription?endpoint=${encodeURIComponent(e)}`)).json(),
      sub.endpoint,
    );
    expect(registered).toEqual({ registered: true });

    expect(await fromPage(page, 'DELETE', { endpoint: sub.endpoint })).toEqual({
      status: 200,
      body: { removed: true },
    });
    expect(await rows()).toEqual([]);
    expect(await fromPage(page, 'DELETE', { endpoint: sub.endpoint })).toEqual({
      status: 200,
      body: { removed: false },
    });
  });

  it('answers 400 with the reason for what is not a push subscription', async () => {
    const sub = subscription();
    const cases: [unknown, RegExp][] = [
      [{ endpoint: sub.endpoint }, /^keys: /],
      [{ ...sub, endpoint: 'http://fcm.googleapis.com/x' }, /^endpoint: endpoint must be an https: URL$/],
      [{ ...sub, endpoint: 'https://169.254.169.254/latest' }, /IP address/],
      [{ ...sub, keys: { ...sub.keys, auth: 'c2hvcnQ' } }, /^keys\.auth: expected 16 bytes of base64url$/],
      [{ ...sub, keys: { ...sub.keys, p256dh: sub.keys.auth } }, /^keys\.p256dh: expected 65 bytes/],
      ['{"endpoint":', /^body is not JSON$/],
      [[], /expected object/],
    ];
    for (const [body, why] of cases) {
      const res = await fromPage(page, 'POST', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(why);
    }
    expect((await fromPage(page, 'POST', JSON.stringify(sub), 'text/plain')).status).toBe(415);
    expect((await fromPage(page, 'DELETE', { endpoint: 'nope' })).status).toBe(400);
    expect(await rows()).toEqual([]);
  });

  it('refuses requests from other origins', async () => {
    const sub = subscription();
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/push/subscription`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(sub),
      });
    const evil = await post({ origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: string }).error).toBe('cross-origin request refused');
    expect((await post({})).status).toBe(403); // no Origin: not a browser page of ours
    // A page on another origin (localhost is another origin than 127.0.0.1) posting as a simple
    // request, the kind a browser sends cross-site without asking first.
    const other = await ctx.newPage();
    await other.goto(server.url.replace('127.0.0.1', 'localhost') + '/status');
    const status = await other.evaluate(
      async ([url, b]) =>
        (
          await fetch(url, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: b,
          })
        ).type,
      [`${server.url}/api/push/subscription`, JSON.stringify(sub)] as const,
    );
    expect(status).toBe('opaque');
    await other.close();
    expect(await rows()).toEqual([]);
  });

  it('never hands one account’s subscription to another', async () => {
    await server.sql`insert into auth.users (id, email) values (${OTHER_USER}, 'other@localhost') on conflict do nothing`;
    const theirs = subscription();
    await server.sql`
      insert into public.push_subscriptions (user_id, endpoint, p256dh, auth)
      values (${OTHER_USER}, ${theirs.endpoint}, ${theirs.keys.p256dh}, ${theirs.keys.auth})`;
    const res = await fromPage(page, 'POST', subscription(theirs.endpoint));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('taken');
    expect(await fromPage(page, 'DELETE', { endpoint: theirs.endpoint })).toEqual({
      status: 200,
      body: { removed: false },
    });
    expect((await rows()).map((r) => [r.user_id, r.p256dh])).toEqual([[OTHER_USER, theirs.keys.p256dh]]);
  });
});

describe('push toggle', () => {
  const toggleState = async (page: Page) => {
    const el = page.getByTestId('push-toggle');
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="push-toggle"]')?.getAttribute('data-push-state');
      return s && s !== 'loading' && s !== 'busy';
    });
    return {
      state: await el.getAttribute('data-push-state'),
      help: await page.getByTestId('push-help').textContent(),
    };
  };

  it('is off until the trader turns it on, and asks for nothing on load', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await pageWithWorker(ctx, '/settings');
    expect(await toggleState(page)).toEqual({ state: 'off', help: expect.stringMatching(/^Turn on/) });
    expect(await page.evaluate(() => Notification.permission)).toBe('default');
    await ctx.close();
  });

  it('says when this browser has no Web Push, and how to get it on an iPhone', async () => {
    const ctx = await browser.context(DESKTOP);
    await ctx.addInitScript(() => {
      // What Safari on iOS offers a page that is not installed to the Home Screen.
      delete (window as { PushManager?: unknown }).PushManager;
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/settings`);
    expect(await toggleState(page)).toEqual({
      state: 'unsupported',
      help: expect.stringMatching(/does not support/),
    });
    expect(await page.getByRole('switch', { name: 'Push notifications on this device' }).isDisabled()).toBe(
      true,
    );
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setUserAgentOverride', {
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    });
    await page.reload();
    expect((await toggleState(page)).help).toMatch(/Add to Home Screen/);
    await ctx.close();
  });

  it('says so when notifications are blocked for the site', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    // The browser's own permission store, for this context only (as the trader's "Block" would set).
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    await cdp.send('Browser.setPermission', {
      permission: { name: 'notifications' },
      setting: 'denied',
      origin: server.url,
      ...(targetInfo.browserContextId ? { browserContextId: targetInfo.browserContextId } : {}),
    });
    await page.goto(`${server.url}/settings`);
    expect(await toggleState(page)).toEqual({ state: 'denied', help: expect.stringMatching(/blocked/) });
    await ctx.close();
  });

  it('turns on only with a stored subscription: either the push service answers or the UI says why', async () => {
    // Headless Chromium here has no route to its push service (FCM), so subscribe() normally fails;
    // where it can reach it, the subscription must then be stored for the trader.
    const ctx = await browser.context(DESKTOP);
    await ctx.grantPermissions(['notifications'], { origin: server.url });
    const page = await pageWithWorker(ctx, '/settings');
    expect((await toggleState(page)).state).toBe('off');
    await page.getByRole('switch', { name: 'Push notifications on this device' }).click();
    const after = await toggleState(page);
    const stored = await server.sql`select 1 from public.push_subscriptions where user_id = ${LOCAL_USER}`;
    if (after.state === 'on') {
      expect(stored.length).toBe(1);
    } else {
      expect(after).toEqual({ state: 'off', help: expect.stringMatching(/^Could not turn push on: \S/) });
      expect(stored.length).toBe(0);
      expect(
        await page.evaluate(async () => (await navigator.serviceWorker.ready).pushManager.getSubscription()),
      ).toBeNull();
    }
    await ctx.close();
  });
});

describe('push toggle without VAPID keys', () => {
  beforeAll(async () => {
    stopped = true;
    await server.stop();
    server = await startWebServer({ env: DIST });
    stopped = false;
  }, 180_000);

  it('says push is not configured on this server and cannot be switched', async () => {
    const ctx = await browser.context(DESKTOP);
    await ctx.grantPermissions(['notifications'], { origin: server.url });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/settings`);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="push-toggle"]')?.getAttribute('data-push-state') !== 'loading',
    );
    expect(await page.getByTestId('push-toggle').getAttribute('data-push-state')).toBe('unconfigured');
    expect(await page.getByTestId('push-status').textContent()).toBe('not configured');
    expect(await page.getByTestId('push-help').textContent()).toMatch(/VAPID_PUBLIC_KEY/);
    expect(await page.getByRole('switch', { name: 'Push notifications on this device' }).isDisabled()).toBe(
      true,
    );
    await ctx.close();
  });
});
