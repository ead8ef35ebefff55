// Which number outbound SMS are stored as coming from, per profile: against a real Postgres and the
// Twilio double, whose signed status callbacks reach the status webhook handler over HTTP.
import {
  DOUBLE_MESSAGING_SERVICE_SID,
  postTwilioWebhook,
  startTwilioDouble,
  type TwilioDouble,
} from '@tradeassist/test-doubles/twilio-double';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ASSISTANT_NUMBER } from './dev-phone-sender.ts';
import { type FetchServer, serveFetch } from './fetch-server.ts';
import { createProfileSmsOutbox, type TwilioProfile } from './profile-outbox.ts';
import { handleStatusWebhook } from './webhook-handlers.ts';

const db = useTestDatabase();
const quiet = { info: () => {}, warn: () => {} };
const OUR_NUMBER = '+15551230000';
let twilio: TwilioDouble;
let app: FetchServer;

beforeAll(async () => {
  twilio = await startTwilioDouble();
  app = await serveFetch((req) =>
    handleStatusWebhook(req, {
      sql: db.sql,
      auth: { authToken: twilio.authToken, publicUrl: undefined, accountSid: twilio.accountSid },
    }),
  );
});

afterAll(async () => {
  await twilio?.close();
  await app?.close();
});

/** The Twilio profile as the worker builds it from its env, talking to the double. */
const twilioProfile = (over: Partial<TwilioProfile> = {}): TwilioProfile => ({
  accountSid: twilio.accountSid,
  authToken: twilio.authToken,
  messagingServiceSid: DOUBLE_MESSAGING_SERVICE_SID,
  publicUrl: app.url,
  apiBaseUrl: twilio.url,
  timeoutMs: 2_000,
  ...over,
});

const fromNumber = async (key: string) =>
  (
    await db.sql<{ from_number: string }[]>`
      select from_number from public.sms_messages where idempotency_key = ${key}`
  )[0]?.from_number;

let seq = 0;
const message = () => {
  seq += 1;
  return {
    userId: null,
    to: `+1555555${String(1000 + seq)}`,
    body: `hello ${seq}`,
    idempotencyKey: `from-${seq}`,
  };
};

describe('outbound from_number', () => {
  it('Twilio profile: the configured TWILIO_FROM_NUMBER, sent through the Messaging Service', async () => {
    const outbox = createProfileSmsOutbox({
      sql: db.sql,
      twilio: twilioProfile({ fromNumber: OUR_NUMBER }),
      logger: quiet,
    });
    const msg = message();
    const sent = await outbox.send(msg);
    expect(sent.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
    // The service picks the sender: the request names the service, not a number.
    expect(twilio.messages.at(-1)).toMatchObject({
      to: msg.to,
      from: null,
      messagingServiceSid: DOUBLE_MESSAGING_SERVICE_SID,
    });
    expect(await fromNumber(msg.idempotencyKey)).toBe(OUR_NUMBER);
    await twilio.callbacksIdle();
    expect(await fromNumber(msg.idempotencyKey)).toBe(OUR_NUMBER);
  });

  it('Twilio profile without a Messaging Service: sent from the configured number, stored as such', async () => {
    const outbox = createProfileSmsOutbox({
      sql: db.sql,
      twilio: twilioProfile({ messagingServiceSid: undefined, fromNumber: OUR_NUMBER }),
      logger: quiet,
    });
    const msg = message();
    await outbox.send(msg);
    expect(twilio.messages.at(-1)).toMatchObject({ to: msg.to, from: OUR_NUMBER, messagingServiceSid: null });
    expect(await fromNumber(msg.idempotencyKey)).toBe(OUR_NUMBER);
  });

  it('Twilio profile, no number configured: the number the Messaging Service reports in its callbacks', async () => {
    const outbox = createProfileSmsOutbox({ sql: db.sql, twilio: twilioProfile(), logger: quiet });
    const msg = message();
    const sent = await outbox.send(msg);
    await twilio.callbacksIdle();
    // Twilio has not said yet (the service picks after accepting): never the dev phone's number.
    expect(await fromNumber(msg.idempotencyKey)).toBeNull();
    // Twilio's "sent" callback names the number the service sent from.
    const res = await postTwilioWebhook(
      `${app.url}/api/twilio/status?m=${sent.messageId}`,
      twilio.authToken,
      {
        AccountSid: twilio.accountSid,
        MessagingServiceSid: DOUBLE_MESSAGING_SERVICE_SID,
        MessageSid: sent.providerSid!,
        MessageStatus: 'sent',
        From: '+15557654321',
        To: msg.to,
      },
    );
    expect(res.status).toBe(204);
    expect(await fromNumber(msg.idempotencyKey)).toBe('+15557654321');
  });

  it('local profile: the dev assistant number, nothing reaches Twilio', async () => {
    const outbox = createProfileSmsOutbox({ sql: db.sql, twilio: null, logger: quiet });
    const before = twilio.requests;
    const msg = message();
    expect(await outbox.send(msg)).toMatchObject({ status: 'delivered', duplicate: false });
    expect(await fromNumber(msg.idempotencyKey)).toBe(DEV_ASSISTANT_NUMBER);
    expect(twilio.requests).toBe(before);
  });
});
