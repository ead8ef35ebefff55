/// <reference lib="dom" />
// The settings page: alert settings (quiet hours, timezone, minimum score, sound, the channels
// matrix) saved to the profile in the shape its check accepts, a half-set quiet window refused;
// and phone verification end to end: the code goes out through the SMS outbox (read back from the
// outbound sms_messages row, as the dev phone shows it), a wrong code counts, the right one makes
// the number the profile's, verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, DESKTOP, launchBrowser, pageErrors } from './browser.ts';
import { startWebServer, type WebServer } from './web-server.ts';

const USER = '00000000-0000-4000-8000-000000000001';
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

const profile = async () =>
  (
    await server.sql<
      {
        timezone: string;
        quiet_hours_start: string | null;
        quiet_hours_end: string | null;
        channels: unknown;
        sound_enabled: boolean;
        min_score: number;
        phone: string | null;
        phone_verified: boolean;
        sms_opt_in: string;
      }[]
    >`select timezone, quiet_hours_start::text, quiet_hours_end::text, channels, sound_enabled, min_score,
             phone, phone_verified, sms_opt_in
        from public.profiles where id = ${USER}`
  )[0];

describe('settings', () => {
  it('saves quiet hours, timezone, score, sound and channels per alert type', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/settings`);
    const form = page.getByRole('form', { name: 'Alert settings' });
    // Controlled fields: typed values count once React has hydrated the form.
    await page.locator('form[aria-label="Alert settings"][data-hydrated]').waitFor();

    // Half a quiet window is refused, and nothing is saved.
    await form.getByLabel('Quiet from').fill('22:00');
    await form.getByRole('button', { name: 'Save alert settings' }).click();
    await form.getByText('set both ends of the quiet hours, or neither').waitFor();
    expect((await profile())?.quiet_hours_start).toBeNull();
    // What was typed stays for the fix.
    expect(await form.getByLabel('Quiet from').inputValue()).toBe('22:00');

    await form.getByLabel('Quiet until').fill('07:00');
    await form.getByLabel('Timezone').selectOption('America/Chicago');
    await form.getByLabel('Minimum score').fill('0.6');
    await form.getByLabel('Sound on alerts').uncheck();
    // Gap up: its own channels (SMS too); halts: SMS only; trades: back to the default.
    await form.getByLabel('Gap up: same as default').uncheck();
    await form.getByLabel('Gap up: sms').check();
    await form.getByLabel('Halt: same as default').uncheck();
    await form.getByLabel('Halt: push').uncheck();
    await form.getByLabel('Halt: web').uncheck();
    await form.getByLabel('Halt: sms').check();
    await form.getByLabel('My trades (stop, target, follow-ups): same as default').check();
    expect(await form.getByLabel('My trades (stop, target, follow-ups): sms').isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Save alert settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    expect(await profile()).toMatchObject({
      timezone: 'America/Chicago',
      quiet_hours_start: '22:00:00',
      quiet_hours_end: '07:00:00',
      sound_enabled: false,
      min_score: 0.6,
      channels: { default: ['push', 'web'], gap_up: ['sms', 'push', 'web'], halt: ['sms'] },
    });
    await page.reload();
    await page.locator('form[aria-label="Alert settings"][data-hydrated]').waitFor();
    expect(await form.getByLabel('Halt: sms').isChecked()).toBe(true);
    expect(await form.getByLabel('Halt: web').isChecked()).toBe(false);
    expect(await form.getByLabel('Quiet from').inputValue()).toBe('22:00');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('verifies a new phone number with a texted code', async () => {
    const ctx = await browser.context(DESKTOP);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/settings`);
    const send = page.getByRole('form', { name: 'Send code' });
    await send.getByLabel('Phone number').fill('4155550123');
    await send.getByRole('button', { name: 'Send code' }).click();
    await send.getByText('expected an international number such as +14155550123').waitFor();

    await send.getByLabel('Phone number').fill('+1 (415) 555-0123');
    await send.getByRole('button', { name: 'Send code' }).click();
    await page.getByRole('status').filter({ hasText: 'Code sent to +14155550123.' }).waitFor();
    const [sms] = await server.sql<{ body: string; user_id: string; direction: string }[]>`
      select body, user_id::text as user_id, direction from public.sms_messages where to_number = '+14155550123'`;
    expect(sms).toMatchObject({ user_id: USER, direction: 'out' });
    const code = /^(\d{6}) is your TradeAssist code/.exec(sms!.body)?.[1];
    expect(code).toBeDefined();
    // Only a salted hash is kept.
    const [v] = await server.sql<{ code_hash: string }[]>`select code_hash from public.phone_verifications`;
    expect(v?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v?.code_hash).not.toContain(code);

    // A second code right away is refused (each one is an SMS).
    await page.getByRole('form', { name: 'Send code' }).getByRole('button', { name: /Send/ }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /A code was just sent\. Wait \d+ s/ })
      .waitFor();

    const verify = page.getByRole('form', { name: 'Verify code' });
    const wrong = code === '000000' ? '111111' : '000000';
    await verify.getByLabel('Code').fill(wrong);
    await verify.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong code. 4 tries left.' }).waitFor();
    expect((await profile())?.phone).toBe('+15555550100');

    await verify.getByLabel('Code').fill(code!);
    await verify.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('status').filter({ hasText: '+14155550123 is verified' }).waitFor();
    expect(await profile()).toMatchObject({
      phone: '+14155550123',
      phone_verified: true,
      sms_opt_in: 'opted_in',
    });
    expect(await server.sql`select 1 from public.phone_verifications`).toHaveLength(0);
    await page.reload();
    expect(await page.getByTestId('phone-status').textContent()).toBe('+14155550123 verified');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
