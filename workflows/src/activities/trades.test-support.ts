// Test support for the conversation and trade workflows: a trader in the database (auth user,
// profile with an opted-in phone, default watchlist), an inbound SMS stored the way the webhook
// stores it, and a Worker with the real activity factories. SMS go through the real SmsOutbox
// (packages/messaging/src/twilio) with the dev phone's sender: stored in sms_messages, nothing
// leaves the machine.

import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Db } from '@tradeassist/db';
import { createIntentParser, type IntentParser } from '@tradeassist/messaging/intent';
import { createSmsOutbox, DEV_ASSISTANT_NUMBER, DevPhoneSender } from '@tradeassist/messaging/twilio';
import type { SmsOutbox } from '@tradeassist/messaging/twilio/outbox-types';
import { writeHistories } from '@tradeassist/tests/harness/env';
import { createConversationActivities } from './conversation.ts';
import { createTradeActivities } from './trades.ts';

export const ASSISTANT_NUMBER = DEV_ASSISTANT_NUMBER;

export function createDevPhoneOutbox(sql: Db): SmsOutbox {
  const quiet = { info() {}, warn() {} };
  return createSmsOutbox({ sql, sender: new DevPhoneSender(), from: ASSISTANT_NUMBER, logger: quiet });
}

export async function createTrader(sql: Db, phone: string): Promise<string> {
  const id = randomUUID();
  await sql`insert into auth.users (id, email) values (${id}, ${`${id}@test.local`})`;
  await sql`
    update public.profiles set phone = ${phone}, phone_verified = true, sms_opt_in = 'opted_in',
           sms_opt_in_changed_at = now()
     where id = ${id}`;
  return id;
}

/** An inbound message as the webhook stores it (before it signals the conversation). */
export async function storeInbound(
  sql: Db,
  userId: string,
  phone: string,
  body: string,
): Promise<{ messageId: string; providerSid: string; body: string; receivedAt: string }> {
  const providerSid = `SM${randomUUID().replace(/-/g, '')}`;
  const [row] = await sql`
    insert into public.sms_messages (user_id, direction, from_number, to_number, body, status, provider_sid)
    values (${userId}, 'in', ${phone}, ${ASSISTANT_NUMBER}, ${body}, 'received', ${providerSid})
    returning id, to_json(created_at)#>>'{}' as created_at`;
  return { messageId: String(row!.id), providerSid, body, receivedAt: String(row!.created_at) };
}

/** What the assistant sent to `phone`, oldest first. */
export async function sentTo(sql: Db, phone: string): Promise<{ body: string; key: string }[]> {
  const rows = await sql`
    select body, idempotency_key from public.sms_messages
     where direction = 'out' and to_number = ${phone} order by created_at, id`;
  return rows.map((r) => ({ body: String(r.body), key: String(r.idempotency_key) }));
}

/** Polls `probe` until it returns a value (not undefined/null/false) or the timeout passes. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TestWorkerDeps {
  connection: NativeConnection;
  client: Client;
  sql: Db;
  taskQueue: string;
  outbox?: SmsOutbox;
  parseIntent?: IntentParser;
}

/** A Worker with every workflow and the real conversation and trade activity factories. */
export async function createTestWorker(deps: TestWorkerDeps): Promise<Worker> {
  const outbox = deps.outbox ?? createDevPhoneOutbox(deps.sql);
  return Worker.create({
    connection: deps.connection,
    taskQueue: deps.taskQueue,
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    activities: {
      ...createConversationActivities({
        sql: deps.sql,
        outbox,
        parseIntent: deps.parseIntent ?? createIntentParser(),
        client: deps.client,
        taskQueue: deps.taskQueue,
      }),
      ...createTradeActivities({ sql: deps.sql, outbox, client: deps.client, taskQueue: deps.taskQueue }),
    },
  });
}

/** Where the replay test's saved histories live. */
export const HISTORIES_DIR = fileURLToPath(new URL('../workflows/__histories__/', import.meta.url));

/**
 * Saves the workflow's history for the replay test when TA_WRITE_HISTORIES=1 (regenerate them
 * after an intended change of workflow code: `TA_WRITE_HISTORIES=1 npx vitest run workflows`).
 */
export async function saveHistoryIfAsked(handle: WorkflowHandle, name: string): Promise<void> {
  if (!writeHistories()) return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(`${HISTORIES_DIR}${name}.json`, `${JSON.stringify(historyToObject(history), null, 1)}\n`);
}

// The SDK's historyToJSON/historyFromJSON (@temporalio/common) use their own protobufjs, another
// major version than @temporalio/proto's in this install, and reject its History objects; the
// generated message class's own toObject/fromObject round-trip exactly (int64 as strings, enums by
// name, bytes in base64).
const History = temporal.api.history.v1.History;
const OBJECT_OPTIONS = { longs: String, enums: String, bytes: String, defaults: false } as const;

export function historyToObject(history: temporal.api.history.v1.IHistory): Record<string, unknown> {
  return History.toObject(History.fromObject(history), OBJECT_OPTIONS);
}

export function historyFromObject(obj: Record<string, unknown>): temporal.api.history.v1.History {
  return History.fromObject(obj);
}
