/// <reference lib="dom" />
// Screenshots of each main screen at desktop (1440×900) and phone (390×844) size, saved to
// artifacts/screenshots/ for review (CI keeps them). Each page must render without sideways scroll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, DESKTOP, launchBrowser, PHONE, pageErrors, screenshot } from './browser.ts';
import { seedAlerts, seedSymbolDay } from './seed-alerts.ts';
import { seedSymbolBars } from './seed-bars.ts';
import { CLOSED_TRADE, OPEN_TRADE, seedTrades } from './trades-seed.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  await seedAlerts(server.sql);
  await seedSymbolDay(server.sql);
  await seedSymbolBars(server.sql);
  await seedTrades(server.sql);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const SCREENS: { name: string; path: string; ready: string }[] = [
  { name: 'alerts', path: '/', ready: '[data-live-state="live"] [data-testid="alert-row"]' },
  { name: 'alerts-filtered', path: '/?type=gap_up,gap_down&session=pre', ready: '[data-live-state="live"]' },
  { name: 'symbol', path: '/symbol/NVDA', ready: '[data-testid="intraday-chart"] canvas' },
  { name: 'rules', path: '/rules', ready: 'form[aria-label="New rule"]' },
  { name: 'status', path: '/status', ready: '[data-testid="component-database"]' },
  { name: 'trades', path: '/trades', ready: '[data-testid="trade-row"]' },
  { name: 'trade', path: `/trades/${CLOSED_TRADE}`, ready: '[data-testid="journal-entry"]' },
  { name: 'trade-open', path: `/trades/${OPEN_TRADE}`, ready: 'form[aria-label="Move stop"]' },
  {
    name: 'trade-new',
    path: '/trades/new?symbol=NVDA&price=482.15',
    ready: 'form[aria-label="Open a trade"]',
  },
  { name: 'watchlists', path: '/watchlists', ready: '[data-testid="watchlist"]' },
  { name: 'settings', path: '/settings', ready: 'form[aria-label="Alert settings"][data-hydrated]' },
];

describe('screenshots', () => {
  for (const [size, viewport, phone] of [
    ['desktop', DESKTOP, false],
    ['phone', PHONE, true],
  ] as const) {
    it(`captures every main screen at ${size} size`, async () => {
      const ctx = await browser.context(viewport, phone);
      const page = await ctx.newPage();
      const errors = pageErrors(page);
      for (const s of SCREENS) {
        await page.goto(`${server.url}${s.path}`);
        await page.waitForSelector(s.ready, { timeout: 30_000 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect({ screen: s.name, overflow }).toEqual({ screen: s.name, overflow: 0 });
        await screenshot(page, `${s.name}-${size}`);
      }
      expect(errors).toEqual([]);
      await ctx.close();
      // The first pass compiles every page in `next dev`.
    }, 240_000);
  }
});
