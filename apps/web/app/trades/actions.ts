'use server';
// Server actions of the trades pages. Every form is parsed again here with zod (lib/server/
// trades-input.ts); opening writes the row and starts the workflow, every later change is a signal
// to the trade's workflow, which records it in the journal.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { currentUserId } from '@/lib/server/auth.ts';
import {
  addNoteEvent,
  getTrade,
  openTrade,
  signalTrade,
  TradeRefused,
  type TradeRow,
  type TradeUpdate,
} from '@/lib/server/trades.ts';
import { formatPrice, formatQuantity, openQuantity } from '@/lib/server/trades-format.ts';
import {
  cancelSchema,
  checkCloseQuantity,
  checkStop,
  checkTarget,
  closeSchema,
  type FieldIssues,
  fieldIssues,
  moveStopSchema,
  moveTargetSchema,
  noteSchema,
  type OpenTradeLevels,
  openTradeSchema,
} from '@/lib/server/trades-input.ts';

export interface FormState {
  ok: boolean;
  /** A sentence for the whole form (sent, or why not). */
  message: string | null;
  issues: FieldIssues;
  /** Changes on each submit, so that a form can clear itself after a success. */
  seq: number;
  /**
   * What was submitted, sent back on a failure: React resets a form after its action, and the
   * trader should fix a field, not type the form again.
   */
  values?: Record<string, string>;
}

const fields = (form: FormData) => Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
const failed = (
  prev: FormState,
  form: FormData,
  message: string | null,
  issues: FieldIssues = {},
): FormState => ({ ok: false, message, issues, seq: prev.seq + 1, values: fields(form) });

export async function openTradeAction(prev: FormState, form: FormData): Promise<FormState> {
  const userId = await currentUserId();
  const parsed = openTradeSchema.safeParse(fields(form));
  if (!parsed.success) return failed(prev, form, 'Check the marked fields.', fieldIssues(parsed.error));
  let id: string;
  try {
    id = await openTrade(userId, parsed.data);
  } catch (e) {
    if (e instanceof TradeRefused) {
      return failed(prev, form, e.field === 'form' ? e.message : 'Check the marked fields.', {
        [e.field]: e.message,
      });
    }
    throw e;
  }
  revalidatePath('/trades');
  redirect(`/trades/${id}`);
}

function levels(t: TradeRow): OpenTradeLevels {
  const open = openQuantity(t.quantity, t.exited_quantity).replaceAll(',', '');
  return {
    side: t.side,
    entry: t.entry,
    target: t.target,
    currentStop: t.current_stop ?? t.stop,
    openQuantity: open,
  };
}

/** Loads the trader's open trade or explains why it cannot change. */
async function openTradeOf(userId: string, tradeId: string): Promise<TradeRow | string> {
  const t = await getTrade(userId, tradeId);
  if (!t) return 'No such trade.';
  if (t.status !== 'open' && t.status !== 'pending') return `This trade is ${t.status}; it cannot change.`;
  return t;
}

async function send(
  prev: FormState,
  form: FormData,
  t: TradeRow,
  update: TradeUpdate,
  done: string,
): Promise<FormState> {
  try {
    await signalTrade(t, update);
  } catch (e) {
    if (e instanceof TradeRefused) return failed(prev, form, e.message);
    throw e;
  }
  revalidatePath(`/trades/${t.id}`);
  return {
    ok: true,
    message: `${done}: sent to the trade’s workflow, which records it in the journal.`,
    issues: {},
    seq: prev.seq + 1,
  };
}

export async function moveStopAction(prev: FormState, form: FormData): Promise<FormState> {
  const userId = await currentUserId();
  const p = moveStopSchema.safeParse(fields(form));
  if (!p.success) return failed(prev, form, null, fieldIssues(p.error));
  const t = await openTradeOf(userId, p.data.tradeId);
  if (typeof t === 'string') return failed(prev, form, t);
  const why = checkStop(levels(t), p.data.stop);
  if (why) return failed(prev, form, null, { stop: why });
  return send(
    prev,
    form,
    t,
    { type: 'update_stop', stop: p.data.stop },
    `Stop → ${formatPrice(p.data.stop)}`,
  );
}

export async function moveTargetAction(prev: FormState, form: FormData): Promise<FormState> {
  const userId = await currentUserId();
  const p = moveTargetSchema.safeParse(fields(form));
  if (!p.success) return failed(prev, form, null, fieldIssues(p.error));
  const t = await openTradeOf(userId, p.data.tradeId);
  if (typeof t === 'string') return failed(prev, form, t);
  const why = checkTarget(levels(t), p.data.target);
  if (why) return failed(prev, form, null, { target: why });
  return send(
    prev,
    form,
    t,
    { type: 'update_target', target: p.data.target },
    `Target → ${formatPrice(p.data.target)}`,
  );
}

export async function closeAction(prev: FormState, form: FormData): Promise<FormState> {
  const userId = await currentUserId();
  const p = closeSchema.safeParse(fields(form));
  if (!p.success) return failed(prev, form, null, fieldIssues(p.error));
  const t = await openTradeOf(userId, p.data.tradeId);
  if (typeof t === 'string') return failed(prev, form, t);
  const why = checkCloseQuantity(levels(t), p.data.quantity);
  if (why) return failed(prev, form, null, { quantity: why });
  const what = p.data.quantity === null ? 'Close all' : `Close ${formatQuantity(p.data.quantity)}`;
  return send(
    prev,
    form,
    t,
    { type: 'close', exit: p.data.exit, quantity: p.data.quantity, fraction: null },
    `${what} @ ${formatPrice(p.data.exit)}`,
  );
}

export async function cancelAction(prev: FormState, form: FormData): Promise<FormState> {
  const userId = await currentUserId();
  const p = cancelSchema.safeParse(fields(form));
  if (!p.success) return failed(prev, form, 'No such trade.');
  const t = await openTradeOf(userId, p.data.tradeId);
  if (typeof t === 'string') return failed(prev, form, t);
  return send(prev, form, t, { type: 'cancel' }, 'Cancel');
}

export async function noteAction(prev: FormState, form: FormData): Promise<FormState> {
  const userId = await currentUserId();
  const p = noteSchema.safeParse(fields(form));
  if (!p.success) return failed(prev, form, null, fieldIssues(p.error));
  const t = await getTrade(userId, p.data.tradeId);
  if (!t) return failed(prev, form, 'No such trade.');
  if (t.status === 'open' || t.status === 'pending') {
    return send(prev, form, t, { type: 'note', text: p.data.text }, 'Note');
  }
  await addNoteEvent(userId, t.id, p.data.text);
  revalidatePath(`/trades/${t.id}`);
  return { ok: true, message: 'Note added to the journal.', issues: {}, seq: prev.seq + 1 };
}
