// What the Twilio webhook routes need from this process: the signature settings from the env, the
// database, the logger and the Temporal hand-off. The handlers themselves live in
// @tradeassist/messaging/twilio (webhook-handlers.ts), shared with the tests and the benchmark.
import { Client } from '@temporalio/client';
import type { InboundHandlerDeps, StatusHandlerDeps, WebhookAuth } from '@tradeassist/messaging/twilio';
import { after } from 'next/server';
import { db } from './db.ts';
import { getEnv } from './env.ts';
import { log } from './log.ts';
import { HANDOFF_WAIT_MS, signalConversation } from './sms-handoff.ts';
import { temporalConnection } from './temporal.ts';

/** Null when no token is configured (the cloud env requires one; the local one has the dev token). */
export function webhookAuth(): WebhookAuth | null {
  const env = getEnv();
  if (!env.TWILIO_AUTH_TOKEN) return null;
  return {
    authToken: env.TWILIO_AUTH_TOKEN,
    publicUrl: env.TWILIO_PUBLIC_URL,
    accountSid: env.TWILIO_ACCOUNT_SID,
  };
}

export function inboundDeps(auth: WebhookAuth): InboundHandlerDeps {
  const env = getEnv();
  return {
    auth,
    sql: db(),
    logger: log().child({ route: 'twilio-sms' }),
    handoffWaitMs: HANDOFF_WAIT_MS,
    defer: (work) => after(work),
    handoff: async (h) => {
      const connection = await temporalConnection();
      const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
      await signalConversation(client, env.TEMPORAL_TASK_QUEUE, h);
    },
  };
}

export function statusDeps(auth: WebhookAuth): StatusHandlerDeps {
  return { auth, sql: db() };
}

/**
 * A Twilio webhook's POST handler: 503 while Twilio is not configured, and 503 (logged) when the
 * handler cannot do its work, which makes Twilio log or retry the request; `failure` is the body.
 */
export function twilioWebhookRoute(
  path: string,
  handle: (req: Request, auth: WebhookAuth) => Promise<Response>,
  failure: string,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const auth = webhookAuth();
    if (!auth) return new Response('Twilio is not configured (TWILIO_AUTH_TOKEN)', { status: 503 });
    try {
      return await handle(req, auth);
    } catch (err) {
      log().error({ err }, `POST ${path} failed`);
      return new Response(failure, { status: 503 });
    }
  };
}
