// The inbound SMS sweeper. The Twilio webhook stores each inbound message, then hands it to the
// trader's conversation workflow (signal-with-start) and marks it handed off. If the webhook died
// between the two (a deploy, Temporal unreachable for a moment), the message would wait forever:
// Twilio already got its 200. Every few seconds this sweeper re-signals inbound rows of known users
// that are still not handed off after `minAgeMs` (long enough that the webhook is not simply still
// at it), then marks them. The conversation handles each message id once, so a message the webhook
// did hand off after all, but did not mark, is harmless.
import type { Client } from '@temporalio/client';
import type { Db } from '@tradeassist/db';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  type ConversationInput,
  conversationWorkflowId,
  type InboundSmsSignal,
  inboundSmsSignal,
  WORKFLOW_TYPES,
} from '../contract.ts';

export interface PendingInbound {
  phone: string;
  userId: string;
  signal: InboundSmsSignal;
}

export interface InboundSweeperOptions {
  sql: Db;
  handOff: (message: PendingInbound) => Promise<void>;
  logger: Logger;
  intervalMs?: number;
  minAgeMs?: number;
  /** Older messages are not answered any more (a reply a day late confuses more than it helps). */
  maxAgeMs?: number;
  batch?: number;
}

export interface InboundSweeper {
  /** One sweep now; resolves with how many messages it handed off. */
  sweepOnce(): Promise<number>;
  stop(): Promise<void>;
}

const rowSchema = z.object({
  id: z.string().uuid(),
  user_id: z.string().uuid(),
  from_number: z.string().regex(/^\+[1-9]\d{6,14}$/),
  provider_sid: z.string().min(1),
  body: z.string(),
  created_at: z.date(),
});

export function startInboundSweeper(opts: InboundSweeperOptions): InboundSweeper {
  const { sql, logger: log } = opts;
  const intervalMs = opts.intervalMs ?? 2_000;
  const minAgeMs = opts.minAgeMs ?? 5_000;
  const maxAgeMs = opts.maxAgeMs ?? 6 * 60 * 60_000;
  const batch = opts.batch ?? 100;
  let stopped = false;
  let running: Promise<number> | null = null;

  async function sweep(): Promise<number> {
    const rows = await sql`
      select id, user_id, from_number, provider_sid, body, created_at from public.sms_messages
      where direction = 'in' and handed_off_at is null and user_id is not null
        and created_at < now() - make_interval(secs => ${minAgeMs / 1000})
        and created_at > now() - make_interval(secs => ${maxAgeMs / 1000})
      order by created_at
      limit ${batch}`;
    let handed = 0;
    // In arrival order, one at a time: a trader's messages reach the conversation in the order sent.
    for (const raw of rows) {
      if (stopped) break;
      const parsed = rowSchema.safeParse(raw);
      if (!parsed.success) {
        log.error(
          { id: (raw as { id?: unknown }).id, err: parsed.error.message },
          'unreadable inbound row; skipped',
        );
        continue;
      }
      const r = parsed.data;
      await opts.handOff({
        phone: r.from_number,
        userId: r.user_id,
        signal: {
          messageId: r.id,
          providerSid: r.provider_sid,
          body: r.body,
          receivedAt: r.created_at.toISOString(),
        },
      });
      await sql`update public.sms_messages set handed_off_at = now() where id = ${r.id} and handed_off_at is null`;
      handed++;
    }
    if (handed > 0) log.warn({ handed }, 'inbound SMS handed off by the sweeper (the webhook did not)');
    return handed;
  }

  const sweepOnce = (): Promise<number> => {
    if (running) return running;
    running = sweep().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    sweepOnce().catch((e: unknown) =>
      log.warn({ err: { message: (e as Error).message } }, 'sweep failed; will retry'),
    );
  }, intervalMs);
  timer.unref();

  return {
    sweepOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

/** Hands a message to `conversation-<phone>` with signal-with-start, as the webhook does. */
export function conversationHandOff(client: Client, taskQueue: string) {
  return async (m: PendingInbound): Promise<void> => {
    const args: [ConversationInput] = [{ phone: m.phone, userId: m.userId }];
    await client.workflow.signalWithStart(WORKFLOW_TYPES.conversation, {
      workflowId: conversationWorkflowId(m.phone),
      taskQueue,
      args,
      signal: inboundSmsSignal,
      signalArgs: [m.signal],
    });
  };
}
