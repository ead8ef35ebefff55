// A user's screener rule as the dashboard's rule form builds it and the `rules` table stores it
// (JSON). The screener compiles it once into a closure over its per-symbol state
// (packages/screener rule-compiler.ts), which also checks what the schema cannot (units, periods).
import { z } from 'zod';
import { SESSIONS, tickerSchema } from './alert.ts';

/**
 * Fields a condition can read, with their unit. `price` fields compare with dollar values and with
 * each other; `pct`, `shares`, `ratio`, `index` only with their own kind.
 */
export const RULE_FIELDS = {
  price: 'price', // last trade (or quote mid where the stream has no trades)
  open: 'price', // first regular-session trade today
  prev_close: 'price',
  high_of_day: 'price',
  low_of_day: 'price',
  vwap: 'price',
  ema: 'price', // needs `period`
  bb_upper: 'price', // Bollinger(20, 2) on 1-minute closes
  bb_middle: 'price',
  bb_lower: 'price',
  atr: 'price', // ATR(14) on 1-minute bars
  spread: 'price', // ask - bid
  macd: 'price', // MACD(12, 26, 9) line, in dollars
  macd_signal: 'price',
  macd_hist: 'price',
  change_pct: 'pct', // % from the prior close
  gap_pct: 'pct', // today's open vs the prior close, %
  spread_bps: 'bps',
  volume: 'shares', // today so far
  minute_volume: 'shares', // current 1-minute bar
  rvol: 'ratio', // today's volume vs the average for this time of day
  rvol_1m: 'ratio', // current minute vs the average for this minute of the day
  rsi: 'index', // RSI(14), Wilder, on 1-minute closes
} as const;
export type RuleField = keyof typeof RULE_FIELDS;
export const RULE_FIELD_NAMES = Object.keys(RULE_FIELDS) as [RuleField, ...RuleField[]];

/** EMA periods the screener maintains for every symbol. */
export const EMA_PERIODS = [9, 12, 20, 26, 50, 200] as const;

/** Longest lookback of a `change` condition: the whole extended-hours day (4:00-20:00). */
export const MAX_WINDOW_MINUTES = 960;

export const fieldOperandSchema = z.strictObject({
  field: z.enum(RULE_FIELD_NAMES),
  /** For `ema`: the period (one of EMA_PERIODS). */
  period: z.number().int().positive().optional(),
});
/** A constant: dollars for price fields (a decimal string or number), otherwise a plain number. */
export const valueOperandSchema = z.strictObject({
  value: z.union([
    z.number().finite(),
    z.string().regex(/^-?\d{1,12}(\.\d{1,9})?$/, 'expected a decimal number'),
  ]),
});
export const operandSchema = z.union([fieldOperandSchema, valueOperandSchema]);
export type FieldOperand = z.infer<typeof fieldOperandSchema>;
export type ValueOperand = z.infer<typeof valueOperandSchema>;
export type Operand = z.infer<typeof operandSchema>;

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export type Condition =
  | { op: 'and'; all: Condition[] }
  | { op: 'or'; any: Condition[] }
  | { op: 'not'; cond: Condition }
  | { op: 'compare'; left: FieldOperand; cmp: Comparator; right: Operand }
  | { op: 'cross'; left: FieldOperand; direction: 'above' | 'below'; right: Operand }
  | { op: 'change'; field?: FieldOperand | undefined; window_min: number; cmp: Comparator; pct: number };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('and'), all: z.array(conditionSchema).min(1).max(20) }),
    z.strictObject({ op: z.literal('or'), any: z.array(conditionSchema).min(1).max(20) }),
    z.strictObject({ op: z.literal('not'), cond: conditionSchema }),
    z.strictObject({
      op: z.literal('compare'),
      left: fieldOperandSchema,
      cmp: z.enum(COMPARATORS),
      right: operandSchema,
    }),
    z.strictObject({
      op: z.literal('cross'),
      left: fieldOperandSchema,
      direction: z.enum(['above', 'below']),
      right: operandSchema,
    }),
    z.strictObject({
      op: z.literal('change'),
      /** Price-kind field whose % change is measured; default `price`. */
      field: fieldOperandSchema.optional(),
      window_min: z.number().int().min(1).max(MAX_WINDOW_MINUTES),
      cmp: z.enum(COMPARATORS),
      /** Percent, signed: `{cmp: '<=', pct: -3}` is "down 3% or more". */
      pct: z.number().finite(),
    }),
  ]),
);

export const ruleScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('watchlist'), watchlist_id: z.string().uuid() }),
  z.strictObject({ kind: z.literal('symbols'), symbols: z.array(tickerSchema).min(1).max(5000) }),
]);
export type RuleScope = z.infer<typeof ruleScopeSchema>;

export const RULE_CHANNELS = ['dashboard', 'sms', 'push'] as const;

export const ruleDefinitionSchema = z.strictObject({
  id: z.string().uuid(),
  user_id: z.string().uuid(),
  name: z.string().trim().min(1, 'Give the rule a name').max(120, 'At most 120 characters'),
  enabled: z.boolean().default(true),
  scope: ruleScopeSchema,
  sessions: z.array(z.enum(SESSIONS)).min(1).default(['regular']),
  /** Minimum seconds between two alerts of this rule for one symbol. */
  cooldown_s: z.number().int().min(0).max(86_400).default(300),
  channels: z.array(z.enum(RULE_CHANNELS)).default(['dashboard']),
  condition: conditionSchema,
});
/** As stored / sent by the form (defaults optional). */
export type RuleDefinitionInput = z.input<typeof ruleDefinitionSchema>;
/** After parsing (defaults applied). */
export type RuleDefinition = z.output<typeof ruleDefinitionSchema>;
