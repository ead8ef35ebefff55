// The Claude path against the local Messages API double (test-doubles/src/anthropic-messages-double.ts)
// serving recorded responses (test-doubles/recordings/anthropic/): real SDK, real HTTP.
import type { OpenTradeContext } from '@tradeassist/core/intent';
import {
  type AnthropicDouble,
  DOUBLE_API_KEY,
  startAnthropicDouble,
} from '@tradeassist/test-doubles/anthropic-messages-double';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIntentParser } from '../intent/parse-intent.ts';
import { type ClaudeParserConfig, createClaudeParser } from './claude-parser.ts';
import { INTENT_TOOL_NAME } from './intent-tool.ts';

let double: AnthropicDouble;
const sofi: OpenTradeContext = { symbol: 'SOFI', side: 'long', entry: '9.85', quantity: 300 };
const nvda: OpenTradeContext = { symbol: 'NVDA', side: 'long', entry: '482.15', quantity: 200 };

beforeAll(async () => {
  double = await startAnthropicDouble({ retryAfterMs: 5 });
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  double.requests.length = 0;
});

const parserWith = (over: Partial<ClaudeParserConfig> = {}) => {
  const fallbacks: string[] = [];
  const claude = createClaudeParser({
    apiKey: DOUBLE_API_KEY,
    baseURL: double.url,
    timeoutMs: 2_000,
    ...over,
  });
  const parse = createIntentParser({ claude, onFallback: (f) => fallbacks.push(f.reason) });
  return { parse, fallbacks };
};

describe('Claude intent parser', () => {
  it('sends one forced strict tool, the rules and the context, with the API headers', async () => {
    const { parse } = parserWith();
    const r = await parse('took AAPL 150.20, stop 148, target 155', { openTrades: [nvda] });
    expect(r).toMatchObject({ source: 'claude', needsConfirmation: false, confidence: 0.97 });
    expect(JSON.stringify(r.intent)).toBe(
      '{"intent":"open_trade","symbol":"AAPL","side":"long","quantity":null,"entry":150.2,"stop":148,"target":155}',
    );
    const [req] = double.requests;
    const auth = req?.headers['x-api-key'] ?? req?.headers.authorization;
    expect(auth).toMatch(new RegExp(`^(Bearer )?${DOUBLE_API_KEY}$`));
    expect(req?.headers['anthropic-version']).toBeTypeOf('string');
    const body = req?.body as Record<string, unknown>;
    expect(body.tool_choice).toEqual({ type: 'tool', name: INTENT_TOOL_NAME });
    expect(body.tools).toMatchObject([{ name: INTENT_TOOL_NAME, strict: true }]);
    expect(String(body.system)).toContain('Never guess money');
    expect(JSON.stringify(body.messages)).toContain('NVDA long 200 sh @ 482.15');
  });

  it('fills the symbol of the only open trade: "closed it at 12.40"', async () => {
    const r = await parserWith().parse('closed it at 12.40', { openTrades: [sofi] });
    expect(r.intent).toEqual({ intent: 'close_trade', symbol: 'SOFI', exit: 12.4, quantity: null });
    expect(r.source).toBe('claude');
  });

  it('reads fractions and a stop taken from the entry of an open trade', async () => {
    const { parse } = parserWith();
    expect((await parse('sold half NVDA 490', { openTrades: [nvda] })).intent).toEqual({
      intent: 'close_trade',
      symbol: 'NVDA',
      exit: 490,
      quantity: null,
      fraction: 0.5,
    });
    const r = await parse('move my stop up to where I got in on nvda', { openTrades: [nvda] });
    expect(r.intent).toEqual({ intent: 'update_stop', symbol: 'NVDA', stop: 482.15 });
  });

  it('marks a low-confidence reading for confirmation, and says unknown when Claude does', async () => {
    const { parse } = parserWith();
    const unsure = await parse('thinking about adding more AAPL here', { openTrades: [] });
    expect(unsure).toMatchObject({ source: 'claude', needsConfirmation: true, confidence: 0.41 });
    expect((await parse("what's the weather like")).intent).toEqual({ intent: 'unknown' });
  });

  it('falls back to the deterministic parser on malformed tool output', async () => {
    const { parse, fallbacks } = parserWith();
    const r = await parse('bought a bunch of AAPL at 150');
    expect(r.source).toBe('rules');
    expect(r.fallback?.reason).toBe('invalid_output');
    expect(r.intent).toMatchObject({ intent: 'open_trade', symbol: 'AAPL', quantity: null, entry: 150 });
    expect(fallbacks).toEqual(['invalid_output']);
    expect(double.requests).toHaveLength(1); // a bad answer is not retried
  });

  it('rejects a price Claude made up, and a reply without the tool call', async () => {
    const { parse } = parserWith();
    const made = await parse('out of TSLA');
    expect(made.fallback?.message).toMatch(/exit 240\.25 is not in the message/);
    expect(made.intent).toEqual({ intent: 'close_trade', symbol: 'TSLA', exit: null, quantity: null });
    expect(made.needsConfirmation).toBe(true); // closing at an unknown price: ask
    const noTool = await parse('hmm');
    expect(noTool).toMatchObject({
      source: 'rules',
      fallback: { reason: 'invalid_output' },
      intent: { intent: 'unknown' },
    });
  });

  it('retries 529 overloaded twice, then falls back', async () => {
    const { parse } = parserWith();
    const r = await parse('mute TSLA for 30 min');
    expect(double.requests).toHaveLength(3);
    expect(r).toMatchObject({ source: 'rules', fallback: { reason: 'overloaded' } });
    expect(r.intent).toEqual({ intent: 'mute', symbol: 'TSLA', minutes: 30 });
  });

  it('retries a 429 and a 500 and then uses the answer', async () => {
    const { parse, fallbacks } = parserWith();
    expect((await parse('AAPL target 158')).intent).toEqual({
      intent: 'update_target',
      symbol: 'AAPL',
      target: 158,
    });
    expect((await parse('watch PLTR')).intent).toEqual({ intent: 'watch', symbols: ['PLTR'] });
    expect(double.requests).toHaveLength(4);
    expect(fallbacks).toEqual([]);
  });

  it('times out, retries, then falls back', async () => {
    const { parse } = parserWith({ timeoutMs: 150 });
    const r = await parse('positions?');
    expect(double.requests).toHaveLength(3);
    expect(r).toMatchObject({
      source: 'rules',
      fallback: { reason: 'timeout' },
      intent: { intent: 'status' },
    });
  });

  it('falls back without retrying on 401, and never puts the key in the error', async () => {
    const badKey = 'sk-ant-not-a-real-key-123';
    const { parse } = parserWith({ apiKey: badKey });
    const r = await parse('took AAPL 150.20, stop 148, target 155');
    expect(double.requests).toHaveLength(1);
    expect(r).toMatchObject({
      source: 'rules',
      fallback: { reason: 'auth' },
      intent: { intent: 'open_trade' },
    });
    expect(r.fallback?.message).not.toContain(badKey);
  });
});
