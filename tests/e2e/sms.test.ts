/// <reference lib="dom" />
// The SMS edge through the real Next.js app over HTTP: Twilio-signed webhooks to /api/twilio/sms and
// /api/twilio/status (the local profile's fixed dev token, as the dev phone signs), and the dev
// phone page in Chromium. No Temporal server runs: the webhook must still answer at once and keep
// the message for the sweeper (handed_off_at null). The conversation's reply is not awaited here.
import { LOCAL_DEV_TWILIO_AUTH_TOKEN } from '@tradeassist/config';
import {
  inboundSmsParams,
  newSid,
  postTwilioWebhook,
  type TwilioParams,
} from '@tradeassist/test-doubles/twilio-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser, PHONE, pageErrors, screenshot } from './browser.ts';
import { startWebServer, type WebServer } from './web-server.ts';

const LOCAL_USER = '00000000-0000-4000-8000-000000000001';
const DEV_PHONE = '+15555550100';
const DEV_ACCOUNT = `AC${'0'.repeat(32)}`;

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const post = (path: string, params: TwilioParams, token = LOCAL_DEV_TWILIO_AUTH_TOKEN) =>
  postTwilioWebhook(`${server.url}${path}`, token, params);
const sms = (body: string) =>
  inboundSmsParams({ from: DEV_PHONE, to: '+15555550199', body, accountSid: DEV_ACCOUNT });
const inbound = (sid: string) =>
  server.sql<{ body: string; user_id: string; handed_off_at: Date | null }[]>`
    select body, user_id, handed_off_at from public.sms_messages where provider_sid = ${sid}`;

describe('Twilio webhooks (Next.js route handlers over HTTP)', () => {
  it('seeds the local user with the dev phone number, verified and opted in', async () => {
    const [p] =
      await server.sql`select phone, phone_verified, sms_opt_in from public.profiles where id = ${LOCAL_USER}`;
    expect(p).toEqual({ phone: DEV_PHONE, phone_verified: true, sms_opt_in: 'opted_in' });
  });

  it('stores a signed inbound SMS once, answers empty TwiML fast even with Temporal down', async () => {
    const params = sms('took NVDA 480 stop 470');
    // The first request compiles the route in `next dev`; time the later ones.
    const first = await post('/api/twilio/sms', params);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const t0 = performance.now();
    const replay = await post('/api/twilio/sms', params);
    const replayMs = performance.now() - t0;
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(replayMs).toBeLessThan(1_000);
    const rows = await inbound(params.MessageSid!);
    expect(rows).toEqual([{ body: 'took NVDA 480 stop 470', user_id: LOCAL_USER, handed_off_at: null }]);

    const t1 = performance.now();
    const other = sms('status');
    expect((await post('/api/twilio/sms', other)).status).toBe(200);
    // Temporal is unreachable: the answer still comes within the hand-off wait, not a timeout.
    expect(performance.now() - t1).toBeLessThan(1_500);
    expect(await inbound(other.MessageSid!)).toHaveLength(1);
  });

  it('403 on a bad signature; keywords update the profile and answer in TwiML', async () => {
    const forged = sms('close all');
    expect((await post('/api/twilio/sms', forged, 'f'.repeat(32))).status).toBe(403);
    expect(await inbound(forged.MessageSid!)).toHaveLength(0);

    const stop = await post('/api/twilio/sms', sms('STOP'));
    expect(await stop.text()).toContain('<Message>TradeAssist: you are unsubscribed');
    const [out] = await server.sql`select sms_opt_in from public.profiles where id = ${LOCAL_USER}`;
    expect(out?.sms_opt_in).toBe('opted_out');
    const start = await post('/api/twilio/sms', sms('start'));
    expect(await start.text()).toContain('<Message>TradeAssist: you are subscribed');
    const [back] = await server.sql`select sms_opt_in from public.profiles where id = ${LOCAL_USER}`;
    expect(back?.sms_opt_in).toBe('opted_in');
  });

  it('status callbacks move an outbound message forward only', async () => {
    const sid = newSid();
    const [row] = await server.sql<{ id: string }[]>`
      insert into public.sms_messages (user_id, direction, from_number, to_number, body, status, provider_sid, idempotency_key)
      values (${LOCAL_USER}, 'out', '+15555550199', ${DEV_PHONE}, 'Opened NVDA long', 'queued', ${sid}, 'e2e-status')
      returning id`;
    const cb = (status: string) => ({ AccountSid: DEV_ACCOUNT, MessageSid: sid, MessageStatus: status });
    expect((await post(`/api/twilio/status?m=${row!.id}`, cb('delivered'))).status).toBe(204);
    expect((await post(`/api/twilio/status?m=${row!.id}`, cb('sent'))).status).toBe(204);
    expect((await post(`/api/twilio/status?m=${row!.id}`, cb('sent'), 'f'.repeat(32))).status).toBe(403);
    const [after] = await server.sql`select status from public.sms_messages where id = ${row!.id}`;
    expect(after?.status).toBe('delivered');
  });
});

describe('dev phone', () => {
  it('texts the assistant through the signed webhook and shows the message in the thread', async () => {
    const ctx = await browser.context(PHONE, true);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/dev-phone`);
    const input = page.getByLabel('Message');
    await input.fill('took AAPL 150.20 stop 148');
    await page.getByRole('button', { name: 'Send' }).click();
    const bubble = page.locator('[data-testid="sms"][data-direction="in"]', {
      hasText: 'took AAPL 150.20 stop 148',
    });
    await bubble.waitFor({ timeout: 30_000 });
    // The newest message is at the bottom of the thread.
    expect(await page.locator('[data-testid="sms"]').last().textContent()).toContain(
      'took AAPL 150.20 stop 148',
    );
    await expect.poll(() => input.inputValue()).toBe('');
    const rows = await server.sql<{ provider_sid: string; user_id: string }[]>`
      select provider_sid, user_id from public.sms_messages where direction = 'in' and body = 'took AAPL 150.20 stop 148'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      user_id: LOCAL_USER,
      provider_sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    });

    // An assistant message (as the outbox stores it) shows up on the left within the refresh.
    await server.sql`
      insert into public.sms_messages (user_id, direction, from_number, to_number, body, status, provider_sid, idempotency_key)
      values (${LOCAL_USER}, 'out', '+15555550199', ${DEV_PHONE}, 'How many shares of AAPL?', 'delivered', ${`SMdev${'1'.repeat(32)}`}, 'e2e-reply')`;
    await page
      .locator('[data-testid="sms"][data-direction="out"]', { hasText: 'How many shares of AAPL?' })
      .waitFor({
        timeout: 10_000,
      });
    // HELP answers at once (TwiML), shown under the thread.
    await input.fill('HELP');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').filter({ hasText: 'TradeAssist trading assistant' }).waitFor();
    await screenshot(page, 'dev-phone-phone');

    await page.goto(`${server.url}/messages`);
    await page.getByTestId('message-list').waitFor();
    const list = await page.getByTestId('message-list').textContent();
    expect(list).toContain('took AAPL 150.20 stop 148');
    expect(list).toContain('How many shares of AAPL?');
    await screenshot(page, 'messages-phone');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
