// conversation (`conversation-<phone>`): the trader's SMS thread with the assistant. Inbound
// messages (stored by the webhook, then signalled) are handled one at a time, in order, each id
// once; questions from trade workflows (`askTrader`) go out from here so that the trader's "yes" /
// "no" finds its way back to whoever asked. Every reply goes through the SmsOutbox keyed on the
// inbound message id or the question id, so a retry or a replay never texts twice.
//
// Never acts on a guess about money: below the parser's confidence threshold it asks first, a
// missing quantity or price is asked for, and "out" with several open trades asks which one.
import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { type Intent, intentSchema } from '@tradeassist/core/intent';
import { z } from 'zod';
import type { ConversationActivities, OpenTradeRef } from '../activities/conversation.ts';
import {
  type AskTraderSignal,
  answerSignal,
  askTraderSignal,
  type ConversationCarried,
  type ConversationInput,
  conversationStateQuery,
  type InboundSmsSignal,
  inboundSmsSignal,
  type PendingQuestion,
  type TradeUpdateSignal,
  tradeUpdateSignal,
  tradeWorkflowId,
} from '../contract.ts';
import { numberToDecimal, price, stopOnRightSide, targetOnRightSide } from './trade-lifecycle-math.ts';

const acts = proxyActivities<ConversationActivities>({
  // Claude may take a few seconds; the parser falls back to the rules on its own timeout.
  startToCloseTimeout: '60 seconds',
  retry: { maximumInterval: '30 seconds' },
});

const MINUTE = 60_000;
const CONFIRM_TTL_MS = 10 * MINUTE;
const MISSING_FIELD_TTL_MS = 30 * MINUTE;
const RECENT_IDS = 100;

export const HELP_TEXT =
  "TradeAssist: 'took AAPL 150.20 stop 148' opens, 'out at 151' closes, 'sold half at 151', " +
  "'stop 149', 'target 155', 'note: ...', 'status', 'pnl', 'watch NVDA', 'mute TSLA 30m'. STOP to opt out.";
const UNKNOWN_TEXT =
  "Sorry, I didn't get that. Try 'took AAPL 150.20 stop 148', 'out at 151', 'status' or 'help'.";

// Signals from other processes are checked before they touch the state.
const inboundSchema = z.object({
  messageId: z.string().min(1).max(100),
  providerSid: z.string().max(100),
  body: z.string().max(1600),
  receivedAt: z.string(),
});
const askSchema = z.object({
  questionId: z.string().min(1).max(200),
  tradeId: z.string().min(1).max(100),
  kind: z.string().min(1).max(50),
  text: z.string().min(1).max(1600),
  expiresAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO time'),
});

/** What the conversation does itself when the trader answers its own question. */
const onConfirmSchema = z.object({
  intent: intentSchema,
  /** The message the action came from: the id of the trade update it becomes. */
  messageId: z.string(),
  /** The trade it is about, once resolved. */
  tradeId: z.string().nullable(),
});
type OnConfirm = z.infer<typeof onConfirmSchema>;

type FillKind = 'missing_quantity' | 'missing_entry' | 'missing_exit';
const FILL_KINDS: readonly string[] = ['missing_quantity', 'missing_entry', 'missing_exit'];

type Item = { type: 'sms'; sms: InboundSmsSignal } | { type: 'ask'; ask: AskTraderSignal };

/** A bare number ("100", "100 shares", "$148.10") answering a "how many / what price" question. */
export function bareNumber(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,9}(?:\.\d{1,9})?)\s*(?:shares?|sh|@)?\s*\.?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export async function conversation(input: ConversationInput): Promise<void> {
  const { phone, userId } = input;
  let pending: PendingQuestion | null = input.carried?.pendingQuestion ?? null;
  const recent: string[] = [...(input.carried?.recentMessageIds ?? [])];
  const queue: Item[] = [];

  const remember = (id: string) => {
    recent.push(id);
    if (recent.length > RECENT_IDS) recent.splice(0, recent.length - RECENT_IDS);
  };

  setHandler(
    conversationStateQuery,
    (): ConversationCarried => ({ pendingQuestion: pending, recentMessageIds: [...recent] }),
  );
  setHandler(inboundSmsSignal, (raw) => {
    const parsed = inboundSchema.safeParse(raw);
    if (!parsed.success) return log.warn('inboundSms ignored: bad payload', { error: parsed.error.message });
    // Remembered on arrival, so a re-delivery is dropped even while the first is still queued.
    if (recent.includes(parsed.data.messageId)) return;
    remember(parsed.data.messageId);
    queue.push({ type: 'sms', sms: parsed.data });
  });
  setHandler(askTraderSignal, (raw) => {
    const parsed = askSchema.safeParse(raw);
    if (!parsed.success) return log.warn('askTrader ignored: bad payload', { error: parsed.error.message });
    const id = `q:${parsed.data.questionId}`;
    if (recent.includes(id)) return;
    remember(id);
    queue.push({ type: 'ask', ask: parsed.data });
  });

  const send = (key: string, body: string) => acts.sendReply({ userId, to: phone, key, body });

  function expirePending(): void {
    if (pending && Date.now() >= Date.parse(pending.expiresAt)) pending = null;
  }

  async function askOwn(
    kind: string,
    text: string,
    ttlMs: number,
    onConfirm: OnConfirm,
    key: string,
  ): Promise<void> {
    pending = {
      questionId: uuid4(),
      tradeId: null,
      kind,
      text,
      expiresAt: new Date(Date.now() + ttlMs).toISOString(),
      onConfirm,
    };
    await send(key, text);
  }

  async function signalTrade(tradeId: string, update: TradeUpdateSignal): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(tradeWorkflowId(tradeId)).signal(tradeUpdateSignal, update);
      return true;
    } catch (err) {
      log.warn('trade workflow not reachable', { tradeId, error: (err as Error).message });
      return false;
    }
  }

  async function handleAsk(a: AskTraderSignal): Promise<void> {
    // The newest question is the one a "yes" answers (the last text the trader read); an older
    // question's asker sees it expire.
    pending = {
      questionId: a.questionId,
      tradeId: a.tradeId,
      kind: a.kind,
      text: a.text,
      expiresAt: a.expiresAt,
    };
    await send(`question-${a.questionId}`, a.text);
  }

  async function handleSms(m: InboundSmsSignal): Promise<void> {
    const key = `reply-${m.messageId}`;
    const reply = (body: string) => send(key, body);
    const it = await acts.interpretMessage({ userId, messageId: m.messageId, body: m.body });
    expirePending();
    const intent = it.intent;

    // A number answering our own "how many shares / at what price?".
    if (pending && pending.tradeId === null && FILL_KINDS.includes(pending.kind)) {
      const n = bareNumber(m.body);
      const action = onConfirmSchema.safeParse(pending.onConfirm);
      if (n !== null && action.success) {
        const kind = pending.kind as FillKind;
        pending = null;
        return act(
          fill(action.data.intent, kind, n),
          it.openTrades,
          action.data.messageId,
          reply,
          action.data.tradeId,
          key,
        );
      }
    }

    // A trade workflow waiting for the journal note takes the next free text (or "note: ...").
    if (
      pending?.tradeId &&
      pending.kind === 'journal_note' &&
      (intent.intent === 'note' || intent.intent === 'unknown')
    ) {
      const q = pending;
      pending = null;
      const text = intent.intent === 'note' ? intent.text : m.body.trim();
      const ok = await answerTrade(q, 'yes', text);
      if (!ok) await reply('That trade is no longer open for notes.');
      return;
    }

    if (intent.intent === 'confirm' || intent.intent === 'deny') {
      const yes = intent.intent === 'confirm';
      if (!pending) return void (await reply(yes ? 'Nothing to confirm right now.' : 'OK.'));
      const q = pending;
      pending = null;
      if (q.tradeId) {
        const ok = await answerTrade(q, yes ? 'yes' : 'no');
        if (!ok) await reply('That question is no longer open.');
        return;
      }
      const action = onConfirmSchema.safeParse(q.onConfirm);
      if (!yes || !action.success) return void (await reply('OK, ignored.'));
      return act(action.data.intent, it.openTrades, action.data.messageId, reply, action.data.tradeId, key);
    }

    if (it.needsConfirmation) {
      const text = `Did you mean: ${describe(intent)}? Reply YES or NO.`;
      return askOwn(
        'confirm_intent',
        text,
        CONFIRM_TTL_MS,
        { intent, messageId: m.messageId, tradeId: null },
        key,
      );
    }
    return act(intent, it.openTrades, m.messageId, reply, null, key);
  }

  async function answerTrade(q: PendingQuestion, answer: 'yes' | 'no', text?: string): Promise<boolean> {
    if (!q.tradeId) return false;
    try {
      await getExternalWorkflowHandle(tradeWorkflowId(q.tradeId)).signal(answerSignal, {
        questionId: q.questionId,
        answer,
        ...(text ? { text } : {}),
      });
      return true;
    } catch (err) {
      log.warn('answer not delivered', { tradeId: q.tradeId, error: (err as Error).message });
      return false;
    }
  }

  async function act(
    intent: Intent,
    openTrades: OpenTradeRef[],
    messageId: string,
    reply: (body: string) => Promise<unknown>,
    knownTradeId: string | null,
    /** The reply key of the message being handled (not `messageId`'s: that may be an earlier one). */
    key: string,
  ): Promise<void> {
    switch (intent.intent) {
      case 'open_trade': {
        if (intent.quantity === null)
          return askOwn(
            'missing_quantity',
            `How many shares of ${intent.symbol}?`,
            MISSING_FIELD_TTL_MS,
            { intent, messageId, tradeId: null },
            key,
          );
        if (intent.entry === null)
          return askOwn(
            'missing_entry',
            `At what price did you get in ${intent.symbol}?`,
            MISSING_FIELD_TTL_MS,
            { intent, messageId, tradeId: null },
            key,
          );
        const entry = numberToDecimal(intent.entry);
        const stop = intent.stop === null ? null : numberToDecimal(intent.stop);
        const target = intent.target === null ? null : numberToDecimal(intent.target);
        if (!entry || (intent.stop !== null && !stop) || (intent.target !== null && !target))
          return void (await reply(`I could not read those prices for ${intent.symbol}.`));
        if (stop && !stopOnRightSide(intent.side, entry, stop))
          return void (await reply(
            `For a ${intent.side}, the stop goes ${intent.side === 'long' ? 'below' : 'above'} the entry ${price(entry)}. Send it again?`,
          ));
        if (target && !targetOnRightSide(intent.side, entry, target))
          return void (await reply(
            `For a ${intent.side}, the target goes ${intent.side === 'long' ? 'above' : 'below'} the entry ${price(entry)}. Send it again?`,
          ));
        const tradeId = uuid4();
        await acts.createTrade({
          tradeId,
          userId,
          symbol: intent.symbol,
          side: intent.side,
          quantity: String(intent.quantity),
          entry,
          stop,
          target,
        });
        // The trade workflow confirms the details by SMS itself (one text, not two).
        await acts.startTradeWorkflow({ tradeId, userId, source: 'sms' });
        return;
      }
      case 'close_trade':
      case 'update_stop':
      case 'update_target':
      case 'note': {
        const trade = knownTradeId
          ? (openTrades.find((t) => t.tradeId === knownTradeId) ?? null)
          : resolveTrade(intent.symbol, openTrades);
        if (trade === 'ambiguous') {
          const symbols = [...new Set(openTrades.map((t) => t.symbol))].join(', ');
          return void (await reply(
            `Which one: ${symbols}? Add the symbol, e.g. '${example(intent, openTrades[0]!.symbol)}'.`,
          ));
        }
        if (!trade)
          return void (await reply(intent.symbol ? `No open ${intent.symbol} trade.` : 'No open trade.'));
        const update = toUpdate(intent, messageId);
        if (update === 'missing_exit')
          return askOwn(
            'missing_exit',
            `At what price did you exit ${trade.symbol}?`,
            MISSING_FIELD_TTL_MS,
            { intent, messageId, tradeId: trade.tradeId },
            key,
          );
        if (!update) return void (await reply(`I could not read that price for ${trade.symbol}.`));
        // The trade workflow acknowledges (or explains why not) itself.
        if (!(await signalTrade(trade.tradeId, update))) await reply(`${trade.symbol} is no longer tracked.`);
        return;
      }
      case 'status':
        return void (await reply(await acts.statusReport({ userId })));
      case 'pnl':
        return void (await reply(await acts.pnlReport({ userId, period: intent.period })));
      case 'watch':
      case 'unwatch': {
        await acts.editWatchlist({ userId, action: intent.intent, symbols: intent.symbols });
        const list = intent.symbols.join(', ');
        return void (await reply(
          intent.intent === 'watch' ? `Watching ${list}.` : `Removed ${list} from your watchlist.`,
        ));
      }
      case 'mute': {
        await acts.setMute({ userId, symbol: intent.symbol, minutes: intent.minutes });
        const what = intent.symbol ?? 'all alerts';
        return void (await reply(
          intent.minutes
            ? `Muted ${what} for ${intent.minutes} min.`
            : `Muted ${what} until you send 'unmute'.`,
        ));
      }
      case 'unmute': {
        await acts.clearMute({ userId, symbol: intent.symbol });
        return void (await reply(`Unmuted ${intent.symbol ?? 'all alerts'}.`));
      }
      case 'help':
        return void (await reply(HELP_TEXT));
      case 'confirm':
      case 'deny':
        return void (await reply('Nothing to confirm right now.'));
      case 'unknown':
        return void (await reply(UNKNOWN_TEXT));
    }
  }

  // ---- main loop: drain in order, then continue-as-new when the history asks for it ------------
  for (;;) {
    await condition(() => queue.length > 0);
    while (queue.length > 0) {
      const item = queue.shift()!;
      if (item.type === 'sms') await handleSms(item.sms);
      else await handleAsk(item.ask);
    }
    if (workflowInfo().continueAsNewSuggested) {
      const carried: ConversationCarried = { pendingQuestion: pending, recentMessageIds: recent };
      return continueAsNew<typeof conversation>({ phone, userId, carried });
    }
  }
}

/** null symbol: the only open trade; several different symbols: ambiguous. */
function resolveTrade(symbol: string | null, open: OpenTradeRef[]): OpenTradeRef | 'ambiguous' | null {
  const candidates = symbol ? open.filter((t) => t.symbol === symbol) : open;
  if (candidates.length === 0) return null;
  if (new Set(candidates.map((t) => t.symbol)).size > 1) return 'ambiguous';
  return candidates[0]!; // the most recent (open trades come newest first)
}

function toUpdate(intent: Intent, requestId: string): TradeUpdateSignal | 'missing_exit' | null {
  switch (intent.intent) {
    case 'close_trade': {
      if (intent.exit === null) return 'missing_exit';
      const exit = numberToDecimal(intent.exit);
      if (!exit) return null;
      return {
        requestId,
        type: 'close',
        exit,
        quantity: intent.quantity === null ? null : String(intent.quantity),
        fraction: intent.fraction ?? null,
      };
    }
    case 'update_stop': {
      const stop = numberToDecimal(intent.stop);
      return stop ? { requestId, type: 'update_stop', stop } : null;
    }
    case 'update_target': {
      const target = numberToDecimal(intent.target);
      return target ? { requestId, type: 'update_target', target } : null;
    }
    case 'note':
      return { requestId, type: 'note', text: intent.text };
    default:
      return null;
  }
}

/** The intent with the number the trader just sent filled in. */
function fill(intent: Intent, kind: FillKind, n: number): Intent {
  if (intent.intent === 'open_trade') {
    if (kind === 'missing_quantity' && Number.isInteger(n)) return { ...intent, quantity: n };
    if (kind === 'missing_entry') return { ...intent, entry: n };
  }
  if (intent.intent === 'close_trade' && kind === 'missing_exit') return { ...intent, exit: n };
  return intent;
}

function example(intent: Intent, symbol: string): string {
  switch (intent.intent) {
    case 'update_stop':
      return `stop ${symbol} ${intent.stop}`;
    case 'update_target':
      return `target ${symbol} ${intent.target}`;
    case 'note':
      return `note ${symbol}: ...`;
    default:
      return `out ${symbol} ${intent.intent === 'close_trade' && intent.exit !== null ? intent.exit : '<price>'}`;
  }
}

/** One line a trader can say yes or no to. */
export function describe(intent: Intent): string {
  const n = (v: number | null) =>
    v === null ? '?' : numberToDecimal(v) ? price(String(numberToDecimal(v))) : String(v);
  switch (intent.intent) {
    case 'open_trade':
      return `${intent.side} ${intent.quantity ?? '?'} ${intent.symbol} @ ${n(intent.entry)}${intent.stop !== null ? ` stop ${n(intent.stop)}` : ''}${intent.target !== null ? ` target ${n(intent.target)}` : ''}`;
    case 'close_trade':
      return `${intent.fraction ? `sell ${Math.round(intent.fraction * 100)}% of` : intent.quantity ? `sell ${intent.quantity}` : 'close'} ${intent.symbol ?? 'your trade'}${intent.exit === null ? '' : ` at ${n(intent.exit)}`}`;
    case 'update_stop':
      return `stop ${intent.symbol ?? ''} ${n(intent.stop)}`.replace('  ', ' ');
    case 'update_target':
      return `target ${intent.symbol ?? ''} ${n(intent.target)}`.replace('  ', ' ');
    case 'watch':
    case 'unwatch':
      return `${intent.intent} ${intent.symbols.join(', ')}`;
    case 'mute':
      return `mute ${intent.symbol ?? 'all alerts'}${intent.minutes ? ` for ${intent.minutes} min` : ''}`;
    case 'unmute':
      return `unmute ${intent.symbol ?? 'all alerts'}`;
    case 'note':
      return `note "${intent.text.slice(0, 60)}"`;
    case 'pnl':
      return `P&L for ${intent.period}`;
    default:
      return intent.intent;
  }
}
