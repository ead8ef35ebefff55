// The live alert as it travels to the dashboard: the Supabase Realtime broadcast and the SSE event
// data carry one alert each. The `alerts_live` NOTIFY payload written by the alerts trigger carries
// only the ids of an insert statement's rows, as ranges: `{"ids":"41-87,90"}` (the SSE relay reads
// the rows); whole alerts, arrays of them and `{"id": ...}` are still understood.
// Pure (zod only), so the browser bundle can import it: `@tradeassist/db/live-alert`.
import { alertSchema } from '@tradeassist/core/alert';
import { z } from 'zod';

export const ALERTS_CHANNEL = 'alerts_live';

export const liveAlertSchema = alertSchema.extend({
  id: z.string().regex(/^\d{1,19}$/, 'expected a bigint id as a decimal string'),
  user_id: z.string().uuid().nullable(),
  rule_id: z.string().uuid().nullable().optional(),
  created_at: z.string().min(1),
});
export type LiveAlert = z.infer<typeof liveAlertSchema>;

/** Rows too large for NOTIFY's 8000-byte limit arrive as `{"id":"..."}`: read them from the table. */
const idOnlySchema = z.object({ id: z.string().regex(/^\d{1,19}$/) }).strict();

/** `{"ids":"41-87,90"}`: inclusive id ranges (a single id stands for itself). */
const ID_RANGES = /^\d{1,19}(-\d{1,19})?(,\d{1,19}(-\d{1,19})?)*$/;
const idRangesSchema = z
  .object({ ids: z.string().regex(ID_RANGES, 'expected id ranges like 41-87,90') })
  .strict();

export type IdRange = readonly [lo: string, hi: string];

export type AlertNotification =
  | { kind: 'alert'; alert: LiveAlert }
  | { kind: 'id'; id: string }
  | { kind: 'ids'; ranges: IdRange[] }
  | { kind: 'invalid'; reason: string };

/** Parses one alert payload (broadcast, SSE event data): a JSON string or an already parsed object. */
export function parseAlertNotification(payload: unknown): AlertNotification {
  const value = parseJson(payload);
  return value.ok ? parseOne(value.value) : { kind: 'invalid', reason: value.reason };
}

/**
 * Parses an `alerts_live` NOTIFY payload: a JSON array of alerts (the trigger's batches), or a
 * single alert or `{"id": ...}` object. One result per alert, in payload order; a bad element is
 * reported as invalid without losing the others.
 */
export function parseAlertNotifications(payload: unknown): AlertNotification[] {
  const value = parseJson(payload);
  if (!value.ok) return [{ kind: 'invalid', reason: value.reason }];
  if (!Array.isArray(value.value)) return [parseOne(value.value)];
  return value.value.map((v, i) => {
    const n = parseOne(v);
    return n.kind === 'invalid' ? { kind: 'invalid', reason: `[${i}]: ${n.reason}` } : n;
  });
}

function parseJson(payload: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof payload !== 'string') return { ok: true, value: payload };
  try {
    return { ok: true, value: JSON.parse(payload) };
  } catch (e) {
    return { ok: false, reason: `payload is not JSON: ${(e as Error).message}` };
  }
}

function parseOne(value: unknown): AlertNotification {
  const ranges = idRangesSchema.safeParse(value);
  if (ranges.success) {
    const out: IdRange[] = [];
    for (const part of ranges.data.ids.split(',')) {
      const dash = part.indexOf('-');
      const lo = dash < 0 ? part : part.slice(0, dash);
      const hi = dash < 0 ? part : part.slice(dash + 1);
      if (compareIds(lo, hi) > 0) return { kind: 'invalid', reason: `ids: range ${part} runs backwards` };
      out.push([lo, hi]);
    }
    return { kind: 'ids', ranges: out };
  }
  const id = idOnlySchema.safeParse(value);
  if (id.success) return { kind: 'id', id: id.data.id };
  const full = liveAlertSchema.safeParse(value);
  if (full.success) return { kind: 'alert', alert: normalizeLiveAlert(full.data) };
  return {
    kind: 'invalid',
    reason: full.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
  };
}

/** One spelling for the same value whichever path it came by: `482.150000000` -> `482.15`. */
export function normalizeLiveAlert(a: LiveAlert): LiveAlert {
  return { ...a, price: trimDecimal(a.price), rule_id: a.rule_id ?? null };
}

export function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const t = s.replace(/0+$/, '');
  return t.endsWith('.') ? t.slice(0, -1) : t;
}

/** Market-wide alerts are everyone's; a rule alert only its owner's. */
export function isVisibleTo(a: Pick<LiveAlert, 'user_id'>, userId: string | null): boolean {
  return a.user_id === null || (userId !== null && a.user_id === userId);
}

/** Ids are bigints in decimal: compare without losing precision past 2^53. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
