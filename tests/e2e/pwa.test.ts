/// <reference lib="dom" />
// The installable app: a valid manifest with real icons, a registered service worker, and the app
// shell with the last alerts seen when the network is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser, PHONE } from './browser.ts';
import { seedAlerts } from './seed-alerts.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  await seedAlerts(server.sql);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian). */
function pngSize(b: Uint8Array): [number, number] {
  expect([...b.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [v.getUint32(16), v.getUint32(20)];
}

describe('progressive web app', () => {
  it('serves a manifest whose icons exist at the sizes it declares', async () => {
    const page = await (await browser.context(PHONE, true)).newPage();
    await page.goto(server.url);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    const manifest = (await (await fetch(`${server.url}${href}`)).json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ name: 'TradeAssist', start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const res = await fetch(`${server.url}${icon.src}`);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(pngSize(new Uint8Array(await res.arrayBuffer())).join('x')).toBe(icon.sizes);
    }
    await page.context().close();
  });

  it('registers the service worker and shows the last alerts offline', async () => {
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-live-state="live"]');
    const script = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.active?.scriptURL ?? null;
    });
    expect(script).toBe(`${server.url}/sw.js`);
    // clients.claim() makes the worker control this page without a reload.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    // A second visit: every script the page loads (some only on demand) has now passed the worker.
    await page.reload();
    await page.waitForSelector('[data-live-state="live"]');
    await ctx.setOffline(true);
    expect(
      await page.evaluate(() =>
        fetch('/').then(
          () => 'online',
          () => 'offline',
        ),
      ),
    ).toBe('online'); // via the cache
    await page.reload();
    await page.waitForSelector('[data-symbol="NVDA"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="alert-row"]').count()).toBe(14);
    if (server.mode === 'start') {
      // Hydrated offline, the feed says so instead of pretending to be live. (Under `next dev` the
      // page does not hydrate offline: Next's dev client waits for its HMR socket.)
      await page.waitForSelector('[data-live-state="offline"]');
    }
    // Another page, never visited, falls back to the shell rather than the browser's error page.
    await page.goto(`${server.url}/?type=halt`);
    expect(await page.locator('header').textContent()).toContain('TradeAssist');
    await ctx.setOffline(false);
    await ctx.close();
  });
});
