/// <reference lib="dom" />
// The watchlists page: the seeded default list, adding tickers (bad ones named), removing one,
// creating, renaming and deleting a list, refusing a duplicate name, moving the default, and the
// link to the alert feed filtered to a list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser, PHONE, pageErrors } from './browser.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startWebServer({ devDistDir: '.next/e2e-accounts' }),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const lists = () =>
  server.sql<{ id: string; name: string; is_default: boolean; symbols: string[] }[]>`
    select w.id::text as id, w.name, w.is_default,
           coalesce(array_agg(s.symbol order by s.position) filter (where s.symbol is not null), '{}') as symbols
      from public.watchlists w left join public.watchlist_symbols s on s.watchlist_id = w.id
     group by w.id order by w.created_at`;

describe('watchlists', () => {
  it('edits lists and their tickers', async () => {
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/watchlists`);
    const main = page.getByRole('region', { name: 'Watchlist Watchlist' });
    await main.waitFor();
    expect(await main.getByRole('list').textContent()).toMatch(
      /SPY[\s\S]*QQQ[\s\S]*NVDA[\s\S]*AAPL[\s\S]*TSLA/,
    );

    const add = main.getByLabel('Tickers to add to Watchlist');
    await add.fill('amd, $$$');
    await main.getByRole('button', { name: 'Add' }).click();
    await main.getByRole('alert').filter({ hasText: '$$$: not a ticker (such as AAPL or BRK.B)' }).waitFor();
    expect(await add.inputValue()).toBe('amd, $$$');
    await add.fill('amd msft nvda');
    await main.getByRole('button', { name: 'Add' }).click();
    await main.getByRole('status').filter({ hasText: 'Added 2 (the rest were there already).' }).waitFor();
    await main.getByRole('button', { name: 'Remove TSLA' }).click();
    await main.getByRole('status').filter({ hasText: 'Removed TSLA.' }).waitFor();
    expect((await lists()).map(({ id: _, ...l }) => l)).toEqual([
      { name: 'Watchlist', is_default: true, symbols: ['SPY', 'QQQ', 'NVDA', 'AAPL', 'AMD', 'MSFT'] },
    ]);

    const create = page.getByRole('form', { name: 'New watchlist' });
    await create.getByLabel('New list name').fill('  Earnings  ');
    await create.getByRole('button', { name: 'Create list' }).click();
    await create.getByRole('status').filter({ hasText: 'Created “Earnings”.' }).waitFor();
    await create.getByLabel('New list name').fill('Earnings');
    await create.getByRole('button', { name: 'Create list' }).click();
    await create
      .getByRole('alert')
      .filter({ hasText: 'You already have a list named “Earnings”.' })
      .waitFor();

    const earnings = page.getByRole('region', { name: 'Watchlist Earnings' });
    await earnings.getByLabel('Tickers to add to Earnings').fill('ORCL');
    await earnings.getByRole('button', { name: 'Add' }).click();
    await earnings.getByRole('status').filter({ hasText: 'Added ORCL.' }).waitFor();
    await earnings.getByRole('button', { name: 'Rename' }).click();
    await earnings.getByLabel('New name').fill('Earnings week');
    await earnings.getByRole('button', { name: 'Save' }).click();
    const renamed = page.getByRole('region', { name: 'Watchlist Earnings week' });
    await renamed.waitFor();
    await renamed.getByRole('button', { name: 'Make default' }).click();
    await expect.poll(async () => (await lists()).find((l) => l.is_default)?.name).toBe('Earnings week');

    // The old default can go now; the new default offers no delete (SMS `watch` needs one list).
    const old = page.getByRole('region', { name: 'Watchlist Watchlist' });
    await old.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await lists()).map((l) => l.name)).toEqual(['Earnings week']);
    expect(await renamed.getByRole('button', { name: 'Delete' }).count()).toBe(0);

    // the feed filtered by the list itself, so later edits of the list carry over
    const id = (await lists()).find((l) => l.name === 'Earnings week')!.id;
    const link = renamed.getByRole('link', { name: 'Alerts for this list →' });
    expect(await link.getAttribute('href')).toBe(`/?watchlist=${id}`);
    await link.click();
    await page.waitForURL(`${server.url}/?watchlist=${id}`);
    const select = page.getByRole('combobox', { name: 'Watchlist', exact: true });
    await expect.poll(() => select.inputValue()).toBe(id);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
