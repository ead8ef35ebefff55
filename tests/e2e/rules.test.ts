/// <reference lib="dom" />
// The rules page: the form validates as the trader types, saves a rule the screener can load (the
// row holds the core definition), the switch turns a rule off and on, and Preview shows what a draft
// would have fired on the simulator or on a replay file of the server's directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator } from '@tradeassist/market-data/sim';
import { backtest } from '@tradeassist/screener';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_SIM } from '../../apps/web/lib/server/rule-preview.ts';
import { type Browser, DESKTOP, launchBrowser, PHONE, pageErrors, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let browser: Browser;
let replayDir: string;
// A small simulated session written as DBN: the replay file the preview's source picker offers.
const REPLAY = { seed: 7, symbols: 60, minutes: 30, preMarketMinutes: 30, activity: 0.25 };

beforeAll(async () => {
  replayDir = await mkdtemp(join(tmpdir(), 'rules-e2e-'));
  await createSimulator(REPLAY).writeDbn(join(replayDir, 'small-session.dbn'));
  [server, browser] = await Promise.all([
    startWebServer({ env: { RULE_PREVIEW_REPLAY_DIR: replayDir } }),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (replayDir) await rm(replayDir, { recursive: true, force: true });
});

/** What the screener's own backtest fires for "change_pct >= 5, pre and regular" on a simulated session. */
async function expectedFires(sim: ReturnType<typeof createSimulator>): Promise<number> {
  function* batches() {
    let symbols = sim.symbolPairs();
    for (const records of sim.generate()) {
      yield { records, symbols };
      symbols = [];
    }
  }
  const rule = {
    id: '11111111-1111-4111-8111-111111111111',
    user_id: '00000000-0000-4000-8000-000000000001',
    name: 'Up 5%',
    scope: { kind: 'all' },
    sessions: ['pre', 'regular'],
    condition: { op: 'compare', left: { field: 'change_pct' }, cmp: '>=', right: { value: 5 } },
  };
  return (await backtest(batches(), { rules: [rule] })).alerts.length;
}

describe('rules', () => {
  it('builds, validates, saves and toggles a rule', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/rules`);
    const form = page.getByRole('form', { name: 'New rule' });
    await form.waitFor();

    // Invalid as typed: a symbol scope without symbols, a cooldown that is not a number.
    await page.getByLabel('Scope').selectOption('symbols');
    await form.getByLabel('Cooldown per symbol (s)').fill('soon');
    await expect.poll(() => form.textContent(), { timeout: 10_000 }).toMatch(/expected number/i);
    expect(await form.getByRole('button', { name: 'Save rule' }).isDisabled()).toBe(true);

    await form.getByLabel('Name').fill('Gappers above VWAP');
    await page.getByLabel('Rule symbols').fill('nvda, amd');
    await form.getByLabel('Cooldown per symbol (s)').fill('600');
    await page.getByLabel('Condition 1 field').selectOption('gap_pct');
    await page.getByLabel('Condition 1 value').fill('4');
    await form.getByRole('button', { name: '+ condition' }).click();
    await page.getByLabel('Condition 2 field').selectOption('price');
    await page.getByLabel('Condition 2 comparison').selectOption('>');
    await page.getByLabel('Condition 2 compare with').selectOption('vwap');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “Gappers above VWAP”' }).waitFor();

    const [row] = await server.sql<
      { name: string; enabled: boolean; cooldown_seconds: number; channels: string[]; definition: unknown }[]
    >`select name, enabled, cooldown_seconds, channels, definition from public.rules`;
    expect(row).toEqual({
      name: 'Gappers above VWAP',
      enabled: true,
      cooldown_seconds: 600,
      channels: ['web'],
      definition: {
        scope: { kind: 'symbols', symbols: ['NVDA', 'AMD'] },
        sessions: ['regular'],
        condition: {
          op: 'and',
          all: [
            { op: 'compare', left: { field: 'gap_pct' }, cmp: '>=', right: { value: 4 } },
            { op: 'compare', left: { field: 'price' }, cmp: '>', right: { field: 'vwap' } },
          ],
        },
      },
    });
    await page.locator('[data-rule="Gappers above VWAP"]').waitFor();
    expect(await page.locator('[data-rule="Gappers above VWAP"]').textContent()).toContain(
      'gap_pct >= 4 and price > vwap',
    );

    const toggle = page.getByRole('switch', { name: /Gappers above VWAP/ });
    await toggle.click();
    await expect
      .poll(
        async () => (await server.sql<{ enabled: boolean }[]>`select enabled from public.rules`)[0]?.enabled,
      )
      .toBe(false);
    await page.reload();
    expect(await page.getByRole('switch', { name: /Gappers above VWAP/ }).getAttribute('aria-checked')).toBe(
      'false',
    );
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('previews a draft rule on the simulator and on a replay file, at phone width', async () => {
    const [onSim, onReplay] = [
      await expectedFires(createSimulator(PREVIEW_SIM)),
      await expectedFires(createSimulator(REPLAY)),
    ];
    expect(onSim).toBeGreaterThan(0);
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/rules`);
    const form = page.getByRole('form', { name: 'New rule' });
    await form.waitFor();

    // "Up 5% on the day" (the new condition's default: change_pct >= 5), pre-market too. No name yet:
    // a preview does not need one.
    await page.getByLabel('Condition 1 field').selectOption('change_pct');
    await page.getByLabel('Condition 1 value').fill('5');
    await form.getByRole('checkbox', { name: 'pre', exact: true }).check();
    await form.getByRole('button', { name: 'Preview' }).click();

    const preview = form.getByRole('region', { name: 'Rule preview' });
    const summary = preview.getByRole('status');
    await summary.filter({ hasText: 'Would have fired' }).waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toMatch(
      new RegExp(`^Would have fired ${onSim.toLocaleString('en-US')} times? on the simulator`),
    );
    const rows = preview.getByTestId('preview-alert');
    expect(await rows.count()).toBe(Math.min(onSim, 50));
    // symbol, time (ET, inside the simulated 8:30-10:30 window), price.
    expect(await rows.first().textContent()).toMatch(/^[A-Z][A-Z.]*(08|09|10):\d\d:\d\d\d+\.\d{2,}$/);
    await screenshot(page, 'rules-preview-phone', { fullPage: true });

    // The same draft on the server's replay file.
    await page.getByLabel('Preview on').selectOption('small-session.dbn');
    await form.getByRole('button', { name: 'Preview' }).click();
    await summary.filter({ hasText: 'small-session.dbn' }).waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toMatch(
      new RegExp(`^Would have fired ${onReplay.toLocaleString('en-US')} times? on small-session\\.dbn`),
    );

    // Changing the rule clears the result; an impossible rule fires 0 times.
    await page.getByLabel('Condition 1 value').fill('500');
    expect(await preview.count()).toBe(0);
    await form.getByRole('button', { name: 'Preview' }).click();
    await summary.filter({ hasText: 'Would have fired 0 times' }).waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
