// Stop / target levels that trade workflows ask the screener to watch (DOMAIN.md: on prints, not
// quotes). Each trigger fires once: the first trade at or beyond its level. Per symbol, the engine
// keeps the nearest pending levels in two arrays, so a trade costs two comparisons unless it reaches
// one; only then is the symbol's list scanned.
import { decimalToFixed } from '@tradeassist/core/money';
import { z } from 'zod';

export const priceTriggerSchema = z.object({
  id: z.string().min(1),
  tradeId: z.string().min(1),
  symbol: z.string().min(1),
  level: z.string().regex(/^\d{1,12}(\.\d{1,9})?$/, 'expected a positive decimal price'),
  direction: z.enum(['above', 'below']),
});
export type PriceTrigger = z.infer<typeof priceTriggerSchema>;

export interface TriggerEvent {
  readonly id: string;
  readonly tradeId: string;
  readonly symbol: string;
  readonly direction: 'above' | 'below';
  readonly level: string;
  /** The trade that reached the level. */
  readonly price: string;
  readonly ts_event: string;
}

export interface ArmedTrigger {
  readonly t: PriceTrigger;
  readonly raw: number;
}

export interface TriggerLoadError {
  readonly index: number;
  readonly id: string | null;
  readonly reason: string;
}

/** Parses triggers; bad entries are reported and skipped. */
export function parseTriggers(list: readonly unknown[]): {
  armed: ArmedTrigger[];
  errors: TriggerLoadError[];
} {
  const armed: ArmedTrigger[] = [];
  const errors: TriggerLoadError[] = [];
  list.forEach((item, index) => {
    const r = priceTriggerSchema.safeParse(item);
    if (!r.success) {
      const id = (item as { id?: unknown } | null)?.id;
      errors.push({
        index,
        id: typeof id === 'string' ? id : null,
        reason: r.error.issues.map((i) => `${i.path.join('.') || '(trigger)'}: ${i.message}`).join('; '),
      });
      return;
    }
    armed.push({ t: r.data, raw: Number(decimalToFixed(r.data.level)) });
  });
  return { armed, errors };
}
