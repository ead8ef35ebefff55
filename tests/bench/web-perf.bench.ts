/// <reference lib="dom" />
// The dashboard's performance goals (issue #6), measured on the production build (`next build` +
// `next start`, see web-prod.ts: built once per run, or reused when newer than its sources) in the
// machine's Chromium (playwright-core, headless), over a real embedded Postgres whose alerts reach
// the page through the real path (insert -> trigger -> NOTIFY -> /api/live SSE -> React).
//
//   web.feed_first_load_js_gzip_kb   JavaScript the feed page loads on a cold visit: every script
//                                    response up to the load event (+1 s for late chunks), each body
//                                    gzipped (zlib default level, as Next reports sizes). Goal <= 180.
//   web.feed_first_load_js_wire_kb   the same scripts' bytes on the wire as next start served them.
//   web.symbol_load_js_gzip_kb       the symbol page likewise, its chart library included (a separate
//                                    chunk, requested after hydration: not in the feed's bytes).
//   web.feed_lcp_ms                  largest contentful paint of the feed (PerformanceObserver
//                                    'largest-contentful-paint', last candidate), median of 7 cold
//                                    loads (fresh browser context each: empty cache, no service
//                                    worker), 1440x900, no CPU or network throttling. Goal <= 1500.
//   web.feed_fps_median              frames per second while 50 alerts/s are inserted for 10 s (one
//   web.feed_fps_worst_1s            autocommit insert every 20 ms), counted by requestAnimationFrame
//   web.feed_long_frames             in the page: the median and the worst 1-s window, and frames
//                                    longer than 50 ms. Goal 60 fps. Headless Chromium paces frames
//                                    from a virtual 60 Hz source without a GPU or a display, so this
//                                    measures main-thread work per frame, not what a screen shows.
//   web.feed_main_thread_busy_pct_at_50_per_s  the renderer main thread's task time over the run's
//                                    wall time (Chromium's TaskDuration counter): the page's own cost,
//                                    whatever else the machine is doing.
//   web.commit_to_screen_p95_ms      from just before an alert's insert is sent to its row being in
//   web.commit_to_screen_p50_ms      the DOM (MutationObserver, same clock: epoch ms on both sides),
//                                    one alert every 200 ms, 60 samples. Goal <= 300.
//   web.commit_to_screen_p95_ms_at_50_per_s  the same during the 50 alerts/s run.
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM } from '../e2e/browser.ts';
import { type BenchResult, quantile, summarize } from './stats.ts';
import { type ProdServer, startProdServer } from './web-prod.ts';

const DESKTOP = { width: 1440, height: 900 };
const LCP_RUNS = 7;
const SEED_ALERTS = 300;
const RATE = 50;
const LOAD_SECONDS = 10;
const QUIET_SAMPLES = 60;
const QUIET_GAP_MS = 200;

const log = (msg: string) => process.stderr.write(`bench web: ${msg}\n`);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Number(x.toFixed(d));
const one = (name: string, unit: string, value: number, d = 1): BenchResult => ({
  name,
  unit,
  value: round(value, d),
  n: 1,
  min: round(value, d),
  max: round(value, d),
});

const TYPES = [
  'gap_up',
  'gap_down',
  'momentum_up',
  'momentum_down',
  'volume_spike',
  'new_high_of_day',
  'vwap_cross_up',
];
let seq = 0;

async function seed(sql: ProdServer['sql']): Promise<void> {
  await sql`
    insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
    select 'S' || (i % 400), (${TYPES}::text[])[1 + i % ${TYPES.length}], 1763730000000000000 + i::bigint * 1000000000,
           (10 + (i % 300) * 1.37)::numeric(12, 2), 'regular', 0.5,
           jsonb_build_object('pct', 3.1, 'rvol', 2.4), 'bench:seed:' || i
      from generate_series(1, ${SEED_ALERTS}) i`;
}

/** One alert, autocommit; returns its id and when the insert was sent (epoch ms). */
async function insertAlert(sql: ProdServer['sql']): Promise<{ id: string; sentAt: number }> {
  const i = ++seq;
  const sentAt = now();
  const [row] = await sql<{ id: string }[]>`
    insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
    values (${`B${i % 500}`}, ${TYPES[i % TYPES.length]!}, ${String(1_763_740_000_000_000_000n + BigInt(i))},
            ${`${20 + (i % 90)}.${String(i % 100).padStart(2, '0')}`}, 'regular', 0.6,
            ${sql.json({ pct: 4.2, rvol: 3.3 })}, ${`bench:live:${i}:${Date.now()}`})
    returning id::text as id`;
  return { id: row!.id, sentAt };
}

async function coldContext(browser: Browser): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'dark', serviceWorkers: 'block' });
  // tsx compiles this file with esbuild's keepNames: functions passed to page.evaluate call __name
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return ctx;
}

/** Script bytes a cold load of `path` fetches up to load + settleMs: gzip and wire totals, per URL. */
async function firstLoadJs(browser: Browser, url: string, settleMs = 1000) {
  const ctx = await coldContext(browser);
  const page = await ctx.newPage();
  const scripts = new Map<string, Promise<{ gzip: number; raw: number }>>();
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script' || scripts.has(r.url())) return;
    scripts.set(
      r.url(),
      r.body().then((b) => ({ gzip: gzipSync(b).length, raw: b.length })),
    );
  });
  await page.goto(url, { waitUntil: 'load' });
  await sleep(settleMs);
  const wire = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'))
      .reduce((s, e) => s + e.transferSize, 0),
  );
  const sizes = new Map<string, { gzip: number; raw: number }>();
  for (const [u, p] of scripts) sizes.set(u, await p);
  await ctx.close();
  let gzip = 0;
  for (const s of sizes.values()) gzip += s.gzip;
  return { gzip, wire, sizes };
}

async function lcpOnce(browser: Browser, url: string): Promise<number> {
  const ctx = await coldContext(browser);
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="alert-row"]');
  const lcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let last = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) last = e.startTime;
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        // candidates stop after the first input or when the page settles; give late ones a moment
        setTimeout(() => resolve(last), 500);
      }),
  );
  await ctx.close();
  return lcp;
}

/** Records every alert row's first appearance in the DOM: id -> epoch ms. */
async function watchRows(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = new Map<string, number>();
    (window as unknown as { __seen: Map<string, number> }).__seen = seen;
    new MutationObserver((records) => {
      const t = performance.timeOrigin + performance.now();
      for (const r of records)
        for (const n of Array.from(r.addedNodes)) {
          if (!(n instanceof Element)) continue;
          const rows = n.matches('[data-testid="alert-row"]')
            ? [n]
            : Array.from(n.querySelectorAll('[data-testid="alert-row"]'));
          for (const row of rows) {
            const id = row.getAttribute('data-id');
            if (id && !seen.has(id)) seen.set(id, t);
          }
        }
    }).observe(document.body, { childList: true, subtree: true });
  });
}

async function latencies(page: Page, sent: { id: string; sentAt: number }[]): Promise<number[]> {
  const ids = sent.map((s) => s.id);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const seen = await page.evaluate(
      (want) =>
        want.map((id) => (window as unknown as { __seen: Map<string, number> }).__seen.get(id) ?? null),
      ids,
    );
    if (seen.every((t) => t !== null) || Date.now() > deadline) {
      const missing = seen.filter((t) => t === null).length;
      if (missing > 0) throw new Error(`${missing} of ${ids.length} alerts never reached the screen`);
      return seen.map((t, i) => t! - sent[i]!.sentAt);
    }
    await sleep(100);
  }
}

async function openFeed(browser: Browser, url: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await coldContext(browser);
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-live-state="live"] [data-testid="alert-row"]', { timeout: 90_000 });
  await watchRows(page);
  return { ctx, page };
}

export async function run(): Promise<BenchResult[]> {
  const server = await startProdServer('bench_web');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const out: BenchResult[] = [];
  try {
    log(`production build ${server.build}; server ${server.url}`);
    await seed(server.sql);
    // Warm the server's own caches (first render of each route) so cold means a cold browser.
    for (const p of ['/', '/symbol/S1']) await (await fetch(server.url + p)).text();

    // (a) first-load JavaScript
    const feedJs = await firstLoadJs(browser, `${server.url}/`);
    out.push(one('web.feed_first_load_js_gzip_kb', 'KB', feedJs.gzip / 1024));
    out.push(one('web.feed_first_load_js_wire_kb', 'KB', feedJs.wire / 1024));
    const scripts = [...feedJs.sizes].sort((a, b) => b[1].gzip - a[1].gzip);
    log(
      `feed scripts (KB gzip): ${scripts.map(([u, s]) => `${new URL(u).pathname.split('/').pop()} ${(s.gzip / 1024).toFixed(1)}`).join(', ')}`,
    );
    // the symbol page, its chart library included (loaded right after hydration)
    await server.sql`
      insert into public.intraday_bars (symbol, ts, open, high, low, close, volume, vwap, trade_count)
      select 'S1', to_timestamp(1763735400 + m * 60), 10, 10.2, 9.9, 10.1, 1000, 10.05, 10 from generate_series(0, 59) m`;
    const sym = await firstLoadJs(browser, `${server.url}/symbol/S1`, 3000);
    out.push(one('web.symbol_load_js_gzip_kb', 'KB', sym.gzip / 1024));

    // (b) largest contentful paint, cold loads
    const lcps: number[] = [];
    for (let i = 0; i < LCP_RUNS; i++) lcps.push(await lcpOnce(browser, `${server.url}/`));
    out.push(summarize('web.feed_lcp_ms', 'ms', lcps, 0));

    // (d) commit to screen, one alert every 200 ms
    {
      const { ctx, page } = await openFeed(browser, `${server.url}/`);
      const sent: { id: string; sentAt: number }[] = [];
      for (let i = 0; i < QUIET_SAMPLES; i++) {
        sent.push(await insertAlert(server.sql));
        await sleep(QUIET_GAP_MS);
      }
      const lat = await latencies(page, sent);
      out.push(one('web.commit_to_screen_p95_ms', 'ms', quantile(lat, 0.95)));
      out.push(one('web.commit_to_screen_p50_ms', 'ms', quantile(lat, 0.5)));
      await ctx.close();
    }

    // (c) frame rate while 50 alerts/s arrive for 10 s (and their commit-to-screen)
    {
      const { ctx, page } = await openFeed(browser, `${server.url}/`);
      await page.evaluate(() => {
        const frames: number[] = [];
        (window as unknown as { __frames: number[] }).__frames = frames;
        const tick = (t: number) => {
          frames.push(t);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await sleep(500);
      // The page's own main-thread work (script, style, layout, other tasks), from Chromium's
      // counters: tells the page's cost apart from a renderer starved by other processes.
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      const busy = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
      };
      const busy0 = await busy();
      const t0 = await page.evaluate(() => performance.now());
      const sent: Promise<{ id: string; sentAt: number }>[] = [];
      const start = performance.now();
      for (let i = 0; i < RATE * LOAD_SECONDS; i++) {
        // paced against the clock, not by sleeping a fixed gap after each insert
        const due = start + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        sent.push(insertAlert(server.sql));
      }
      const done = await Promise.all(sent);
      const busyS = (await busy()) - busy0;
      const wall = (performance.now() - start) / 1000;
      out.push(one('web.feed_main_thread_busy_pct_at_50_per_s', '%', (busyS / wall) * 100));
      await sleep(500);
      const frames = await page.evaluate(() => (window as unknown as { __frames: number[] }).__frames);
      const inRun = frames.filter((t) => t >= t0 && t <= t0 + LOAD_SECONDS * 1000);
      const perWindow: number[] = [];
      for (let w = 0; w < LOAD_SECONDS; w++)
        perWindow.push(inRun.filter((t) => t >= t0 + w * 1000 && t < t0 + (w + 1) * 1000).length);
      let long = 0;
      for (let i = 1; i < inRun.length; i++) if (inRun[i]! - inRun[i - 1]! > 50) long++;
      out.push(summarize('web.feed_fps_median', 'fps', perWindow, 0));
      out.push(one('web.feed_fps_worst_1s', 'fps', Math.min(...perWindow), 0));
      out.push(one('web.feed_long_frames', 'frames', long, 0));
      const lat = await latencies(page, done);
      out.push(one('web.commit_to_screen_p95_ms_at_50_per_s', 'ms', quantile(lat, 0.95)));
      const shown = await page.locator('[data-testid="alert-count"]').textContent();
      log(`after the 50/s run the feed shows ${shown}; frames per 1-s window: ${perWindow.join(' ')}`);
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return out;
}
