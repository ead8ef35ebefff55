// The inbound SMS webhook handing messages to a real Temporal dev server: the web app's
// signal-with-start (apps/web/lib/server/sms-handoff.ts) behind the webhook handler, served over
// HTTP, with Twilio-signed requests. A replayed MessageSid is stored once and signalled once; a
// second message signals the same conversation workflow (one per phone number). No worker runs:
// the workflow's history shows exactly what the webhook sent it.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { handleInboundWebhook } from '@tradeassist/messaging/twilio';
import { type FetchServer, serveFetch } from '@tradeassist/messaging/twilio/fetch-server';
import {
  DOUBLE_ACCOUNT_SID,
  DOUBLE_AUTH_TOKEN,
  inboundSmsParams,
  postTwilioWebhook,
} from '@tradeassist/test-doubles/twilio-double';
import { conversationWorkflowId } from '@tradeassist/workflows/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalConversation } from '../../apps/web/lib/server/sms-handoff.ts';
import { useTestDatabase } from '../harness/db.ts';
import { createDevServerEnv } from '../harness/temporal.ts';

const TASK_QUEUE = 'sms-webhook-test';
const PHONE = '+15555550160';

describe('Twilio webhook -> conversation workflow (Postgres + Temporal dev server)', () => {
  const db = useTestDatabase();
  let env: TestWorkflowEnvironment;
  let app: FetchServer;
  let userId: string;
  const deferred: Promise<unknown>[] = [];

  beforeAll(async () => {
    env = await createDevServerEnv();
    userId = randomUUID();
    await db.sql`insert into auth.users (id, email) values (${userId}, 'webhook@test.local')`;
    await db.sql`insert into public.profiles (id) values (${userId}) on conflict (id) do nothing`;
    await db.sql`update public.profiles set phone = ${PHONE}, phone_verified = true, sms_opt_in = 'opted_in' where id = ${userId}`;
    app = await serveFetch((req) =>
      handleInboundWebhook(req, {
        sql: db.sql,
        auth: { authToken: DOUBLE_AUTH_TOKEN, publicUrl: undefined, accountSid: DOUBLE_ACCOUNT_SID },
        logger: { info: () => {}, warn: () => {} },
        // Generous here: the assertion is about what was signalled, not how fast.
        handoffWaitMs: 10_000,
        defer: (work) => deferred.push(work),
        handoff: (h) => signalConversation(env.client, TASK_QUEUE, h),
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(deferred);
    await app?.close();
    await env?.teardown();
  });

  const signals = async () => {
    const history = await env.client.workflow.getHandle(conversationWorkflowId(PHONE)).fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a != null)
      .map((a) => ({
        name: a.signalName,
        payload: JSON.parse(Buffer.from(a.input?.payloads?.[0]?.data ?? []).toString('utf8')) as {
          messageId: string;
          providerSid: string;
          body: string;
        },
      }));
  };

  it('a replayed MessageSid is stored once and signals the conversation once', async () => {
    const params = inboundSmsParams({ from: PHONE, to: '+15555550199', body: 'took AAPL 150.20 stop 148' });
    const post = () => postTwilioWebhook(`${app.url}/api/twilio/sms`, DOUBLE_AUTH_TOKEN, params);
    // Twilio re-delivers when it thinks we failed: twice in a row, then once more at the same time.
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await Promise.all([post(), post()])).map((r) => r.status)).toEqual([200, 200]);

    const rows = await db.sql<{ id: string; handed_off_at: Date | null }[]>`
      select id, handed_off_at from public.sms_messages where provider_sid = ${params.MessageSid!}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.handed_off_at).toBeInstanceOf(Date);

    const handle = env.client.workflow.getHandle(conversationWorkflowId(PHONE));
    const description = await handle.describe();
    expect(description.type).toBe('conversation');
    expect(description.taskQueue).toBe(TASK_QUEUE);
    expect(await signals()).toEqual([
      {
        name: 'inboundSms',
        payload: {
          messageId: rows[0]!.id,
          providerSid: params.MessageSid,
          body: 'took AAPL 150.20 stop 148',
          receivedAt: expect.any(String),
        },
      },
    ]);
    // The workflow's input names the trader (ConversationInput).
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(JSON.parse(Buffer.from(started?.input?.payloads?.[0]?.data ?? []).toString('utf8'))).toEqual({
      phone: PHONE,
      userId,
    });
  });

  it('the next message signals the same running conversation', async () => {
    const params = inboundSmsParams({ from: PHONE, to: '+15555550199', body: '100' });
    expect((await postTwilioWebhook(`${app.url}/api/twilio/sms`, DOUBLE_AUTH_TOKEN, params)).status).toBe(
      200,
    );
    expect((await signals()).map((s) => s.payload.body)).toEqual(['took AAPL 150.20 stop 148', '100']);
  });
});
