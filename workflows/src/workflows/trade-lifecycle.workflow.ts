// tradeLifecycle (`trade-<tradeId>`): follows one trade from entry to journal. It journals every
// step in trade_events, keeps the stop and target live in price_triggers, asks the trader when a
// level is crossed (the assistant never assumes an exit), follows up (no stop 15 minutes after
// entry; "hold overnight or exit?" before each close), applies the trader's updates (partial and
// full exits, stop/target moves, notes, cancel), computes the result with exact decimals, asks for
// a journal note and completes.
//
// A cross whose signal was lost (the screener died between marking the trigger fired and
// signalling, or Temporal was away) is still found: while the trade is open the workflow reads
// its fired triggers on a slow timer during the extended session (and at every start), and acts
// on those it has not handled. Triggers are replaced, never re-used, so a trigger id is one cross.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type { TradeActivities } from '../activities/trades.ts';
import {
  answerSignal,
  type TradeLifecycleCarried,
  type TradeLifecycleInput,
  type TradeLifecycleState,
  type TradeQuestion,
  type TradeUpdateSignal,
  type TriggerCrossedSignal,
  tradeStateQuery,
  tradeUpdateSignal,
  triggerCrossedSignal,
} from '../contract.ts';
import {
  averageExit,
  dec,
  type Exit,
  fractionOf,
  fx,
  price,
  realizedPnl,
  riskPerShare,
  rMultiple,
  type Side,
  shares,
  signedMoney,
  stopOnRightSide,
  sumQuantity,
  targetOnRightSide,
} from './trade-lifecycle-math.ts';
import { closeFollowupAt, firedCheckAfter } from './trade-lifecycle-schedule.ts';

const acts = proxyActivities<TradeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
// The slow safety-net read: a local activity is one marker in the history instead of three events.
const local = proxyLocalActivities<TradeActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 5 },
});

const MINUTE = 60_000;
const NO_STOP_FOLLOWUP_MS = 15 * MINUTE;
const CROSS_QUESTION_TTL_MS = 4 * 60 * MINUTE;
const JOURNAL_WAIT_MS = 24 * 60 * MINUTE;
const RECENT_REQUESTS = 200;

// Signals come from other processes: checked before they touch the state.
const decimalString = z.string().regex(/^\d{1,12}(\.\d{1,9})?$/);
const crossSchema = z.object({
  triggerId: z.string().min(1).max(100),
  kind: z.enum(['stop', 'target', 'custom']),
  level: decimalString,
  price: decimalString,
  tsEvent: z.string().regex(/^\d{1,20}$/),
});
const updateSchema = z.discriminatedUnion('type', [
  z.object({
    requestId: z.string().min(1).max(200),
    type: z.literal('close'),
    exit: decimalString.nullable(),
    quantity: decimalString.nullable(),
    fraction: z.number().gt(0).lt(1).nullable(),
  }),
  z.object({ requestId: z.string().min(1).max(200), type: z.literal('update_stop'), stop: decimalString }),
  z.object({
    requestId: z.string().min(1).max(200),
    type: z.literal('update_target'),
    target: decimalString,
  }),
  z.object({
    requestId: z.string().min(1).max(200),
    type: z.literal('note'),
    text: z.string().min(1).max(1600),
  }),
  z.object({ requestId: z.string().min(1).max(200), type: z.literal('cancel') }),
]);
const answerSchema = z.object({
  questionId: z.string().min(1).max(200),
  answer: z.enum(['yes', 'no']),
  text: z.string().max(1600).optional(),
});

type Event =
  | { type: 'cross'; cross: TriggerCrossedSignal; via: 'signal' | 'check' }
  | { type: 'update'; update: TradeUpdateSignal }
  | { type: 'answer'; questionId: string; answer: 'yes' | 'no'; text: string | undefined };

export interface TradeOutcome {
  status: 'closed' | 'cancelled';
  realizedPnl: string | null;
  rMultiple: string | null;
  journalNote: boolean;
}

export async function tradeLifecycle(input: TradeLifecycleInput): Promise<TradeOutcome> {
  const { tradeId, userId } = input;
  const carried = input.carried;

  // ---- state, and the handlers before the first await: a query in the first moments is answered,
  // and every signal lands in `events` ---------------------------------------------------------------
  let status: 'open' | 'closed' | 'cancelled' = 'open';
  let quantity = '0'; // from the trades row, below
  const exits: Exit[] = carried ? [...carried.exits] : [];
  // Levels are kept canonical ("148", not "148.000000000") so that state and journal read cleanly.
  const canon = (s: string | null): string | null => (s === null ? null : dec(fx(s), 0));
  let stop = carried?.stop ?? null;
  let target = carried?.target ?? null;
  const handledTriggers = new Set(carried?.handledTriggerIds ?? []);
  const applied: string[] = [...(carried?.appliedRequestIds ?? [])];
  let pending: TradeQuestion | null = carried?.pendingQuestion ?? null;
  let noStopFollowupSent = carried?.noStopFollowupSent ?? false;
  let lastCloseFollowupDate = carried?.lastCloseFollowupDate ?? null;
  let journalText: string | null = null;
  const events: Event[] = [];

  const openQty = (): bigint => fx(quantity) - sumQuantity(exits);

  setHandler(
    tradeStateQuery,
    (): TradeLifecycleState => ({
      tradeId,
      status,
      openQuantity: dec(openQty() < 0n ? 0n : openQty(), 0),
      stop,
      target,
      pendingQuestion: pending?.text ?? null,
    }),
  );
  setHandler(triggerCrossedSignal, (raw) => {
    const parsed = crossSchema.safeParse(raw);
    if (!parsed.success)
      return log.warn('triggerCrossed ignored: bad payload', { error: parsed.error.message });
    const queued = events.some((e) => e.type === 'cross' && e.cross.triggerId === parsed.data.triggerId);
    if (!handledTriggers.has(parsed.data.triggerId) && !queued)
      events.push({ type: 'cross', cross: parsed.data, via: 'signal' });
  });
  setHandler(tradeUpdateSignal, (raw) => {
    const parsed = updateSchema.safeParse(raw);
    if (!parsed.success) return log.warn('tradeUpdate ignored: bad payload', { error: parsed.error.message });
    const id = parsed.data.requestId;
    if (applied.includes(id) || events.some((e) => e.type === 'update' && e.update.requestId === id)) return;
    const u = parsed.data;
    const update: TradeUpdateSignal =
      u.type === 'update_stop'
        ? { ...u, stop: canon(u.stop)! }
        : u.type === 'update_target'
          ? { ...u, target: canon(u.target)! }
          : u.type === 'close'
            ? { ...u, exit: canon(u.exit), quantity: canon(u.quantity) }
            : u;
    events.push({ type: 'update', update });
  });
  setHandler(answerSignal, (raw) => {
    const parsed = answerSchema.safeParse(raw);
    if (!parsed.success) return log.warn('answer ignored: bad payload', { error: parsed.error.message });
    events.push({ type: 'answer', ...parsed.data, text: parsed.data.text });
  });

  const trade = await acts.loadTrade(tradeId);
  if (trade.user_id !== userId)
    throw ApplicationFailure.nonRetryable(`trade ${tradeId} belongs to another user`, 'BadInput');
  // Started again for a trade already over (a dashboard retry): nothing left to follow.
  if (!carried && (trade.status === 'closed' || trade.status === 'cancelled'))
    return { status: trade.status, realizedPnl: trade.realized_pnl, rMultiple: null, journalNote: false };
  const side: Side = trade.side;
  const symbol = trade.symbol;
  const entry = trade.entry;
  quantity = trade.quantity;
  const openedAtMs = trade.opened_at ? Date.parse(trade.opened_at) : Date.now();
  // The risk basis: the stop at entry, or the first stop set later (R multiple = P&L / risk).
  let riskStop = trade.stop;
  status = trade.status === 'closed' ? 'closed' : trade.status === 'cancelled' ? 'cancelled' : 'open';
  if (!carried) {
    stop = canon(trade.current_stop ?? trade.stop);
    target = canon(trade.target);
  }

  const journal = (
    kind: Parameters<TradeActivities['recordTradeEvent']>[0]['kind'],
    key: string,
    data = {},
  ) => acts.recordTradeEvent({ tradeId, userId, kind, key, data });
  const sms = (key: string, body: string) =>
    acts.sendTradeSms({ userId, key: `trade-${tradeId}-${key}`, body });

  async function ask(
    kind: TradeQuestion['kind'],
    text: string,
    ttlMs: number,
    extra: Partial<TradeQuestion> = {},
  ) {
    const questionId = uuid4();
    const expiresAt = new Date(Date.now() + ttlMs).toISOString();
    pending = { questionId, kind, text, expiresAt, ...extra };
    await journal('question', `question-${questionId}`, { question_id: questionId, kind, text });
    const asked = await acts.askTrader({ userId, ask: { questionId, tradeId, kind, text, expiresAt } });
    if (!asked) log.warn('trader has no phone: question only in the journal', { tradeId, kind });
  }

  // ---- entry: journal, triggers, confirmation (first run only; every step idempotent) ----------
  if (!carried && status === 'open') {
    await journal('opened', 'opened', {
      symbol,
      side,
      quantity,
      entry,
      stop: trade.stop,
      target: trade.target,
      source: input.source,
    });
    if (stop) await acts.setPriceTrigger(triggerArgs('stop', stop));
    if (target) await acts.setPriceTrigger(triggerArgs('target', target));
    await sms('opened', confirmationText());
  }

  function triggerArgs(kind: 'stop' | 'target', level: string) {
    // A long's stop is crossed downwards and its target upwards; a short's the other way.
    const direction: 'above' | 'below' = (kind === 'stop') === (side === 'long') ? 'below' : 'above';
    return { tradeId, userId, symbol, kind, level, direction };
  }

  function confirmationText(): string {
    const head = `${side === 'long' ? 'Long' : 'Short'} ${symbol} ${shares(quantity)} @ ${price(entry)}`;
    if (!stop) return `${head}, no stop yet. Reply 'stop <price>' to set one.`;
    const risk = riskPerShare(entry, stop);
    const total = (risk * fx(quantity)) / 1_000_000_000n;
    let text = `${head}, stop ${price(stop)}, risk ${dec(risk)}/sh ($${dec(total)}).`;
    if (target) {
      const rr = rMultiple(realizedPnl(side, entry, [{ quantity, price: target }]), entry, stop, quantity);
      text += ` Target ${price(target)}${rr ? ` (${signedMoney(fx(rr)).replace('+', '')}R)` : ''}.`;
    } else text += ` Reply 'target ${exampleTarget(stop)}' to add a target.`;
    return text;
  }

  /** A 2R target as the example in the confirmation. */
  function exampleTarget(s: string): string {
    const r = riskPerShare(entry, s);
    const t = side === 'long' ? fx(entry) + 2n * r : fx(entry) - 2n * r;
    return t > 0n ? dec(t, 0) : '…';
  }

  // ---- timers ------------------------------------------------------------------------------------
  let nextFiredCheck = Date.now(); // at every start: a cross may have been missed while away

  async function runDueTimers(): Promise<void> {
    const now = Date.now();
    if (pending && now >= Date.parse(pending.expiresAt)) {
      const p = pending;
      pending = null;
      await journal('followup', `expired-${p.questionId}`, {
        question_id: p.questionId,
        kind: p.kind,
        expired: true,
      });
    }
    if (status !== 'open') return;
    if (!stop && !noStopFollowupSent && now >= openedAtMs + NO_STOP_FOLLOWUP_MS) {
      noStopFollowupSent = true;
      await journal('followup', 'no-stop', { kind: 'no_stop' });
      await sms('no-stop', `${symbol}: no stop yet after 15 min. Reply 'stop <price>' to set one.`);
    }
    const close = closeFollowupAt(now, openedAtMs, lastCloseFollowupDate);
    if (close && now >= close.at) {
      lastCloseFollowupDate = close.date;
      await journal('followup', `close-${close.date}`, { kind: 'before_close', date: close.date });
      await ask(
        'hold_overnight',
        `${symbol} ${shares(dec(openQty(), 0))} still open, close in 15 min. Hold overnight? YES to hold, or 'out at <price>'.`,
        15 * MINUTE + 4 * 60 * MINUTE,
      );
    }
    if (now >= nextFiredCheck) {
      nextFiredCheck = firedCheckAfter(now);
      const fired = await local.listFiredTriggers(tradeId);
      for (const f of fired) {
        if (handledTriggers.has(f.triggerId)) continue;
        if (events.some((e) => e.type === 'cross' && e.cross.triggerId === f.triggerId)) continue;
        events.push({ type: 'cross', cross: f, via: 'check' });
      }
    }
  }

  function nextWake(now: number): number {
    let t = nextFiredCheck;
    if (pending) t = Math.min(t, Date.parse(pending.expiresAt));
    if (!stop && !noStopFollowupSent) t = Math.min(t, openedAtMs + NO_STOP_FOLLOWUP_MS);
    const close = closeFollowupAt(now, openedAtMs, lastCloseFollowupDate);
    if (close) t = Math.min(t, close.at);
    return t;
  }

  // ---- events ------------------------------------------------------------------------------------
  async function onCross(cross: TriggerCrossedSignal, via: 'signal' | 'check'): Promise<void> {
    if (handledTriggers.has(cross.triggerId)) return;
    handledTriggers.add(cross.triggerId);
    if (status !== 'open') return;
    if (via === 'check') log.warn('trigger cross found by the fired-trigger check', { tradeId, ...cross });
    const what = cross.kind === 'custom' ? 'level' : cross.kind;
    await ask(
      'trigger_cross',
      `${symbol} hit your ${what} ${price(cross.level)} (last ${price(cross.price)}): are you out? YES or NO`,
      CROSS_QUESTION_TTL_MS,
      { trigger: { triggerId: cross.triggerId, kind: cross.kind, level: cross.level, price: cross.price } },
    );
  }

  async function onAnswer(questionId: string, answer: 'yes' | 'no', text: string | undefined): Promise<void> {
    if (!pending || pending.questionId !== questionId) return; // stale or unknown: nothing to do
    const q = pending;
    pending = null;
    await journal('answer', `answer-${questionId}`, {
      question_id: questionId,
      kind: q.kind,
      answer,
      ...(text ? { text } : {}),
    });
    if (q.kind === 'journal_note') {
      journalText = text?.trim() || null;
      return;
    }
    if (status !== 'open') return;
    if (q.kind === 'trigger_cross' && q.trigger) {
      if (answer === 'yes') {
        // Out at the level the trader set (what a stop or limit order fills at, as the trader agreed).
        await exit(`cross-${q.trigger.triggerId}`, q.trigger.level, openQty());
      } else if (q.trigger.kind === 'stop' || q.trigger.kind === 'target') {
        const level = q.trigger.kind === 'stop' ? stop : target;
        if (level) await acts.setPriceTrigger(triggerArgs(q.trigger.kind, level));
        await sms(
          `rearm-${q.trigger.triggerId}`,
          `OK, still in ${symbol}; watching ${q.trigger.kind} ${price(level ?? q.trigger.level)} again.`,
        );
      }
    } else if (q.kind === 'hold_overnight' && answer === 'no') {
      await sms(`close-no-${questionId}`, `OK. Reply 'out at <price>' when you exit ${symbol}.`);
    }
  }

  async function onUpdate(u: TradeUpdateSignal): Promise<void> {
    applied.push(u.requestId);
    if (applied.length > RECENT_REQUESTS) applied.splice(0, applied.length - RECENT_REQUESTS);
    const key = `update-${u.requestId}`;
    if (status !== 'open') {
      if (u.type === 'note')
        await acts.recordJournalNote({ tradeId, userId, key: `note-${u.requestId}`, text: u.text });
      return;
    }
    try {
      switch (u.type) {
        case 'close': {
          if (u.exit === null)
            return void (await sms(key, `At what price did you exit ${symbol}? Reply 'out at <price>'.`));
          const open = openQty();
          let q = open;
          if (u.quantity !== null)
            q = fx(u.quantity); // exit() caps it at what is open
          else if (u.fraction !== null && u.fraction !== undefined) q = fractionOf(open, u.fraction);
          return void (await exit(u.requestId, u.exit, q));
        }
        case 'update_stop': {
          const problem = stopProblem(u.stop);
          if (problem) return void (await sms(key, problem));
          const was = stop;
          await acts.setPriceTrigger(triggerArgs('stop', u.stop));
          await acts.updateTradeLevels({ tradeId, stop: u.stop });
          stop = u.stop;
          riskStop ??= u.stop;
          await journal('stop_moved', key, { from: was, to: u.stop });
          return void (await sms(
            key,
            `${symbol} stop ${price(u.stop)}${was ? ` (was ${price(was)})` : ''}.`,
          ));
        }
        case 'update_target': {
          const problem = targetProblem(u.target);
          if (problem) return void (await sms(key, problem));
          const was = target;
          await acts.setPriceTrigger(triggerArgs('target', u.target));
          await acts.updateTradeLevels({ tradeId, target: u.target });
          target = u.target;
          await journal('target_moved', key, { from: was, to: u.target });
          return void (await sms(
            key,
            `${symbol} target ${price(u.target)}${was ? ` (was ${price(was)})` : ''}.`,
          ));
        }
        case 'note':
          await acts.recordJournalNote({ tradeId, userId, key: `note-${u.requestId}`, text: u.text });
          return void (await sms(key, `Noted on ${symbol}.`));
        case 'cancel':
          await acts.cancelTrade({ tradeId, userId, reason: 'trader' });
          status = 'cancelled';
          pending = null;
          return void (await sms(key, `${symbol} trade cancelled; no longer tracked.`));
      }
    } catch (err) {
      // Bad input from the database's point of view (a CHECK): tell the trader, keep the trade.
      if (
        err instanceof ActivityFailure &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === 'BadInput'
      ) {
        log.warn('trade update rejected', { tradeId, requestId: u.requestId, error: err.cause.message });
        return void (await sms(key, `Could not apply that to ${symbol}: it does not fit the trade.`));
      }
      throw err;
    }
  }

  function stopProblem(s: string): string | null {
    if (fx(s) <= 0n) return 'A stop must be above zero.';
    if (riskStop === null && !stopOnRightSide(side, entry, s))
      return `A ${side} stop goes ${side === 'long' ? 'below' : 'above'} the entry ${price(entry)}.`;
    if (target && (side === 'long' ? fx(s) >= fx(target) : fx(s) <= fx(target)))
      return `Stop ${price(s)} would be past the target ${price(target)}.`;
    return null;
  }

  function targetProblem(t: string): string | null {
    if (!targetOnRightSide(side, entry, t))
      return `A ${side} target goes ${side === 'long' ? 'above' : 'below'} the entry ${price(entry)}.`;
    if (stop && (side === 'long' ? fx(stop) >= fx(t) : fx(stop) <= fx(t)))
      return `Target ${price(t)} would be past the stop ${price(stop)}.`;
    return null;
  }

  let outcome: TradeOutcome | null = null;

  /** An exit of `q` shares at `px`: partial while shares stay open, else the full close. */
  async function exit(requestId: string, px: string, q: bigint): Promise<void> {
    const open = openQty();
    if (q <= 0n || open <= 0n) return;
    const qty = q >= open ? open : q;
    exits.push({ quantity: dec(qty, 0), price: px });
    if (qty < open) {
      const pnl = realizedPnl(side, entry, exits);
      await acts.recordPartialExit({
        tradeId,
        userId,
        key: `exit-${requestId}`,
        quantity: dec(qty, 0),
        price: px,
        exitedQuantity: dec(sumQuantity(exits), 0),
        realizedPnl: dec(pnl, 0),
      });
      await sms(
        `exit-${requestId}`,
        `${symbol}: out ${shares(dec(qty, 0))} @ ${price(px)}, ${signedMoney(pnl)} so far, ${shares(dec(open - qty, 0))} left.`,
      );
      return;
    }
    // Full exit: fees as they stand now on the row (the dashboard may have filled them in).
    const fresh = await acts.loadTrade(tradeId);
    const pnl = realizedPnl(side, entry, exits, fresh.fees);
    const r = rMultiple(pnl, entry, riskStop ?? fresh.stop, quantity);
    const avg = averageExit(exits);
    await acts.closeTrade({
      tradeId,
      userId,
      exitPrice: dec(avg, 0),
      lastPrice: px,
      lastQuantity: dec(qty, 0),
      realizedPnl: dec(pnl, 0),
      rMultiple: r,
      fees: fresh.fees,
      closedAt: new Date(Date.now()).toISOString(),
    });
    status = 'closed';
    outcome = { status: 'closed', realizedPnl: dec(pnl, 2), rMultiple: r, journalNote: false };
    const rText = r ? ` (${signedMoney(fx(r))}R)` : '';
    await ask(
      'journal_note',
      `${symbol} closed @ ${price(dec(avg, 0))}: ${signedMoney(pnl)}${rText}. Any note for the journal? Reply 'note: ...'`,
      JOURNAL_WAIT_MS,
    );
  }

  // ---- main loop ------------------------------------------------------------------------------------
  while (status === 'open') {
    await runDueTimers();
    while (events.length > 0 && status === 'open') {
      const e = events.shift()!;
      if (e.type === 'cross') await onCross(e.cross, e.via);
      else if (e.type === 'update') await onUpdate(e.update);
      else await onAnswer(e.questionId, e.answer, e.text);
    }
    if (status !== 'open') break;
    if (workflowInfo().continueAsNewSuggested && events.length === 0) {
      const next: TradeLifecycleCarried = {
        exits,
        stop,
        target,
        handledTriggerIds: [...handledTriggers],
        appliedRequestIds: applied,
        pendingQuestion: pending,
        noStopFollowupSent,
        lastCloseFollowupDate,
      };
      return continueAsNew<typeof tradeLifecycle>({ ...input, carried: next });
    }
    const wait = nextWake(Date.now()) - Date.now();
    if (wait > 0) await condition(() => events.length > 0, wait);
  }

  if (status === 'cancelled')
    return { status: 'cancelled', realizedPnl: null, rMultiple: null, journalNote: false };

  // ---- closed: wait for the journal note (answers still arrive as signals) ------------------------
  const deadline = Date.now() + JOURNAL_WAIT_MS;
  while (journalText === null && pending?.kind === 'journal_note' && Date.now() < deadline) {
    await condition(() => events.length > 0, deadline - Date.now());
    while (events.length > 0) {
      const e = events.shift()!;
      if (e.type === 'answer') await onAnswer(e.questionId, e.answer, e.text);
      else if (e.type === 'update' && e.update.type === 'note' && journalText === null) {
        journalText = e.update.text;
        applied.push(e.update.requestId);
      }
    }
  }
  const result: TradeOutcome = outcome ?? {
    status: 'closed',
    realizedPnl: trade.realized_pnl,
    rMultiple: null,
    journalNote: false,
  };
  if (journalText) {
    await acts.recordJournalNote({ tradeId, userId, key: 'journal', text: journalText });
    await sms('journal', `Saved to the ${symbol} journal.`);
    return { ...result, journalNote: true };
  }
  await journal('followup', 'no-journal-note', { kind: 'journal_note', answered: false });
  return result;
}
