/// <reference lib="dom" />
// The symbol page in a real Chromium against a real server and database: key numbers computed from
// the day's 1-minute bars (checked by hand below), candles with the alerts marked, a new alert for
// the symbol on screen and on the chart as it commits, a new bar picked up by the page's refresh,
// the "open a trade" link at the last price, and the phone and desktop layouts (screenshots).
import { CUMULATIVE_SHARE } from '@tradeassist/screener';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, DESKTOP, launchBrowser, PHONE, pageErrors, screenshot } from './browser.ts';
import { seedSymbolDay } from './seed-alerts.ts';
import { insertBars, seedSymbolBars } from './seed-bars.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let browser: Browser;

// 2025-11-21 (EST, UTC−5): 09:30 New York = 14:30 UTC.
const OPEN = 1_763_735_400;
const ns = (s: number) => String(BigInt(s) * 1_000_000_000n);

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  await seedSymbolDay(server.sql);
  await seedSymbolBars(server.sql);
  // AMD: prior close 150.00 on 2025-11-20, 20-day average volume 1,000,000 (one day of history).
  await server.sql`
    insert into public.daily_bars (symbol, trade_date, open, high, low, close, volume)
    values ('AMD', '2025-11-20', 149, 151, 148, 150.00, 1000000)`;
  await insertBars(server.sql, 'AMD', [
    // pre-market 09:00, then the first two regular minutes
    {
      ts: OPEN - 1800,
      open: '152.00',
      high: '152.50',
      low: '151.80',
      close: '152.40',
      volume: 1_000,
      vwap: '152.20',
      trades: 10,
    },
    {
      ts: OPEN,
      open: '153.00',
      high: '154.00',
      low: '152.90',
      close: '153.80',
      volume: 10_000,
      vwap: '153.50',
      trades: 80,
    },
    {
      ts: OPEN + 60,
      open: '153.80',
      high: '155.20',
      low: '153.60',
      close: '155.00',
      volume: 30_000,
      vwap: '154.50',
      trades: 200,
    },
  ]);
  await server.sql`
    insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
    values ('AMD', 'momentum_up', ${ns(OPEN + 90)}, '154.90', 'regular', 0.7, ${server.sql.json({ pct: 3.3, rvol: 2.1 })},
            'e2e:AMD:mom:1')`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const stat = (page: Page, id: string) =>
  page.locator(`[data-testid="stat-${id}"] [data-value]`).textContent();

describe('symbol page', () => {
  it('shows the key numbers of the day, the candles with alert markers and the trade link', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/symbol/AMD`);
    await page.waitForSelector('[data-testid="intraday-chart"] canvas', { timeout: 60_000 });
    // last = the 09:31 close 155.00 (that bar ends 09:32, after the 09:31:30 alert)
    expect(await stat(page, 'last')).toBe('155.00');
    expect(await stat(page, 'prior')).toBe('150.00');
    // gap: the regular open 153.00 vs 150.00 = +2.00%; change (155 − 150) / 150 = +3.33%
    expect(await stat(page, 'gap')).toBe('+2.00%');
    expect(await page.locator('[data-testid="stat-last"]').textContent()).toContain('+3.33% vs prior close');
    // regular session only: high 155.20, low 152.90 (the pre-market's 151.80 does not count)
    expect(await stat(page, 'high')).toBe('155.20');
    expect(await stat(page, 'low')).toBe('152.90');
    // VWAP (153.50 × 10,000 + 154.50 × 30,000) / 40,000 = 154.25
    expect(await stat(page, 'vwap')).toBe('154.25');
    // RVOL: 41,000 shares by the end of 09:31 (minute 331 from 04:00) vs 1,000,000 × the profile's share
    const rvol = Math.round((41_000 / (1_000_000 * CUMULATIVE_SHARE[331]!)) * 100) / 100;
    expect(await stat(page, 'rvol')).toBe(`${rvol.toFixed(2)}×`);
    const chart = page.locator('[data-testid="intraday-chart"]');
    expect(await chart.getAttribute('data-bars')).toBe('3');
    expect(await chart.getAttribute('data-markers')).toBe('1');
    expect(await page.locator('[data-testid="symbol-alert"]').count()).toBe(1);
    expect(await page.locator('[data-testid="open-trade"]').getAttribute('href')).toBe(
      '/trades/new?symbol=AMD&price=155.00',
    );
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('marks a new alert as it commits and picks up new bars on its refresh', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/symbol/AMD`);
    await page.waitForSelector('[data-live-state="live"] [data-testid="intraday-chart"] canvas', {
      timeout: 60_000,
    });
    const chart = page.locator('[data-testid="intraday-chart"]');
    // An alert for another symbol is not this page's; one for AMD at 09:32:10 is, and it is newer than
    // the last bar's end (09:32:00), so it becomes the last price.
    await server.sql`
      insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
      values ('TSLA', 'gap_up', ${ns(OPEN + 125)}, '250.00', 'regular', 0.5, '{}', 'e2e:TSLA:1'),
             ('AMD', 'new_high_of_day', ${ns(OPEN + 130)}, '155.40', 'regular', 0.6, '{}', 'e2e:AMD:hod:1')`;
    await expect.poll(() => page.locator('[data-testid="symbol-alert"]').count(), { timeout: 5_000 }).toBe(2);
    expect(await chart.getAttribute('data-markers')).toBe('2');
    await expect.poll(() => stat(page, 'last'), { timeout: 5_000 }).toBe('155.40');

    // The 09:32 bar closes: the page's refresh (every 5 s) brings it and its close becomes the last.
    await insertBars(server.sql, 'AMD', [
      {
        ts: OPEN + 120,
        open: '155.00',
        high: '155.90',
        low: '154.95',
        close: '155.60',
        volume: 5_000,
        vwap: '155.45',
        trades: 40,
      },
    ]);
    await expect.poll(() => chart.getAttribute('data-bars'), { timeout: 12_000 }).toBe('4');
    await expect.poll(() => stat(page, 'last'), { timeout: 5_000 }).toBe('155.60');
    expect(await stat(page, 'high')).toBe('155.90');
    expect(await page.locator('[data-testid="open-trade"]').getAttribute('href')).toBe(
      '/trades/new?symbol=AMD&price=155.60',
    );
    await ctx.close();
  });

  for (const [size, viewport, phone] of [
    ['desktop', DESKTOP, false],
    ['phone', PHONE, true],
  ] as const) {
    it(`lays out without sideways scroll at ${size} size (screenshot)`, async () => {
      const ctx = await browser.context(viewport, phone);
      const page = await ctx.newPage();
      const errors = pageErrors(page);
      await page.goto(`${server.url}/symbol/NVDA`);
      await page.waitForSelector('[data-testid="intraday-chart"] canvas', { timeout: 60_000 });
      await page.waitForSelector('[data-testid="daily-chart"] canvas', { timeout: 30_000 });
      expect(await page.locator('[data-testid="intraday-chart"]').getAttribute('data-markers')).toBe('7');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBe(0);
      await screenshot(page, `symbol-${size}`);
      if (phone) await screenshot(page, `symbol-${size}-full`, { fullPage: true });
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }
});
