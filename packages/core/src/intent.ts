// The trader's SMS intents (CONTRACTS.md, `parse-sms`): what a message asks the assistant to do.
// Fields are null where the message does not say; numbers are JSON numbers as written (150.2).
// Every parser (deterministic or Claude) returns one of these, validated by `intentSchema`.
import { z } from 'zod';
import { tickerSchema } from './alert.ts';

/** A price as written in a message: finite and positive. */
export const intentPriceSchema = z.number().finite().positive();
const quantity = z.number().int().positive();

export const openTradeIntentSchema = z.strictObject({
  intent: z.literal('open_trade'),
  symbol: tickerSchema,
  side: z.enum(['long', 'short']),
  quantity: quantity.nullable(),
  entry: intentPriceSchema.nullable(),
  stop: intentPriceSchema.nullable(),
  target: intentPriceSchema.nullable(),
});

export const closeTradeIntentSchema = z.strictObject({
  intent: z.literal('close_trade'),
  /** null: the only open trade. */
  symbol: tickerSchema.nullable(),
  exit: intentPriceSchema.nullable(),
  /** null: all (or see `fraction`). */
  quantity: quantity.nullable(),
  /** Part of the position closed: 0.5 for "half", 0.33 for "a third"; absent or null: all. */
  fraction: z.number().gt(0).lt(1).nullable().optional(),
});

export const updateStopIntentSchema = z.strictObject({
  intent: z.literal('update_stop'),
  symbol: tickerSchema.nullable(),
  stop: intentPriceSchema,
});

export const updateTargetIntentSchema = z.strictObject({
  intent: z.literal('update_target'),
  symbol: tickerSchema.nullable(),
  target: intentPriceSchema,
});

export const PNL_PERIODS = ['today', 'week', 'month'] as const;
export type PnlPeriod = (typeof PNL_PERIODS)[number];

const symbols = z.array(tickerSchema).min(1);

export const intentSchema = z.discriminatedUnion('intent', [
  openTradeIntentSchema,
  closeTradeIntentSchema,
  updateStopIntentSchema,
  updateTargetIntentSchema,
  z.strictObject({ intent: z.literal('status') }),
  z.strictObject({ intent: z.literal('pnl'), period: z.enum(PNL_PERIODS) }),
  z.strictObject({ intent: z.literal('watch'), symbols }),
  z.strictObject({ intent: z.literal('unwatch'), symbols }),
  z.strictObject({
    intent: z.literal('mute'),
    /** null: all alerts. */
    symbol: tickerSchema.nullable(),
    /** null: until unmuted. */
    minutes: z.number().int().positive().nullable(),
  }),
  z.strictObject({ intent: z.literal('unmute'), symbol: tickerSchema.nullable() }),
  z.strictObject({
    intent: z.literal('note'),
    symbol: tickerSchema.nullable(),
    text: z.string().min(1).max(1600),
  }),
  z.strictObject({ intent: z.literal('confirm') }),
  z.strictObject({ intent: z.literal('deny') }),
  z.strictObject({ intent: z.literal('help') }),
  z.strictObject({ intent: z.literal('unknown') }),
]);
export type Intent = z.infer<typeof intentSchema>;
export type IntentName = Intent['intent'];
export type IntentOf<K extends IntentName> = Extract<Intent, { intent: K }>;

export const INTENT_NAMES = [
  'open_trade',
  'close_trade',
  'update_stop',
  'update_target',
  'status',
  'pnl',
  'watch',
  'unwatch',
  'mute',
  'unmute',
  'note',
  'confirm',
  'deny',
  'help',
  'unknown',
] as const satisfies readonly IntentName[];

/** How sure a parser is of an intent, 0..1; carried beside the intent, never inside it. */
export const confidenceSchema = z.number().min(0).max(1);

/** An open trade as the parsers see it: context for "out at 12.40" (the only open trade). */
export const openTradeContextSchema = z.object({
  symbol: tickerSchema,
  side: z.enum(['long', 'short']),
  /** Decimal string, as stored. */
  entry: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,9})?$/)
    .nullable(),
  quantity: quantity.nullable(),
});
export type OpenTradeContext = z.infer<typeof openTradeContextSchema>;
