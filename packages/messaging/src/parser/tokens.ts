// Splits an SMS into words, numbers and marks. Numbers keep the digits as written ("1,250" ->
// "1250", ".85" -> "0.85") so that a price becomes a JSON number without any float arithmetic.
import { LEXICON, NEVER_TICKER } from './lexicon.ts';

export type TickerClass = 'dollar' | 'upper' | 'lower' | 'weak';

export type Token =
  | { kind: 'word'; raw: string; lower: string; ticker: TickerClass | null }
  | { kind: 'number'; raw: string; decimal: string; percent: boolean }
  | { kind: 'ratio'; raw: string; num: number; den: number }
  | { kind: 'qty'; raw: string; decimal: string }
  | { kind: 'mark'; raw: string };

const TOKEN_RE =
  /(\$?[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]{1,2}(?![A-Za-z0-9]))?)|(\d{1,3}\/\d{1,3})(?![\d.])|(\$?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+))|([@%?&=:/~-])/g;

const TICKER_SHAPE = /^[A-Za-z]{1,5}(?:\.[A-Za-z]{1,2})?$/;

/** "1,250" -> "1250", ".85" -> "0.85", "$150.20" -> "150.20"; exact, as written. */
export function plainDecimal(raw: string): string {
  const s = raw.replace(/^\$/, '').replace(/,/g, '');
  return s.startsWith('.') ? `0${s}` : s;
}

/** A decimal string as a JSON number: JS prints the shortest form that reads back the same. */
export function decimalToNumber(decimal: string): number {
  if (!/^\d{1,12}(?:\.\d{1,9})?$/.test(decimal)) throw new Error(`not a plain decimal: ${decimal}`);
  return Number(decimal);
}

/** Normalises the spellings that the token pattern would split: P&L, b/e, s/l, apostrophes. */
export function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\bp\s*&\s*l\b|\bp\/l\b/gi, 'pnl')
    .replace(/\bb\/e\b|\bbreak[\s-]even\b/gi, 'breakeven')
    .replace(/\bs\/l\b/gi, 'sl')
    .replace(/\bstop[\s-]loss\b/gi, 'stop')
    .replace(/([A-Za-z])'([A-Za-z])/g, '$1$2');
}

export function tokenize(text: string): Token[] {
  const src = normalise(text);
  const hasLower = /[a-z]/.test(src);
  const tokens: Token[] = [];
  for (const m of src.matchAll(TOKEN_RE)) {
    const [raw, word, ratio, num, mark] = m;
    if (word !== undefined) {
      const qty = /^x(\d+)$/i.exec(word);
      if (qty) {
        tokens.push({ kind: 'qty', raw: word, decimal: qty[1]! });
        continue;
      }
      tokens.push({
        kind: 'word',
        raw: word,
        lower: word.toLowerCase(),
        ticker: tickerClass(word, hasLower),
      });
    } else if (ratio !== undefined) {
      const [n, d] = ratio.split('/').map(Number) as [number, number];
      tokens.push({ kind: 'ratio', raw: ratio, num: n, den: d });
    } else if (num !== undefined) {
      const percent = src[(m.index ?? 0) + raw.length] === '%';
      tokens.push({ kind: 'number', raw: num, decimal: plainDecimal(num), percent });
    } else if (mark !== undefined) {
      tokens.push({ kind: 'mark', raw: mark });
    }
  }
  return tokens;
}

/**
 * How a word can be a ticker. `$AAPL` always is; `AAPL` upper-case in a mixed-case message is;
 * `amd` lower-case (or any word in an all-caps message) is when it is no English word we know;
 * a known word written in capitals (`NOW`, `CAT`) is only a weak candidate; NEVER_TICKER words
 * (IT, ALL, A, ON, OUT, AT, STOP ...) are tickers only with `$`.
 */
export function tickerClass(word: string, messageHasLower: boolean): TickerClass | null {
  const dollar = word.startsWith('$');
  const core = dollar ? word.slice(1) : word;
  if (!TICKER_SHAPE.test(core)) return null;
  if (dollar) return 'dollar';
  const lower = core.toLowerCase();
  if (NEVER_TICKER.has(lower)) return null;
  const known = LEXICON.has(lower);
  const upper = core === core.toUpperCase();
  if (upper && messageHasLower) return known ? 'weak' : 'upper';
  // A lone lower-case letter ("f", "t") is too likely a typo to be read as Ford or AT&T.
  return known || core.length < 2 ? null : 'lower';
}

export function tickerOf(token: Token): string | null {
  return token.kind === 'word' && token.ticker ? token.raw.replace(/^\$/, '').toUpperCase() : null;
}
