// The contract between the workflows and everything that starts or signals them (the Twilio webhook
// and dashboard route handlers, the screener's price triggers, the alert dispatcher): workflow
// types and ids, signal and query definitions, and their payloads. Other processes import this file
// (through `@tradeassist/workflows/client`), never the workflow code itself. Keep it free of Node
// APIs: workflows import it too.
import { defineQuery, defineSignal } from '@temporalio/workflow';

// ---- ids: one workflow per entity, so that a start or signal-with-start is idempotent ----------

/** One conversation per phone number (E.164, with its '+'). */
export const conversationWorkflowId = (phone: string): string => `conversation-${phone}`;
/** One lifecycle per trade (trades.id, a uuid); stored in trades.workflow_id. */
export const tradeWorkflowId = (tradeId: string): string => `trade-${tradeId}`;
/** One notification per alert (alerts.id): the id makes a second start for the same alert fail. */
export const alertNotificationWorkflowId = (alertId: string | bigint): string => `alert-${alertId}`;
/** The Temporal Schedule that starts `dailySummary` after each close. */
export const DAILY_SUMMARY_SCHEDULE_ID = 'daily-summary';
/** The Temporal Schedule that starts `dataRetention` every night. */
export const DATA_RETENTION_SCHEDULE_ID = 'data-retention';

// ---- workflow type names (the exported function names in workflows/index.ts) ------------------

export const WORKFLOW_TYPES = {
  conversation: 'conversation',
  tradeLifecycle: 'tradeLifecycle',
  alertNotification: 'alertNotification',
  dailySummary: 'dailySummary',
  dataRetention: 'dataRetention',
} as const;

// ---- inputs -----------------------------------------------------------------------------------

export interface ConversationInput {
  /** E.164 phone number of the trader. */
  phone: string;
  /** profiles.id of the trader with this phone. */
  userId: string;
  /** State carried across continueAsNew (absent on the first run). */
  carried?: ConversationCarried;
}

export interface ConversationCarried {
  pendingQuestion: PendingQuestion | null;
  /** The most recent inbound message ids, so that a re-delivered signal is handled once. */
  recentMessageIds: string[];
}

export interface PendingQuestion {
  questionId: string;
  /** Who asked: a trade workflow (the answer is signalled back to it) or the conversation itself. */
  tradeId: string | null;
  kind: string;
  text: string;
  /** ISO time after which "yes"/"no" no longer answer it. */
  expiresAt: string;
  /** What the conversation does itself on "yes" (e.g. an action it asked to confirm). */
  onConfirm?: unknown;
}

export interface TradeLifecycleInput {
  /** trades.id; the row exists (status 'open' or 'pending') before the workflow starts. */
  tradeId: string;
  userId: string;
  /** Where the trade was opened. */
  source: 'sms' | 'dashboard';
  /** State carried across continueAsNew (absent on the first run); owned by the trade workflow. */
  carried?: TradeLifecycleCarried;
}

/** What a trade workflow keeps across continueAsNew (everything else it re-reads from the trade row). */
export interface TradeLifecycleCarried {
  /** Exits so far (partial), decimal strings: the P&L is computed from them at the full exit. */
  exits: { quantity: string; price: string }[];
  /** The current stop and target (the trades row's risk-basis stop is re-read). */
  stop: string | null;
  target: string | null;
  /** price_triggers ids already acted on (a re-delivered or re-found cross is handled once). */
  handledTriggerIds: string[];
  /** The most recent tradeUpdate request ids (a re-delivered update applies once). */
  appliedRequestIds: string[];
  pendingQuestion: TradeQuestion | null;
  noStopFollowupSent: boolean;
  /** The last session date (YYYY-MM-DD) the "hold overnight or exit?" question went out for. */
  lastCloseFollowupDate: string | null;
}

export interface TradeQuestion {
  questionId: string;
  kind: 'trigger_cross' | 'hold_overnight' | 'journal_note';
  text: string;
  expiresAt: string;
  /** The cross asked about (kind 'trigger_cross'). */
  trigger?: { triggerId: string; kind: 'stop' | 'target' | 'custom'; level: string; price: string };
}

export interface AlertNotificationInput {
  /** alerts.id as a decimal string (bigint). */
  alertId: string;
}

export interface DailySummaryInput {
  /** The session date (America/New_York, YYYY-MM-DD); absent: today's, from the schedule's time. */
  date?: string;
}

// ---- signals ----------------------------------------------------------------------------------

/** An inbound SMS already stored in sms_messages (the webhook stores first, then signals). */
export interface InboundSmsSignal {
  /** sms_messages.id (uuid): the conversation handles each id once. */
  messageId: string;
  providerSid: string;
  body: string;
  /** ISO time the webhook received it. */
  receivedAt: string;
}
export const inboundSmsSignal = defineSignal<[InboundSmsSignal]>('inboundSms');

/** A trade workflow asks the trader something through the conversation (which sends the SMS). */
export interface AskTraderSignal {
  questionId: string;
  tradeId: string;
  kind: string;
  text: string;
  expiresAt: string;
}
export const askTraderSignal = defineSignal<[AskTraderSignal]>('askTrader');

/** A price trigger (stop, target) crossed, seen by the screener; sent after the row is marked fired. */
export interface TriggerCrossedSignal {
  triggerId: string;
  kind: 'stop' | 'target' | 'custom';
  level: string;
  price: string;
  /** Nanoseconds since the epoch, as a decimal string. */
  tsEvent: string;
}
export const triggerCrossedSignal = defineSignal<[TriggerCrossedSignal]>('triggerCrossed');

/** The trader's answer to a question the trade workflow asked. */
export interface AnswerSignal {
  questionId: string;
  answer: 'yes' | 'no';
  text?: string;
}
export const answerSignal = defineSignal<[AnswerSignal]>('answer');

/**
 * A change the trader asked for, from SMS (the conversation) or the dashboard. Prices are decimal
 * strings; `requestId` makes a re-delivered update apply once.
 */
export type TradeUpdateSignal = { requestId: string } & (
  | { type: 'close'; exit: string | null; quantity: string | null; fraction: number | null }
  | { type: 'update_stop'; stop: string }
  | { type: 'update_target'; target: string }
  | { type: 'note'; text: string }
  | { type: 'cancel' }
);
export const tradeUpdateSignal = defineSignal<[TradeUpdateSignal]>('tradeUpdate');

// ---- queries ----------------------------------------------------------------------------------

export interface TradeLifecycleState {
  tradeId: string;
  status: 'pending' | 'open' | 'closed' | 'cancelled';
  openQuantity: string;
  stop: string | null;
  target: string | null;
  pendingQuestion: string | null;
}
export const tradeStateQuery = defineQuery<TradeLifecycleState>('tradeState');

export const conversationStateQuery = defineQuery<ConversationCarried>('conversationState');
