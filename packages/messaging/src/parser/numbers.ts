// Labels the numbers of a trade message: which one is the stop, the target, the price, the
// quantity, the fraction closed. Labels come from the word before a number ("stop 148", "@ 161.4",
// "tp 530") or after it ("100 sh"); the rest are left unlabeled for the intent to place.
import type { Token } from './tokens.ts';

export type NumberLabel = 'stop' | 'target' | 'price' | null;

export interface LabeledNumber {
  decimal: string;
  label: NumberLabel;
  /** Index of the token in the message. */
  index: number;
  integer: boolean;
}

export interface MessageNumbers {
  numbers: LabeledNumber[];
  /** Quantities marked as such: "100 sh", "x100", "1,250 shares". */
  quantities: string[];
  /** Fractions closed, in hundredths: "half" -> 50, "1/3" -> 33, "25%" -> 25. */
  fractions: number[];
  /** Durations seen ("30 min"), in minutes; null where not a whole number of minutes. */
  minutes: Array<number | null>;
  /** Numbers we will not place: "2k" (shares? dollars?). Their presence lowers confidence. */
  doubtful: number;
}

const STOP_WORDS = new Set(['stop', 'stp', 'sl', 'stops']);
const TARGET_WORDS = new Set(['target', 'targets', 'tgt', 'tp', 'pt', 'tar', 'objective']);
const PRICE_WORDS = new Set([
  'at',
  '@',
  'entry',
  'avg',
  'fill',
  'filled',
  'price',
  'for',
  'around',
  '~',
  'near',
]);
const QTY_WORDS = new Set(['sh', 'shs', 'share', 'shares', 'x', 'stock', 'contracts', 'cts']);
const MINUTE_WORDS = new Set(['m', 'min', 'mins', 'minute', 'minutes']);
const HOUR_WORDS = new Set(['h', 'hr', 'hrs', 'hour', 'hours']);
const WORD_FRACTIONS: Record<string, number> = { half: 50, third: 33, thirds: 67, quarter: 25, quarters: 75 };

/** Hundredths of n/d, rounded half up, in integer arithmetic (1/3 -> 33, 2/3 -> 67). */
export function ratioHundredths(n: number, d: number): number {
  return Math.floor((200 * n + d) / (2 * d));
}

/** Minutes in "1.5" hours without floats: 1.5 -> 90; null when not a whole number of minutes. */
function hoursToMinutes(decimal: string): number | null {
  const [int = '0', frac = ''] = decimal.split('.');
  const scale = 10 ** frac.length;
  const scaled = Number(int) * scale + Number(frac || '0');
  return (scaled * 60) % scale === 0 ? (scaled * 60) / scale : null;
}

export function labelNumbers(tokens: readonly Token[]): MessageNumbers {
  const out: MessageNumbers = { numbers: [], quantities: [], fractions: [], minutes: [], doubtful: 0 };
  let pending: NumberLabel = null;
  tokens.forEach((tok, index) => {
    const next = tokens[index + 1];
    const nextWord = next?.kind === 'word' ? next.lower : null;
    const prev = tokens[index - 1];
    const prevWord = prev?.kind === 'word' ? prev.lower : null;
    switch (tok.kind) {
      case 'word': {
        if (STOP_WORDS.has(tok.lower)) pending = 'stop';
        else if (TARGET_WORDS.has(tok.lower)) pending = 'target';
        else if (PRICE_WORDS.has(tok.lower) && pending === null) pending = 'price';
        else if (tok.lower in WORD_FRACTIONS) {
          // "two thirds", "three quarters"; a bare "third"/"quarter"/"half" is one.
          const many = prevWord === 'two' || prevWord === 'three' || tok.lower.endsWith('s');
          const h = WORD_FRACTIONS[tok.lower]!;
          out.fractions.push(tok.lower === 'third' && many ? 67 : tok.lower === 'quarter' && many ? 75 : h);
        }
        return;
      }
      case 'mark':
        if (tok.raw === '@' && pending === null) pending = 'price';
        return;
      case 'qty':
        out.quantities.push(tok.decimal);
        return;
      case 'ratio':
        if (tok.den > 0 && tok.num > 0 && tok.num < tok.den)
          out.fractions.push(ratioHundredths(tok.num, tok.den));
        return;
      case 'number': {
        // Past 12 integer or 9 decimal digits a number is no price or size we can hold exactly.
        if (!/^\d{1,12}(\.\d{1,9})?$/.test(tok.decimal)) {
          out.doubtful += 1;
          return;
        }
        if (tok.percent) {
          const m = /^(\d{1,2})$/.exec(tok.decimal);
          if (m) out.fractions.push(Number(m[1]));
          return;
        }
        if (nextWord === 'k') {
          out.doubtful += 1;
          return;
        }
        if (nextWord !== null && QTY_WORDS.has(nextWord)) {
          out.quantities.push(tok.decimal);
          return;
        }
        if (nextWord !== null && MINUTE_WORDS.has(nextWord)) {
          out.minutes.push(/^\d+$/.test(tok.decimal) ? Number(tok.decimal) : null);
          return;
        }
        if (nextWord !== null && HOUR_WORDS.has(nextWord)) {
          out.minutes.push(hoursToMinutes(tok.decimal));
          return;
        }
        out.numbers.push({ decimal: tok.decimal, label: pending, index, integer: /^\d+$/.test(tok.decimal) });
        pending = null;
        return;
      }
    }
  });
  return out;
}
