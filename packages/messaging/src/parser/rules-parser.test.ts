import { intentSchema } from '@tradeassist/core/intent';
import { describe, expect, it } from 'vitest';
import { OWN_CASES, readExamples, SHARED_EXAMPLES } from './examples.ts';
import { parseRules } from './rules-parser.ts';

/** The intent as the CLI prints it: parsed back from JSON, so `fraction: undefined` is absent. */
const asJson = (text: string) => JSON.parse(JSON.stringify(parseRules(text).intent));

describe('deterministic parser', () => {
  for (const [name, file] of [
    ['shared examples (CONTRACTS.md)', SHARED_EXAMPLES],
    ['own cases', OWN_CASES],
  ] as const) {
    it(`reads every one of the ${name}`, () => {
      const examples = readExamples(file);
      const misses = examples.filter((ex) => JSON.stringify(asJson(ex.text)) !== JSON.stringify(ex.expect));
      expect(misses.map((ex) => [ex.text, asJson(ex.text)])).toEqual([]);
      // toEqual above compares key order too; the contract compares objects, so check that way as well
      for (const ex of examples) expect(asJson(ex.text)).toEqual(ex.expect);
    });
  }

  it('always returns a valid intent and a confidence in 0..1', () => {
    for (const ex of [...readExamples(SHARED_EXAMPLES), ...readExamples(OWN_CASES)]) {
      const r = parseRules(ex.text);
      expect(intentSchema.safeParse(r.intent).success, ex.text).toBe(true);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('never throws and never hands on an invalid intent, whatever the text', () => {
    // A fixed pseudo-random walk over trading words, tickers, English capitals and numbers.
    const vocab = [
      'bought',
      'sold',
      'short',
      'out',
      'stop',
      'tp',
      'at',
      '@',
      'half',
      '1/3',
      '25%',
      'x100',
      '0',
      '.85',
      '1,250',
      '150.20',
      '0.0',
      'AAPL',
      '$ON',
      'IT',
      'ALL',
      'brk.b',
      'mute',
      '30',
      'min',
      'hour',
      'note',
      'watch',
      'yes',
      'no',
      '?',
      'k',
      'to',
      'BE',
      'covered',
      'target',
      'pnl',
      'week',
      '9999999999999',
      '1/0',
    ];
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const edges = [
      'bought AAPL 9999999999999',
      'stop 1234567890123.5',
      'bought AAPL 1.1234567891',
      'sold 1/0 AAPL 5',
    ];
    for (const text of edges)
      expect(intentSchema.safeParse(parseRules(text).intent).success, text).toBe(true);
    for (let i = 0; i < 3000; i++) {
      const words = Array.from({ length: 1 + (next() % 7) }, () => vocab[next() % vocab.length]);
      const text = words.join(next() % 3 === 0 ? '' : ' ');
      const r = parseRules(text);
      expect(intentSchema.safeParse(r.intent).success, text).toBe(true);
    }
  });

  it('keeps prices exactly as written', () => {
    const r = asJson('bought 3 AAPL at 150.20000 stop 0.1 target 0.3');
    // 0.1 + 0.2 style float drift must never appear: each number is parsed from its own digits
    expect(JSON.stringify(r)).toContain('"entry":150.2,');
    expect(r).toMatchObject({ quantity: 3, stop: 0.1, target: 0.3 });
    expect(asJson('sold 1,250 sh XYZ at 1,234.56')).toMatchObject({ quantity: 1250, exit: 1234.56 });
  });

  describe('ticker disambiguation', () => {
    it('reads English words in capitals as English', () => {
      expect(asJson('closed IT at 12.40')).toMatchObject({ intent: 'close_trade', symbol: null });
      expect(asJson('ALL out at 12')).toMatchObject({ intent: 'close_trade', symbol: null, exit: 12 });
      expect(asJson('stop to BE 10.5 on AMD')).toEqual({ intent: 'update_stop', symbol: 'AMD', stop: 10.5 });
      expect(asJson('move STOP on A to 10')).toEqual({ intent: 'update_stop', symbol: null, stop: 10 });
    });
    it('takes $-prefixed words as tickers', () => {
      expect(asJson('bought 10 $IT at 480')).toMatchObject({ symbol: 'IT', quantity: 10, entry: 480 });
      expect(asJson('watch $ALL $ON')).toEqual({ intent: 'watch', symbols: ['ALL', 'ON'] });
    });
    it('prefers a clear ticker over an English word in capitals', () => {
      expect(asJson('bought NOW AAPL 150')).toMatchObject({ symbol: 'AAPL' });
    });
    it('asks (low confidence) when a known word is the only ticker-like thing', () => {
      const r = parseRules('bought 100 LOW at 220');
      expect(r.intent).toMatchObject({ symbol: 'LOW' });
      expect(r.confidence).toBeLessThan(0.7);
    });
    it('asks when a message names two tickers for one trade', () => {
      expect(parseRules('sold AAPL bought MSFT 400').confidence).toBeLessThan(0.7);
    });
    it('reads any word of an all-caps message the same as lower case', () => {
      expect(asJson('OUT OF AAPL AT 153.10')).toMatchObject({
        intent: 'close_trade',
        symbol: 'AAPL',
        exit: 153.1,
      });
    });
  });

  it('is confident on clear trades and not on guesses about money', () => {
    expect(parseRules('bought 200 NVDA at 482.15 stop 475').confidence).toBeGreaterThanOrEqual(0.9);
    expect(parseRules('sold AAPL').confidence).toBeLessThan(0.7); // no exit price
    expect(parseRules('bought AAPL 150 151 152').confidence).toBeLessThan(0.7); // stray numbers
    expect(parseRules('mute 30').confidence).toBeLessThan(0.7); // minutes? a price?
    expect(parseRules('buy AAPL?').confidence).toBeLessThan(0.7); // a question, not a fill
    expect(parseRules('long calls AAPL 150').confidence).toBeLessThan(0.7); // options: not shares
    expect(parseRules('add NVDA').confidence).toBeLessThan(0.7); // the watchlist, or the position?
  });
});
