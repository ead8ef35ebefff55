// The inbound webhook handler over HTTP against a real Postgres: signature, idempotent storage on
// MessageSid, unknown numbers, carrier keywords and the hand-off (recorded here; the Temporal
// signal itself is covered by tests/integration/sms-webhook.test.ts).
import { randomUUID } from 'node:crypto';
import {
  DOUBLE_ACCOUNT_SID,
  DOUBLE_AUTH_TOKEN,
  inboundSmsParams,
  newSid,
  postTwilioWebhook,
} from '@tradeassist/test-doubles/twilio-double';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FetchServer, serveFetch } from './fetch-server.ts';
import { type Handoff, UNKNOWN_NUMBER_REPLY } from './inbound-sms.ts';
import { KEYWORD_REPLIES } from './keywords.ts';
import { handleInboundWebhook } from './webhook-handlers.ts';

const db = useTestDatabase();
const PHONE = '+15555550150';
const APP_NUMBER = '+15555550199';
let app: FetchServer;
let userId: string;
let handoffs: Handoff[] = [];
let handoffBehaviour: 'ok' | 'fail' | 'slow' = 'ok';
const deferred: Promise<unknown>[] = [];

/** As TwiML escapes text (quotes stay as they are inside an element). */
const xml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
const sms = (body: string, from = PHONE, messageSid = newSid()) =>
  inboundSmsParams({ from, to: APP_NUMBER, body, messageSid });
const post = (params: Record<string, string>, opts: { signature?: string } = {}) =>
  postTwilioWebhook(`${app.url}/api/twilio/sms`, DOUBLE_AUTH_TOKEN, params, opts);
const profile = async () =>
  (
    await db.sql<{ sms_opt_in: string; sms_opt_in_changed_at: Date | null }[]>`
      select sms_opt_in, sms_opt_in_changed_at from public.profiles where id = ${userId}`
  )[0]!;
const inboundRows = async (sid: string) =>
  db.sql<{ id: string; body: string; user_id: string; handed_off_at: Date | null; status: string }[]>`
    select id, body, user_id, handed_off_at, status from public.sms_messages where provider_sid = ${sid}`;

beforeAll(async () => {
  userId = randomUUID();
  await db.sql`insert into auth.users (id, email) values (${userId}, 'inbound@test.local')`;
  await db.sql`insert into public.profiles (id) values (${userId}) on conflict (id) do nothing`;
  await db.sql`update public.profiles set phone = ${PHONE}, phone_verified = true, sms_opt_in = 'opted_in' where id = ${userId}`;
  app = await serveFetch((req) =>
    handleInboundWebhook(req, {
      sql: db.sql,
      auth: { authToken: DOUBLE_AUTH_TOKEN, publicUrl: undefined, accountSid: DOUBLE_ACCOUNT_SID },
      logger: { info: () => {}, warn: () => {} },
      handoffWaitMs: 100,
      defer: (work) => deferred.push(work),
      handoff: async (h) => {
        if (handoffBehaviour === 'fail')
          throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
        if (handoffBehaviour === 'slow') await new Promise((r) => setTimeout(r, 400));
        handoffs.push(h);
      },
    }),
  );
});
afterAll(async () => {
  await Promise.allSettled(deferred);
  await app?.close();
});
beforeEach(() => {
  handoffs = [];
  handoffBehaviour = 'ok';
});

describe('POST /api/twilio/sms (handler)', () => {
  it('stores the message, hands it to the conversation, answers with empty TwiML', async () => {
    const params = sms('took AAPL 150.20 stop 148');
    const res = await post(params);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const [row] = await inboundRows(params.MessageSid!);
    expect(row).toMatchObject({ body: 'took AAPL 150.20 stop 148', user_id: userId, status: 'received' });
    expect(row!.handed_off_at).toBeInstanceOf(Date);
    expect(handoffs).toEqual([
      {
        messageId: row!.id,
        providerSid: params.MessageSid,
        body: 'took AAPL 150.20 stop 148',
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        phone: PHONE,
        userId,
      },
    ]);
  });

  it('a replayed MessageSid is stored once and handed off once', async () => {
    const params = sms('close half NVDA');
    const answers = await Promise.all([post(params), post(params), post(params)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(new Set(bodies)).toEqual(new Set(['<?xml version="1.0" encoding="UTF-8"?><Response/>']));
    expect(await inboundRows(params.MessageSid!)).toHaveLength(1);
    expect(handoffs).toHaveLength(1);
  });

  it('refuses a bad or missing signature with 403 and stores nothing', async () => {
    const params = sms('took TSLA 250');
    expect((await post(params, { signature: 'bm90IGEgc2lnbmF0dXJl' })).status).toBe(403);
    const unsigned = await fetch(`${app.url}/api/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);
    // Signed with the right token for another account's webhook.
    expect((await post({ ...params, AccountSid: `AC${'1'.repeat(32)}` })).status).toBe(403);
    expect(await inboundRows(params.MessageSid!)).toHaveLength(0);
    expect(handoffs).toHaveLength(0);
  });

  it('an unknown or unverified number gets a polite refusal and nothing else', async () => {
    const stranger = sms('took AAPL 150', '+15555550999');
    const res = await post(stranger);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<Message>${UNKNOWN_NUMBER_REPLY}</Message>`);
    expect(await inboundRows(stranger.MessageSid!)).toHaveLength(0);
    const other = randomUUID();
    await db.sql`insert into auth.users (id, email) values (${other}, 'unverified@test.local')`;
    await db.sql`insert into public.profiles (id) values (${other}) on conflict (id) do nothing`;
    await db.sql`update public.profiles set phone = '+15555550998' where id = ${other}`;
    const unverified = sms('took AAPL 150', '+15555550998');
    expect(await (await post(unverified)).text()).toContain(UNKNOWN_NUMBER_REPLY);
    expect(await inboundRows(unverified.MessageSid!)).toHaveLength(0);
    // HELP still gets the carrier answer.
    expect(await (await post(sms('HELP', '+15555550999'))).text()).toContain('TradeAssist trading assistant');
    expect(handoffs).toHaveLength(0);
  });

  it('STOP opts out, later messages are kept but not passed on, START opts back in', async () => {
    const stop = sms('Stop');
    const res = await post(stop);
    expect(await res.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xml(KEYWORD_REPLIES.stop)}</Message></Response>`,
    );
    expect(await profile()).toMatchObject({ sms_opt_in: 'opted_out' });
    expect((await profile()).sms_opt_in_changed_at).toBeInstanceOf(Date);
    // The keyword is stored and counts as handled: the sweeper must not pass it on.
    expect((await inboundRows(stop.MessageSid!))[0]?.handed_off_at).toBeInstanceOf(Date);

    const ignored = sms('took AAPL 150.20');
    expect(await (await post(ignored)).text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await inboundRows(ignored.MessageSid!))[0]?.handed_off_at).toBeInstanceOf(Date);

    expect(await (await post(sms('HELP'))).text()).toContain(xml(KEYWORD_REPLIES.help));
    expect(await profile()).toMatchObject({ sms_opt_in: 'opted_out' });

    expect(await (await post(sms('yes'))).text()).toContain(xml(KEYWORD_REPLIES.start));
    expect(await profile()).toMatchObject({ sms_opt_in: 'opted_in' });
    expect(handoffs).toHaveLength(0);

    // Back in: YES is now an answer for the conversation, not a keyword.
    await post(sms('yes'));
    expect(handoffs.map((h) => h.body)).toEqual(['yes']);
  });

  it('Temporal down or slow: still answers 200 at once, the row waits for the sweeper or the late hand-off', async () => {
    handoffBehaviour = 'fail';
    const down = sms('status');
    const t0 = performance.now();
    expect((await post(down)).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect((await inboundRows(down.MessageSid!))[0]?.handed_off_at).toBeNull();

    handoffBehaviour = 'slow';
    const slow = sms('pnl today');
    const t1 = performance.now();
    expect((await post(slow)).status).toBe(200);
    // Answered after the 100 ms wait, before the 400 ms hand-off finished.
    expect(performance.now() - t1).toBeLessThan(400);
    expect((await inboundRows(slow.MessageSid!))[0]?.handed_off_at).toBeNull();
    await Promise.all(deferred);
    expect((await inboundRows(slow.MessageSid!))[0]?.handed_off_at).toBeInstanceOf(Date);
    expect(handoffs.map((h) => h.body)).toEqual(['pnl today']);
  });

  it('behind a proxy: checks the signature against TWILIO_PUBLIC_URL, not the address it is reached on', async () => {
    const publicUrl = 'https://trade.example.com';
    const proxied = await serveFetch((req) =>
      handleInboundWebhook(req, {
        sql: db.sql,
        auth: { authToken: DOUBLE_AUTH_TOKEN, publicUrl, accountSid: undefined },
        logger: { info: () => {}, warn: () => {} },
        handoffWaitMs: 100,
        defer: (work) => deferred.push(work),
        handoff: async (h) => {
          handoffs.push(h);
        },
      }),
    );
    try {
      const params = sms('took AMD 160 stop 155');
      const local = `${proxied.url}/api/twilio/sms`;
      // Twilio signed the public URL; the request arrives on the local one through the proxy.
      const viaProxy = await postTwilioWebhook(local, DOUBLE_AUTH_TOKEN, params, {
        signedUrl: `${publicUrl}/api/twilio/sms`,
      });
      expect(viaProxy.status).toBe(200);
      expect(handoffs.map((h) => h.body)).toEqual(['took AMD 160 stop 155']);
      // Signed for the local address instead: not what Twilio would sign, refused.
      const direct = await postTwilioWebhook(local, DOUBLE_AUTH_TOKEN, sms('took AMD 160'));
      expect(direct.status).toBe(403);
      expect(await direct.text()).toBe(`invalid X-Twilio-Signature for ${publicUrl}/api/twilio/sms`);
    } finally {
      await proxied.close();
    }
  });

  it('answers 400 to a malformed form and 415 to another content type', async () => {
    expect((await post({ ...sms('x'), From: 'not-a-number' })).status).toBe(400);
    const json = await fetch(`${app.url}/api/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });
});
