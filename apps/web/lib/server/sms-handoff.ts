// The inbound SMS hand-off to Temporal: signal-with-start of the trader's conversation workflow (one
// per phone number, so the start is idempotent and the signal lands on the running one).
import type { Client } from '@temporalio/client';
import type { Handoff } from '@tradeassist/messaging/twilio';
import {
  type ConversationInput,
  conversationWorkflowId,
  type InboundSmsSignal,
  inboundSmsSignal,
  WORKFLOW_TYPES,
} from '@tradeassist/workflows/client';

/**
 * How long the webhook waits for the hand-off before answering Twilio anyway (p99 goal 200 ms for
 * the whole answer). The message is stored first, so answering without it loses nothing: the
 * hand-off goes on after the response (Next's `after`), and the workflow worker's sweeper
 * re-signals a row whose hand-off never completed (handed_off_at null).
 */
export const HANDOFF_WAIT_MS = 100;

/** A deadline for the signal itself: a stuck call must not hold the hand-off forever. */
const SIGNAL_DEADLINE_MS = 5_000;

export async function signalConversation(client: Client, taskQueue: string, h: Handoff): Promise<void> {
  const input: ConversationInput = { phone: h.phone, userId: h.userId };
  const signal: InboundSmsSignal = {
    messageId: h.messageId,
    providerSid: h.providerSid,
    body: h.body,
    receivedAt: h.receivedAt,
  };
  await client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
    client.workflow.signalWithStart(WORKFLOW_TYPES.conversation, {
      workflowId: conversationWorkflowId(h.phone),
      taskQueue,
      args: [input],
      signal: inboundSmsSignal,
      signalArgs: [signal],
    }),
  );
}
