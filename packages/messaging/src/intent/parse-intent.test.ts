import type { OpenTradeContext } from '@tradeassist/core/intent';
import { describe, expect, it } from 'vitest';
import { ClaudeParseError, type ClaudeParser } from '../claude/claude-errors.ts';
import { createIntentParser } from './parse-intent.ts';

const sofi: OpenTradeContext = { symbol: 'SOFI', side: 'long', entry: '9.85', quantity: 300 };
const amd: OpenTradeContext = { symbol: 'AMD', side: 'long', entry: '161.4', quantity: 100 };

describe('parseIntent without a key (deterministic)', () => {
  const parse = createIntentParser();

  it('names the only open trade when the message does not', async () => {
    const r = await parse('closed it at 12.40', { openTrades: [sofi] });
    expect(r).toMatchObject({ source: 'rules', needsConfirmation: false });
    expect(r.intent).toEqual({ intent: 'close_trade', symbol: 'SOFI', exit: 12.4, quantity: null });
  });

  it('leaves the symbol null with several open trades', async () => {
    const r = await parse('out at 12.40', { openTrades: [sofi, amd] });
    expect(r.intent).toMatchObject({ symbol: null });
  });

  it('asks before acting on an unclear reading, never on a plain unknown', async () => {
    expect(await parse('sold AAPL')).toMatchObject({ needsConfirmation: true }); // no exit price
    expect(await parse('bought 200 NVDA at 482.15 stop 475')).toMatchObject({ needsConfirmation: false });
    expect(await parse('AAPL looks good')).toMatchObject({
      intent: { intent: 'unknown' },
      needsConfirmation: false,
    });
  });

  it('uses the threshold it is given', async () => {
    const strict = createIntentParser({ confidenceThreshold: 0.99 });
    expect(await strict('bought 200 NVDA at 482.15 stop 475')).toMatchObject({ needsConfirmation: true });
  });
});

describe('parseIntent with Claude', () => {
  it('passes the context to Claude and keeps its confidence', async () => {
    const seen: unknown[] = [];
    const claude: ClaudeParser = {
      parse: async (text, ctx) => {
        seen.push([text, ctx.openTrades.length]);
        return { intent: { intent: 'status' }, confidence: 0.9, model: 'test' };
      },
    };
    const r = await createIntentParser({ claude })('positions?', { openTrades: [sofi] });
    expect(r).toEqual({
      intent: { intent: 'status' },
      confidence: 0.9,
      source: 'claude',
      needsConfirmation: false,
    });
    expect(seen).toEqual([['positions?', 1]]);
  });

  it('asks when the rules are sure of a different action', async () => {
    const claude: ClaudeParser = {
      parse: async () => ({ intent: { intent: 'status' }, confidence: 0.95, model: 'test' }),
    };
    const r = await createIntentParser({ claude })('bought 200 NVDA at 482.15 stop 475');
    expect(r).toMatchObject({ source: 'claude', intent: { intent: 'status' }, needsConfirmation: true });
  });

  it('lets an unexpected error through instead of hiding a bug', async () => {
    const claude: ClaudeParser = {
      parse: async () => {
        throw new TypeError('bug');
      },
    };
    await expect(createIntentParser({ claude })('yes')).rejects.toThrow('bug');
    const failing: ClaudeParser = {
      parse: async () => {
        throw new ClaudeParseError('api_error', 'boom');
      },
    };
    expect(await createIntentParser({ claude: failing })('yes')).toMatchObject({
      intent: { intent: 'confirm' },
      source: 'rules',
      fallback: { reason: 'api_error' },
    });
  });
});
