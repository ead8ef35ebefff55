// What the trade forms may submit, parsed with zod on the server (server actions): decimal strings
// for prices and quantities, compared exactly as fixed-point bigints; the sides of stop and target
// as the database checks them (trades_stop_side, trades_target_side), with messages a trader reads.
import { tickerSchema } from '@tradeassist/core/alert';
import { decimalToFixed } from '@tradeassist/core/money';
import { z } from 'zod';
import { formatPrice } from './trades-format.ts';

/** decimalToFixed throws on what is not a plain decimal: the checks below run after a failed regex too. */
const fx = (s: string): bigint | null => (/^\d+(\.\d{1,9})?$/.test(s) ? decimalToFixed(s) : null);
const positive = (s: string) => (fx(s) ?? 0n) > 0n;

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim().replace(/^\$/, '') : v);
const emptyToNull = (v: unknown) => {
  const t = trimmed(v);
  return t === '' || t === undefined || t === null ? null : t;
};

/** A positive price, up to 9 decimals (numeric(20, 9)). */
export const priceInput = z.preprocess(
  trimmed,
  z
    .string({ error: 'required' })
    .min(1, 'required')
    .regex(/^\d{1,11}(\.\d{1,9})?$/, 'expected a price such as 150.25')
    .refine(positive, 'must be above 0'),
);
const optionalPrice = z.preprocess(emptyToNull, priceInput.nullable());

/** A positive share count, up to 6 decimals (numeric(20, 6)): fractional shares exist. */
export const quantityInput = z.preprocess(
  trimmed,
  z
    .string({ error: 'required' })
    .min(1, 'required')
    .regex(/^\d{1,14}(\.\d{1,6})?$/, 'expected a share count such as 100')
    .refine(positive, 'must be above 0'),
);

const symbolInput = z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), tickerSchema);

const lt = (a: string, b: string) => {
  const [x, y] = [fx(a), fx(b)];
  return x !== null && y !== null && x < y;
};

export const openTradeSchema = z
  .object({
    symbol: symbolInput,
    side: z.enum(['long', 'short'], { error: 'choose long or short' }),
    quantity: quantityInput,
    entry: priceInput,
    stop: optionalPrice,
    target: optionalPrice,
  })
  .superRefine((t, ctx) => {
    const long = t.side === 'long';
    if (t.stop !== null && (long ? !lt(t.stop, t.entry) : !lt(t.entry, t.stop))) {
      ctx.addIssue({
        code: 'custom',
        path: ['stop'],
        message: long ? 'a long stop must be below the entry' : 'a short stop must be above the entry',
      });
    }
    if (t.target !== null && (long ? !lt(t.entry, t.target) : !lt(t.target, t.entry))) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: long ? 'a long target must be above the entry' : 'a short target must be below the entry',
      });
    }
  });
export type OpenTradeInput = z.infer<typeof openTradeSchema>;

/** The open trade's levels the update checks run against. */
export interface OpenTradeLevels {
  side: 'long' | 'short';
  entry: string;
  target: string | null;
  currentStop: string | null;
  /** quantity − exited_quantity, as a decimal string. */
  openQuantity: string;
}

export type FieldIssues = Record<string, string>;

/** Where a stop may go: anywhere short of the target (a trailing stop may pass the entry). */
export function checkStop(t: OpenTradeLevels, stop: string): string | null {
  if (t.target === null) return null;
  const long = t.side === 'long';
  if (long ? lt(stop, t.target) : lt(t.target, stop)) return null;
  return long
    ? `the stop must stay below the target (${formatPrice(t.target)})`
    : `the stop must stay above the target (${formatPrice(t.target)})`;
}

/** A target stays on the profit side of the entry and beyond the current stop. */
export function checkTarget(t: OpenTradeLevels, target: string): string | null {
  const long = t.side === 'long';
  if (long ? !lt(t.entry, target) : !lt(target, t.entry)) {
    return long
      ? `a long target must be above the entry (${formatPrice(t.entry)})`
      : `a short target must be below the entry (${formatPrice(t.entry)})`;
  }
  if (t.currentStop !== null && (long ? !lt(t.currentStop, target) : !lt(target, t.currentStop))) {
    return `the target must be beyond the stop (${formatPrice(t.currentStop)})`;
  }
  return null;
}

/** A close of part (quantity) or all (null) of what is still open. */
export function checkCloseQuantity(t: OpenTradeLevels, quantity: string | null): string | null {
  if (quantity === null) return null;
  if ((fx(quantity) ?? 0n) > (fx(t.openQuantity) ?? 0n)) {
    return `only ${t.openQuantity} shares are open`;
  }
  return null;
}

export const moveStopSchema = z.object({ tradeId: z.string().uuid(), stop: priceInput });
export const moveTargetSchema = z.object({ tradeId: z.string().uuid(), target: priceInput });
export const closeSchema = z.object({
  tradeId: z.string().uuid(),
  exit: priceInput,
  quantity: z.preprocess(emptyToNull, quantityInput.nullable()),
});
export const noteSchema = z.object({
  tradeId: z.string().uuid(),
  text: z.preprocess(trimmed, z.string().min(1, 'write something').max(2000, 'at most 2000 characters')),
});
export const cancelSchema = z.object({ tradeId: z.string().uuid() });

/** zod issues as {field: message}, the first message per field. */
export function fieldIssues(error: z.ZodError): FieldIssues {
  const out: FieldIssues = {};
  for (const i of error.issues) {
    const key = String(i.path[0] ?? 'form');
    out[key] ??= i.message;
  }
  return out;
}
