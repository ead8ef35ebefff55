/// <reference lib="dom" />
// The rules page: the form validates as the trader types, saves a rule the screener can load (the
// row holds the core definition), and the switch turns a rule off and on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, DESKTOP, launchBrowser, pageErrors } from './browser.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

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
});
