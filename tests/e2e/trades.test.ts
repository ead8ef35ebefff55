/// <reference lib="dom" />
// The trades pages against a real Temporal dev server with no worker: the list and a trade's
// journal from seeded rows; opening a trade through the form inserts the row and starts its
// `tradeLifecycle` workflow; a stop move reaches that workflow as a `tradeUpdate` signal; the checks
// the form and the database share show their messages; without Temporal no trade is left behind.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevServerEnv } from '../harness/temporal.ts';
import { type Browser, DESKTOP, launchBrowser, PHONE, pageErrors } from './browser.ts';
import { CLOSED_TRADE, OPEN_TRADE, seedTrades } from './trades-seed.ts';
import { startWebServer, type WebServer } from './web-server.ts';

const TASK_QUEUE = `e2e-trades-${process.pid}`;

let temporal: TestWorkflowEnvironment | undefined;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  temporal = await createDevServerEnv();
  [server, browser] = await Promise.all([
    startWebServer({
      env: {
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace ?? 'default',
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      },
      devDistDir: '.next/e2e-accounts',
    }),
    launchBrowser(),
  ]);
  await seedTrades(server.sql);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await temporal?.teardown();
});

/** The JSON arguments of a workflow event's payloads (the default data converter: json/plain). */
function decode(payloads: { data?: Uint8Array | null }[] | null | undefined): unknown[] {
  return (payloads ?? []).map((p) => JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString('utf8')));
}

describe('trades', () => {
  it('lists open and closed trades with exact P&L, R and today’s total', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/trades`);
    const open = page.getByRole('table', { name: 'Open trades' });
    const closed = page.getByRole('table', { name: 'Closed trades' });
    await open.waitFor();
    expect(await open.locator('[data-testid="trade-row"]').count()).toBe(1);
    const amd = open.locator('[data-symbol="AMD"]');
    // The trailed stop (143.10) shows, not the entry stop.
    expect(await amd.textContent()).toMatch(
      /AMD\s*short[\s\S]*200[\s\S]*142\.80[\s\S]*143\.10[\s\S]*138\.00/i,
    );
    const nvda = closed.locator('[data-symbol="NVDA"]');
    const nvdaText = await nvda.textContent();
    expect(nvdaText).toContain('485.45');
    expect(nvdaText).toContain('+330.00');
    expect(nvdaText).toContain('+1.50R');
    expect(await nvda.locator('text=+330.00').getAttribute('class')).toContain('text-up');
    expect(await closed.locator('[data-symbol="TSLA"]').textContent()).toContain('cancelled');
    // Closed five minutes ago: today's P&L, unless the New York day turned in between.
    expect(await page.getByTestId('today-pnl').textContent()).toMatch(/^\+330\.00$|^0\.00$/);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('shows a trade’s journal in order, in words', async () => {
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/trades/${CLOSED_TRADE}`);
    const entries = page.getByTestId('journal-entry');
    await entries.first().waitFor();
    const texts = (await entries.locator('p').allTextContents()).map((t) => t.trim());
    expect(texts).toEqual([
      'Opened long 100 @ 482.15 · stop 479.95 · target 488.00 · by SMS',
      'Alert vwap cross up @ 482.40',
      'Stop moved to 482.15 (was 479.95)',
      'Sold 50 @ 484.35 · P&L +110.00 · 50 left',
      'Took half into the push; rest rides the VWAP.',
      'Closed @ 485.45 · P&L +330.00 · +1.50R',
    ]);
    expect(await page.getByTestId('trade-status').textContent()).toBe('closed');
    // A closed trade takes notes (into the journal directly) but has no controls to change it.
    expect(await page.getByRole('form', { name: 'Move stop' }).count()).toBe(0);
    await page
      .getByRole('form', { name: 'Note' })
      .getByLabel('Note')
      .fill('Next time: size up on the VWAP hold.');
    await page.getByRole('form', { name: 'Note' }).getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('status').filter({ hasText: 'Note added to the journal.' }).waitFor();
    await page.getByText('Next time: size up on the VWAP hold.').waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('opens a trade through the form: the row, then its running workflow', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/trades/new?symbol=nvda&price=482.15`);
    const form = page.getByRole('form', { name: 'Open a trade' });
    await page.locator('form[aria-label="Open a trade"][data-hydrated]').waitFor();
    expect(await form.getByLabel('Symbol').inputValue()).toBe('NVDA');
    expect(await form.getByLabel('Entry').inputValue()).toBe('482.15');

    // A long stop above the entry: the server action refuses it with the reason.
    await form.getByLabel('Quantity').fill('100');
    await form.getByLabel('Stop').fill('485');
    await form.getByRole('button', { name: 'Open trade' }).click();
    await form.getByText('a long stop must be below the entry').waitFor();
    expect(
      (
        await server.sql`select count(*)::int as n from public.trades where symbol = 'NVDA' and status = 'open'`
      )[0]?.n,
    ).toBe(0);

    await form.getByLabel('Stop').fill('479.95');
    await form.getByLabel('Target').fill('488');
    // Risk 482.15 − 479.95 = 2.20 × 100 = 220.00; reward 488 − 482.15 = 5.85 ÷ 2.20 = 2.659… → 2.66R.
    await expect
      .poll(() => form.getByTestId('risk-line').textContent())
      .toBe('Risk 2.20/share · 220.00 total · target 2.66R');
    await form.getByRole('button', { name: 'Open trade' }).click();
    await page.waitForURL(/\/trades\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1)!;

    const [row] = await server.sql<
      {
        status: string;
        workflow_id: string;
        symbol: string;
        side: string;
        quantity: string;
        entry: string;
        stop: string;
        target: string;
      }[]
    >`
      select status, workflow_id, symbol, side, quantity::text as quantity, entry::text as entry,
             stop::text as stop, target::text as target
        from public.trades where id = ${id}`;
    expect(row).toEqual({
      status: 'open',
      workflow_id: `trade-${id}`,
      symbol: 'NVDA',
      side: 'long',
      quantity: '100.000000',
      entry: '482.150000000',
      stop: '479.950000000',
      target: '488.000000000',
    });
    const handle = temporal!.client.workflow.getHandle(`trade-${id}`);
    const d = await handle.describe();
    expect({ type: d.type, taskQueue: d.taskQueue, status: d.status.name }).toEqual({
      type: 'tradeLifecycle',
      taskQueue: TASK_QUEUE,
      status: 'RUNNING',
    });
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(decode(started?.input?.payloads)).toEqual([
      { tradeId: id, userId: '00000000-0000-4000-8000-000000000001', source: 'dashboard' },
    ]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('sends a stop move to the trade’s workflow, and refuses one past the target', async () => {
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    // The newest NVDA trade (opened by the test above) has a running workflow.
    const [t] = await server.sql<{ id: string }[]>`
      select id::text as id from public.trades where symbol = 'NVDA' and status = 'open' order by created_at desc limit 1`;
    await page.goto(`${server.url}/trades/${t!.id}`);
    const stopForm = page.getByRole('form', { name: 'Move stop' });
    await stopForm.getByLabel('New stop').fill('490');
    await stopForm.getByRole('button', { name: 'Move stop' }).click();
    await stopForm.getByText('the stop must stay below the target (488.00)').waitFor();
    // The refused value stays in the field to fix.
    expect(await stopForm.getByLabel('New stop').inputValue()).toBe('490');

    await stopForm.getByLabel('New stop').fill('482.15');
    await stopForm.getByRole('button', { name: 'Move stop' }).click();
    await stopForm
      .getByRole('status')
      .filter({ hasText: 'Stop → 482.15: sent to the trade’s workflow' })
      .waitFor();

    const handle = temporal!.client.workflow.getHandle(`trade-${t!.id}`);
    const signals = ((await handle.fetchHistory()).events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((s) => s != null);
    expect(signals.map((s) => s.signalName)).toEqual(['tradeUpdate']);
    const [payload] = decode(signals[0]!.input?.payloads) as [Record<string, unknown>];
    expect(payload).toEqual({
      type: 'update_stop',
      stop: '482.15',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    // Closing more than is open never reaches the workflow.
    const close = page.getByRole('form', { name: 'Close' });
    await close.getByLabel('Exit price').fill('487');
    await close.getByLabel(/Shares/).fill('150');
    await close.getByRole('button', { name: 'Sell' }).click();
    await close.getByText('only 100 shares are open').waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('says so when the trade’s workflow is gone, and opens nothing without Temporal', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    // The seeded AMD trade's workflow never ran on this Temporal server.
    await page.goto(`${server.url}/trades/${OPEN_TRADE}`);
    const target = page.getByRole('form', { name: 'Move target' });
    await target.getByLabel('New target').fill('137.50');
    await target.getByRole('button', { name: 'Move target' }).click();
    await target.getByRole('alert').filter({ hasText: 'workflow is not running any more' }).waitFor();

    await temporal!.teardown();
    temporal = undefined;
    const before = (await server.sql`select count(*)::int as n from public.trades`)[0]?.n;
    await page.goto(`${server.url}/trades/new?symbol=MSFT&price=410`);
    const form = page.getByRole('form', { name: 'Open a trade' });
    await page.locator('form[aria-label="Open a trade"][data-hydrated]').waitFor();
    await form.getByLabel('Quantity').fill('10');
    await form.getByRole('button', { name: 'Open trade' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: 'The trade was not opened: its workflow did not start' })
      .waitFor({ timeout: 90_000 });
    expect((await server.sql`select count(*)::int as n from public.trades`)[0]?.n).toBe(before);
    await ctx.close();
  }, 120_000);
});
