// The outbox against a real Postgres and the Twilio double: the SDK talks HTTP to the double, whose
// signed status callbacks reach the status webhook handler served over HTTP.
import { randomUUID } from 'node:crypto';
import {
  INVALID_TO_NUMBER,
  postTwilioWebhook,
  startTwilioDouble,
  type TwilioDouble,
} from '@tradeassist/test-doubles/twilio-double';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ASSISTANT_NUMBER, DevPhoneSender } from './dev-phone-sender.ts';
import { type FetchServer, serveFetch } from './fetch-server.ts';
import type { SmsOutbox } from './outbox-types.ts';
import { createSmsOutbox, SmsOptedOutError } from './sms-outbox.ts';
import { SmsSendError } from './sms-sender.ts';
import { TwilioSmsSender } from './twilio-sender.ts';
import { handleStatusWebhook } from './webhook-handlers.ts';

const db = useTestDatabase();
const quiet = { info: () => {}, warn: () => {} };
let twilio: TwilioDouble;
let app: FetchServer;
let outbox: SmsOutbox;

async function makeUser(
  sql: Sql,
  phone: string,
  optIn: 'opted_in' | 'opted_out' | 'pending' = 'opted_in',
  verified = true,
): Promise<string> {
  const id = randomUUID();
  await sql`insert into auth.users (id, email) values (${id}, ${`${id}@test.local`})`;
  await sql`
    insert into public.profiles (id) values (${id}) on conflict (id) do nothing`;
  await sql`
    update public.profiles set phone = ${phone}, phone_verified = ${verified}, sms_opt_in = ${optIn}
    where id = ${id}`;
  return id;
}

const row = async (key: string) =>
  (
    await db.sql<
      {
        status: string;
        provider_sid: string | null;
        error_code: string | null;
        send_attempted_at: Date | null;
      }[]
    >`select status, provider_sid, error_code, send_attempted_at from public.sms_messages where idempotency_key = ${key}`
  )[0];

beforeAll(async () => {
  twilio = await startTwilioDouble();
  app = await serveFetch((req) =>
    handleStatusWebhook(req, {
      sql: db.sql,
      auth: { authToken: twilio.authToken, publicUrl: undefined, accountSid: twilio.accountSid },
    }),
  );
  outbox = createSmsOutbox({
    sql: db.sql,
    sender: new TwilioSmsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      messagingServiceSid: `MG${'5e'.repeat(16)}`,
      publicUrl: app.url,
      apiBaseUrl: twilio.url,
      timeoutMs: 2_000,
    }),
    from: '+15555550199',
    logger: quiet,
  });
});

afterAll(async () => {
  await twilio?.close();
  await app?.close();
});

describe('SmsOutbox through Twilio (double)', () => {
  it('sends once, stores the sid, follows the callbacks to delivered; a retry sends nothing', async () => {
    const userId = await makeUser(db.sql, '+15555550111');
    const msg = {
      userId,
      to: '+15555550111',
      body: 'NVDA gap up 5.97% at 482.15',
      idempotencyKey: 'alert-1-u1',
    };
    const first = await outbox.send(msg);
    expect(first).toMatchObject({ status: 'queued', duplicate: false });
    expect(first.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.messages).toHaveLength(1);
    expect(twilio.messages[0]).toMatchObject({
      to: '+15555550111',
      body: msg.body,
      messagingServiceSid: `MG${'5e'.repeat(16)}`,
      statusCallback: `${app.url}/api/twilio/status?m=${first.messageId}`,
    });

    await twilio.callbacksIdle();
    expect(twilio.callbacks.map((c) => [c.params.MessageStatus, c.responseStatus])).toEqual([
      ['queued', 204],
      ['sent', 204],
      ['delivered', 204],
    ]);
    expect(await row('alert-1-u1')).toMatchObject({ status: 'delivered', provider_sid: first.providerSid });

    const again = await outbox.send(msg);
    expect(again).toEqual({
      messageId: first.messageId,
      providerSid: first.providerSid,
      status: 'delivered',
      duplicate: true,
    });
    expect(twilio.requests).toBe(1);
  });

  it('refuses an opted-out recipient with a clear error and sends nothing', async () => {
    const userId = await makeUser(db.sql, '+15555550112', 'opted_out');
    const before = twilio.requests;
    const send = outbox.send({
      userId,
      to: '+15555550112',
      body: 'AAPL stop hit',
      idempotencyKey: 'reply-optout',
    });
    await expect(send).rejects.toBeInstanceOf(SmsOptedOutError);
    await expect(send).rejects.toThrow(/opted out of SMS \(STOP\)/);
    expect(twilio.requests).toBe(before);
    expect(await row('reply-optout')).toMatchObject({
      status: 'failed',
      error_code: 'opted_out',
      provider_sid: null,
    });
    // Also when only the number is known (a reply to a number without a user id).
    await expect(
      outbox.send({ userId: null, to: '+15555550112', body: 'x', idempotencyKey: 'reply-optout-2' }),
    ).rejects.toBeInstanceOf(SmsOptedOutError);
  });

  it('a number Twilio refuses (21211) ends failed with the code, without an exception', async () => {
    const r = await outbox.send({
      userId: null,
      to: INVALID_TO_NUMBER,
      body: 'hello',
      idempotencyKey: 'bad-to',
    });
    expect(r).toMatchObject({ status: 'failed', providerSid: null, duplicate: false });
    expect(await row('bad-to')).toMatchObject({ status: 'failed', error_code: '21211' });
    const before = twilio.requests;
    expect(
      await outbox.send({ userId: null, to: INVALID_TO_NUMBER, body: 'hello', idempotencyKey: 'bad-to' }),
    ).toMatchObject({
      status: 'failed',
      duplicate: true,
    });
    expect(twilio.requests).toBe(before);
  });

  it('nothing sent (429): the claim is released and the retry sends', async () => {
    twilio.failNext({ status: 429 });
    const msg = { userId: null, to: '+15555550113', body: 'retry me', idempotencyKey: 'rate-limited' };
    const err = await outbox.send(msg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsSendError);
    expect((err as SmsSendError).kind).toBe('not_sent');
    expect(await row('rate-limited')).toMatchObject({ status: 'queued', send_attempted_at: null });
    const r = await outbox.send(msg);
    expect(r).toMatchObject({ duplicate: false });
    expect(r.providerSid).toMatch(/^SM/);
    expect(twilio.messages.filter((m) => m.body === 'retry me')).toHaveLength(1);
  });

  it('in doubt (5xx): never resent, at most once', async () => {
    twilio.failNext({ status: 500 });
    const msg = { userId: null, to: '+15555550114', body: 'maybe sent', idempotencyKey: 'in-doubt-500' };
    const err = await outbox.send(msg).catch((e: unknown) => e);
    expect((err as SmsSendError).kind).toBe('in_doubt');
    const requests = twilio.requests;
    expect(await outbox.send(msg)).toMatchObject({ status: 'queued', providerSid: null, duplicate: true });
    expect(twilio.requests).toBe(requests);
  });

  it('crash window: Twilio took it, the answer never came; no resend, the callbacks fill in the sid', async () => {
    // The double accepts the message, then drops the connection instead of answering: the client
    // sees an error, as if it had crashed before storing the sid. Its callbacks quote the row id.
    twilio.failNext({ drop: true });
    const msg = {
      userId: null,
      to: '+15555550115',
      body: 'accepted then lost',
      idempotencyKey: 'crash-window',
    };
    const err = await outbox.send(msg).catch((e: unknown) => e);
    expect((err as SmsSendError).kind).toBe('in_doubt');
    expect((await row('crash-window'))?.send_attempted_at).toBeInstanceOf(Date);
    // A retry (the activity's next attempt) does not send it again.
    expect(await outbox.send(msg)).toMatchObject({ duplicate: true });
    await twilio.callbacksIdle();
    const sent = twilio.messages.filter((m) => m.body === msg.body);
    expect(sent).toHaveLength(1);
    expect(await row('crash-window')).toMatchObject({ provider_sid: sent[0]!.sid, status: 'delivered' });
    expect(await outbox.send(msg)).toMatchObject({
      duplicate: true,
      providerSid: sent[0]!.sid,
      status: 'delivered',
    });
  });

  it('heals an in-doubt row when a callback for it arrives (Twilio did accept it)', async () => {
    const msg = { userId: null, to: '+15555550116', body: 'healed', idempotencyKey: 'heal' };
    // Simulate the crash after acceptance: the row is claimed, Twilio has the message, no sid stored.
    const [r] = await db.sql<{ id: string }[]>`
      insert into public.sms_messages (direction, from_number, to_number, body, status, idempotency_key, send_attempted_at)
      values ('out', '+15555550199', ${msg.to}, ${msg.body}, 'queued', ${msg.idempotencyKey}, now()) returning id`;
    const sid = `SM${'ab'.repeat(16)}`;
    const res = await postTwilioWebhook(`${app.url}/api/twilio/status?m=${r!.id}`, twilio.authToken, {
      AccountSid: twilio.accountSid,
      MessageSid: sid,
      MessageStatus: 'sent',
      To: msg.to,
    });
    expect(res.status).toBe(204);
    expect(await row('heal')).toMatchObject({ provider_sid: sid, status: 'sent' });
    expect(await outbox.send(msg)).toMatchObject({ duplicate: true, providerSid: sid, status: 'sent' });
  });

  it('an undelivered message keeps Twilio’s error code', async () => {
    twilio.failDelivery('+15555550117', 'undelivered', '30003');
    await outbox.send({
      userId: null,
      to: '+15555550117',
      body: 'unreachable',
      idempotencyKey: 'undelivered',
    });
    await twilio.callbacksIdle();
    expect(await row('undelivered')).toMatchObject({ status: 'undelivered', error_code: '30003' });
  });
});

describe('status callbacks', () => {
  it('are forward-only: delivered, then a late "sent", stays delivered (message and alert delivery)', async () => {
    const userId = await makeUser(db.sql, '+15555550118');
    const [alert] = await db.sql<{ id: string }[]>`
      insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
      values ('AAPL', 'gap_up', 1700577000123456789, 150.2, 'regular', 0.8, '{}', 'AAPL:gap_up:cb')
      returning id::text`;
    const sid = `SM${'cd'.repeat(16)}`;
    await db.sql`
      insert into public.sms_messages (user_id, direction, from_number, to_number, body, status, provider_sid, idempotency_key, alert_id)
      values (${userId}, 'out', '+15555550199', '+15555550118', 'AAPL gap up', 'queued', ${sid}, 'cb-forward', ${alert!.id})`;
    await db.sql`
      insert into public.alert_deliveries (alert_id, user_id, channel, provider_id, status)
      values (${alert!.id}, ${userId}, 'sms', ${sid}, 'queued')`;
    const post = (status: string) =>
      postTwilioWebhook(`${app.url}/api/twilio/status`, twilio.authToken, {
        AccountSid: twilio.accountSid,
        MessageSid: sid,
        MessageStatus: status,
      });
    expect((await post('delivered')).status).toBe(204);
    expect((await post('sent')).status).toBe(204);
    expect((await post('queued')).status).toBe(204);
    expect(await row('cb-forward')).toMatchObject({ status: 'delivered' });
    const [delivery] = await db.sql<{ status: string }[]>`
      select status from public.alert_deliveries where provider_id = ${sid}`;
    expect(delivery?.status).toBe('delivered');
  });

  it('refuses a bad signature (403) and a malformed callback (400)', async () => {
    const params = {
      AccountSid: twilio.accountSid,
      MessageSid: `SM${'ef'.repeat(16)}`,
      MessageStatus: 'sent',
    };
    const forged = await postTwilioWebhook(`${app.url}/api/twilio/status`, 'f'.repeat(32), params);
    expect(forged.status).toBe(403);
    const bad = await postTwilioWebhook(`${app.url}/api/twilio/status`, twilio.authToken, {
      ...params,
      MessageStatus: 'exploded',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/MessageStatus/);
  });
});

describe('DevPhoneSender', () => {
  it('stores the message as delivered with a dev sid, without any network', async () => {
    const local = createSmsOutbox({
      sql: db.sql,
      sender: new DevPhoneSender(),
      from: DEV_ASSISTANT_NUMBER,
      logger: quiet,
    });
    const before = twilio.requests;
    const r = await local.send({
      userId: null,
      to: '+15555550119',
      body: 'Opened AAPL long',
      idempotencyKey: 'dev-1',
    });
    expect(r).toMatchObject({ status: 'delivered', duplicate: false });
    expect(r.providerSid).toMatch(/^SMdev[0-9a-f]{32}$/);
    expect(await row('dev-1')).toMatchObject({ status: 'delivered', provider_sid: r.providerSid });
    expect(
      (
        await local.send({
          userId: null,
          to: '+15555550119',
          body: 'Opened AAPL long',
          idempotencyKey: 'dev-1',
        })
      ).duplicate,
    ).toBe(true);
    expect(twilio.requests).toBe(before);
  });
});
