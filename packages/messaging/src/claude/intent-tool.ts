// The one tool Claude must call to answer: its JSON schema (flat, strict) and the zod schema that
// reads its output back. Claude's output is untrusted input: a price or a quantity that is not in
// the message (or, for a level, the entry of an open trade) is rejected, never acted on.
import type Anthropic from '@anthropic-ai/sdk';
import {
  INTENT_NAMES,
  type Intent,
  intentSchema,
  type OpenTradeContext,
  PNL_PERIODS,
} from '@tradeassist/core/intent';
import { z } from 'zod';
import { decimalToNumber, plainDecimal, tokenize } from '../parser/tokens.ts';

export const INTENT_TOOL_NAME = 'record_sms_intent';

const nullable = (type: string, description: string) => ({ type: [type, 'null'], description });
const PRICE_DOC =
  'exactly as written in the message, digits only (e.g. "150.20", ".85", "1,250.5"); null if not written';

export const intentTool: Anthropic.Messages.Tool = {
  name: INTENT_TOOL_NAME,
  description:
    "Record what the trader's SMS asks for. Call exactly once. Fields that do not apply to the intent, " +
    'or that the message does not say, are null (symbols: []).',
  strict: true,
  input_schema: {
    type: 'object',
    additionalProperties: false,
    required: [
      'intent',
      'symbol',
      'symbols',
      'side',
      'quantity',
      'entry',
      'stop',
      'target',
      'exit',
      'fraction',
      'period',
      'minutes',
      'text',
      'confidence',
    ],
    properties: {
      intent: { type: 'string', enum: [...INTENT_NAMES] },
      symbol: nullable(
        'string',
        'Upper-case ticker (BRK.B keeps its dot); null: not said (the only open trade)',
      ),
      symbols: {
        type: 'array',
        items: { type: 'string' },
        description: 'watch/unwatch: the tickers; else []',
      },
      side: { type: ['string', 'null'], enum: ['long', 'short', null], description: 'open_trade only' },
      quantity: nullable('integer', 'Number of shares as written; null: not said'),
      entry: nullable('string', `open_trade entry price, ${PRICE_DOC}`),
      stop: nullable('string', `Stop price, ${PRICE_DOC}`),
      target: nullable('string', `Target price, ${PRICE_DOC}`),
      exit: nullable('string', `close_trade exit price, ${PRICE_DOC}`),
      fraction: nullable(
        'number',
        'close_trade part closed: 0.5 half, 0.33 a third, 0.25 a quarter; null: all',
      ),
      period: { type: ['string', 'null'], enum: [...PNL_PERIODS, null], description: 'pnl only' },
      minutes: nullable('integer', 'mute duration in minutes; null: until unmuted'),
      text: nullable('string', 'note: the journal text, without the leading "note" and symbol'),
      confidence: { type: 'number', description: '0..1: how sure you are of this reading' },
    },
  },
};

const price = z
  .string()
  .regex(/^\$?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/, 'a price written as digits')
  .nullable();

/** The tool's input as Claude sends it: every key present (strict tool), values checked here. */
export const toolInputSchema = z.object({
  intent: z.enum(INTENT_NAMES),
  symbol: z.string().nullable(),
  symbols: z.array(z.string()),
  side: z.enum(['long', 'short']).nullable(),
  quantity: z.number().int().nullable(),
  entry: price,
  stop: price,
  target: price,
  exit: price,
  fraction: z.number().nullable(),
  period: z.enum(PNL_PERIODS).nullable(),
  minutes: z.number().int().nullable(),
  text: z.string().nullable(),
  confidence: z.number().min(0).max(1),
});
export type ToolInput = z.infer<typeof toolInputSchema>;

/** Why a tool output was not accepted. */
export class IntentToolError extends Error {
  override readonly name = 'IntentToolError';
  constructor(
    message: string,
    readonly smsText: string,
  ) {
    super(`${message} (message: ${JSON.stringify(smsText)})`);
  }
}

/** "150.20" and "150.2" are the same written price. */
const canonical = (decimal: string): string => {
  const d = plainDecimal(decimal);
  return d.includes('.') ? d.replace(/0+$/, '').replace(/\.$/, '') : d;
};

/**
 * Turns Claude's tool input into an Intent, or throws IntentToolError. Prices and quantities must
 * be numbers the message contains (a stop may also be the entry of an open trade: "stop to
 * breakeven"); a symbol must be in the message or be an open trade.
 */
export function toolInputToIntent(raw: unknown, smsText: string, openTrades: readonly OpenTradeContext[]) {
  const parsed = toolInputSchema.safeParse(raw);
  if (!parsed.success)
    throw new IntentToolError(`tool input invalid: ${z.prettifyError(parsed.error)}`, smsText);
  const input = parsed.data;
  const tokens = tokenize(smsText);
  const written = new Set(
    tokens.flatMap((t) => (t.kind === 'number' || t.kind === 'qty' ? [canonical(t.decimal)] : [])),
  );
  const entries = new Set(openTrades.flatMap((t) => (t.entry ? [canonical(t.entry)] : [])));
  const words = new Set(
    tokens.flatMap((t) => (t.kind === 'word' ? [t.raw.replace(/^\$/, '').toUpperCase()] : [])),
  );
  const open = new Set(openTrades.map((t) => t.symbol));

  const money = (field: 'entry' | 'stop' | 'target' | 'exit'): number | null => {
    const v = input[field];
    if (v === null) return null;
    const c = canonical(v);
    const fromContext = (field === 'stop' || field === 'target') && entries.has(c);
    if (!written.has(c) && !fromContext)
      throw new IntentToolError(`${field} ${v} is not in the message`, smsText);
    return decimalToNumber(c);
  };
  const ticker = (s: string | null): string | null => {
    if (s === null) return null;
    const up = s.replace(/^\$/, '').toUpperCase();
    if (!words.has(up) && !open.has(up))
      throw new IntentToolError(`symbol ${s} is not in the message`, smsText);
    return up;
  };
  const quantity = input.quantity;
  if (quantity !== null && !written.has(String(quantity))) {
    throw new IntentToolError(`quantity ${quantity} is not in the message`, smsText);
  }

  let candidate: Record<string, unknown>;
  switch (input.intent) {
    case 'open_trade':
      candidate = {
        intent: 'open_trade',
        symbol: ticker(input.symbol),
        side: input.side,
        quantity,
        entry: money('entry'),
        stop: money('stop'),
        target: money('target'),
      };
      break;
    case 'close_trade':
      candidate = { intent: 'close_trade', symbol: ticker(input.symbol), exit: money('exit'), quantity };
      if (input.fraction !== null && input.fraction < 1) candidate.fraction = input.fraction;
      break;
    case 'update_stop':
      candidate = { intent: 'update_stop', symbol: ticker(input.symbol), stop: money('stop') };
      break;
    case 'update_target':
      candidate = { intent: 'update_target', symbol: ticker(input.symbol), target: money('target') };
      break;
    case 'pnl':
      candidate = { intent: 'pnl', period: input.period ?? 'today' };
      break;
    case 'watch':
    case 'unwatch':
      candidate = { intent: input.intent, symbols: input.symbols.map((s) => ticker(s)) };
      break;
    case 'mute':
      candidate = { intent: 'mute', symbol: ticker(input.symbol), minutes: input.minutes };
      break;
    case 'unmute':
      candidate = { intent: 'unmute', symbol: ticker(input.symbol) };
      break;
    case 'note':
      candidate = { intent: 'note', symbol: ticker(input.symbol), text: input.text };
      break;
    default:
      candidate = { intent: input.intent };
  }
  const intent = intentSchema.safeParse(candidate);
  if (!intent.success) {
    throw new IntentToolError(
      `${input.intent} is not a valid intent: ${z.prettifyError(intent.error)}`,
      smsText,
    );
  }
  return { intent: intent.data satisfies Intent, confidence: input.confidence };
}
