// The deterministic SMS parser: the offline mode and Claude's fallback. It reads what a trader
// texts ("bought 200 NVDA at 482.15 stop 475") into an Intent with a confidence; when a message is
// not clear it says `unknown` (or reports a low confidence) rather than guessing about money.
import { type Intent, type IntentOf, intentSchema } from '@tradeassist/core/intent';
import { type LabeledNumber, labelNumbers, type MessageNumbers } from './numbers.ts';
import { decimalToNumber, type TickerClass, type Token, tickerClass, tickerOf, tokenize } from './tokens.ts';

export interface RuleParse {
  intent: Intent;
  /** 0..1: how sure the parser is. */
  confidence: number;
}

const UNKNOWN: Intent = { intent: 'unknown' };
const unknown = (confidence = 0.9): RuleParse => ({ intent: UNKNOWN, confidence });

const HELP_RE =
  /^(help|help me|commands|cmds|menu|options|what can (you|i) (do|say|text)|how does this work|what do i text)$/;
const STATUS_RE =
  /^(positions|position|pos|status|open trades|open positions|my positions|my trades|whats open|what am i in|what im in|what are my positions|what do i (have|hold|own)|holdings|show (my )?(positions|trades)|am i in anything|where am i)$/;
const PNL_RE =
  /\b(pnl|profit and loss|howd (i|we) do|how did (i|we) do|how am i doing|how are we doing|hows my (day|week|month))\b/;
const UNWATCH_RE =
  /\b(unwatch|stop watching|no longer watching|dont watch)\b|\b(remove|drop|delete|take)\b.*\b(from|off)\b.*\bwatch ?list\b/;
const WATCH_RE = /^(watch|track|keep an eye on|add watch)\b|\b(add|put)\b.*\b(to|on)\b.*\bwatch ?list\b/;
const UNMUTE_RE =
  /\b(unmute|unsnooze|alerts? (back )?on|turn (on )?alerts( back)? on|resume alerts|alerts back|start alerts( again)?)\b/;
const MUTE_RE =
  /\b(mute|quiet|silence|shh+|snooze|hush|no (more )?alerts|stop alerts|stop alerting|pause alerts|alerts off|turn off alerts|turn alerts off|dnd|do not disturb)\b/;
const YES = new Set([
  'yes',
  'y',
  'yep',
  'yeah',
  'yea',
  'ya',
  'yup',
  'sure',
  'ok',
  'okay',
  'k',
  'correct',
  'confirm',
  'confirmed',
  'affirmative',
  'absolutely',
  'right',
]);
const NO = new Set(['no', 'n', 'nope', 'nah', 'negative', 'cancel', 'wrong', 'incorrect', 'nvm', 'dont']);
const COVER_RE = /\b(covered|cover|covering|bought to cover|buy to cover|bought back|btc)\b/;
const SHORT_OPEN_RE =
  /\b(sold short|sell short|sold to open|sell to open|sto|shorted|short|went short|shorting)\b/;
const CLOSE_RE =
  /\b(sold|sell|selling|sld|out|exit|exited|exiting|close|closed|closing|stopped out|stopped|flat|flattened|took (a |the )?(loss|l|profits?|gains?)|taking (profits?|gains?)|trim|trimmed|trimming|scaled out|scale out|dumped|dump|cut|stc|sold to close|sell to close)\b/;
const OPEN_START_RE =
  /^(just |i |im |i am |i just |ok |so |all )?(in|got in|took|take|bought|buy|bot|bto|long|went long|go long|entered|entering|opened|filled|starter|added|add)\b/;
const OPEN_ANY_RE = /\b(took|bought|bot|bto|got in|entered|went long|long|bought to open|buy to open)\b/;
/** Plans, questions and maybes are not trades: "thinking of shorting TSLA", "gonna buy AAPL". */
const HEDGE_RE =
  /\b(thinking|think|gonna|going to|should|might|maybe|considering|consider|want to|wanna|plan|planning|would|if|looking to|about to|may|could|will|shall)\b/;
/** Options are not in the trade model: a reading of "long calls AAPL 150" as shares must be asked. */
const OPTIONS_RE = /\b(calls?|puts?|options?|contracts?|spreads?|strikes?|expiry|exp)\b/;
const STOP_KW_RE = /\b(stop|stp|sl|stops)\b/;
const TARGET_KW_RE = /\b(target|targets|tgt|tp|pt|tar)\b/;

export function parseRules(text: string): RuleParse {
  const r = readMessage(text);
  // The rules must never hand on an invalid intent (a zero price, a bad ticker): ask instead.
  return intentSchema.safeParse(r.intent).success ? r : unknown(0.5);
}

function readMessage(text: string): RuleParse {
  const tokens = tokenize(text);
  if (!tokens.some((t) => t.kind === 'word' || t.kind === 'number')) return unknown(0.95);
  const t = tokens
    .map((tok) => (tok.kind === 'word' ? tok.lower : tok.kind === 'number' ? tok.decimal : tok.raw))
    .join(' ');
  const bare = t.replace(/( [?!.])+$/, '').replace(/ \?/g, '');
  const nums = labelNumbers(tokens);
  const first = tokens[0]?.kind === 'word' ? tokens[0].lower : '';

  if (HELP_RE.test(bare)) return { intent: { intent: 'help' }, confidence: 0.95 };
  if (STATUS_RE.test(bare)) return { intent: { intent: 'status' }, confidence: 0.95 };
  if (PNL_RE.test(t)) return pnl(t);
  if (/^(note|journal|memo)$/.test(first)) return note(text);
  if (UNWATCH_RE.test(t)) return watchlist('unwatch', tokens);
  if (WATCH_RE.test(t)) return watchlist('watch', tokens);
  if (MUTE_RE.test(t)) return mute(t, tokens, nums);
  if (UNMUTE_RE.test(t))
    return { intent: { intent: 'unmute', symbol: pickSymbol(tokens, false).symbol }, confidence: 0.9 };
  const plain = nums.numbers.length === 0 && pickSymbol(tokens, true).symbol === null;
  if (plain && (YES.has(first) || /^(yes sir|go ahead|do it|thats right|sounds good)\b/.test(t))) {
    return { intent: { intent: 'confirm' }, confidence: tokens.length === 1 ? 0.95 : 0.85 };
  }
  if (plain && (NO.has(first) || /^(never mind|not really|dont do it)\b/.test(t))) {
    return { intent: { intent: 'deny' }, confidence: tokens.length === 1 ? 0.95 : 0.85 };
  }
  return trade(t, tokens, nums);
}

function pnl(t: string): RuleParse {
  if (/\b(year|ytd|yesterday|all time|lifetime|yr)\b/.test(t)) return unknown(0.6);
  const period = /\b(week|weekly|wk|wtd)\b/.test(t)
    ? 'week'
    : /\b(month|monthly|mtd|mo)\b/.test(t)
      ? 'month'
      : 'today';
  return { intent: { intent: 'pnl', period }, confidence: 0.95 };
}

function note(text: string): RuleParse {
  const rest = text.replace(/^\s*(note|journal|memo)\b[\s:,-]*/i, '');
  const m = /^(\$?[A-Za-z]{1,5}(?:\.[A-Za-z]{1,2})?)(?=[\s:,-]|$)[\s:,-]*/.exec(rest);
  const head = m?.[1];
  // Only a clear ticker (AAPL, $AAPL) opens a note about a symbol; "note felt ..." is just a note.
  const cls = head === undefined ? null : tickerClass(head, /[a-z]/.test(text));
  const isSymbol = m !== null && head !== undefined && (cls === 'dollar' || cls === 'upper');
  const body = (isSymbol ? rest.slice(m[0].length) : rest).trim();
  if (!body) return unknown(0.7);
  const symbol = isSymbol ? head.replace(/^\$/, '').toUpperCase() : null;
  return { intent: { intent: 'note', symbol, text: body }, confidence: 0.9 };
}

function watchlist(kind: 'watch' | 'unwatch', tokens: readonly Token[]): RuleParse {
  const strong = tickers(tokens, ['dollar', 'upper', 'lower']);
  const symbols = strong.length > 0 ? strong : tickers(tokens, ['weak']);
  if (symbols.length === 0) return unknown(0.7);
  const guessed = tokens.some((t) => t.kind === 'word' && (t.ticker === 'lower' || t.ticker === 'weak'));
  return { intent: { intent: kind, symbols: [...new Set(symbols)] }, confidence: guessed ? 0.8 : 0.95 };
}

function mute(t: string, tokens: readonly Token[], nums: MessageNumbers): RuleParse {
  const { symbol } = pickSymbol(tokens, false);
  let minutes: number | null = null;
  let confidence = 0.9;
  const [fromNumber] = nums.minutes;
  if (fromNumber !== undefined) {
    minutes = fromNumber;
    if (fromNumber === null) confidence = 0.5;
  } else if (/\bhalf (an )?hour\b/.test(t)) minutes = 30;
  else if (/\b(an|a|one) (hour|hr)\b/.test(t)) minutes = 60;
  else if (/\btwo (hours|hrs)\b/.test(t)) minutes = 120;
  else if (/\b(a|one) (min|minute)\b/.test(t)) minutes = 1;
  else if (nums.numbers.length > 0) confidence = 0.5; // "mute 30": minutes? a price? ask.
  if (nums.doubtful > 0) confidence = 0.5;
  if (minutes === 0) return unknown(0.6);
  return { intent: { intent: 'mute', symbol, minutes }, confidence };
}

function tickers(tokens: readonly Token[], classes: readonly TickerClass[]): string[] {
  return tokens.flatMap((tok) =>
    tok.kind === 'word' && tok.ticker && classes.includes(tok.ticker) ? [tickerOf(tok)!] : [],
  );
}

interface SymbolPick {
  symbol: string | null;
  index: number;
  penalty: number;
}

/** The message's ticker: the best-marked one ($AAPL > AAPL > amd > NOW); ties lower confidence. */
function pickSymbol(tokens: readonly Token[], allowWeak: boolean): SymbolPick {
  const order: TickerClass[] = allowWeak
    ? ['dollar', 'upper', 'lower', 'weak']
    : ['dollar', 'upper', 'lower'];
  for (const cls of order) {
    const found = tokens.flatMap((tok, index) =>
      tok.kind === 'word' && tok.ticker === cls ? [{ tok, index }] : [],
    );
    const hit = found[0];
    if (!hit) continue;
    const distinct = new Set(found.map((f) => tickerOf(f.tok)));
    const penalty = (cls === 'lower' ? 0.05 : cls === 'weak' ? 0.3 : 0) + (distinct.size > 1 ? 0.4 : 0);
    return { symbol: tickerOf(hit.tok), index: hit.index, penalty };
  }
  return { symbol: null, index: -1, penalty: 0 };
}

const num = (n: LabeledNumber | undefined): number | null => (n ? decimalToNumber(n.decimal) : null);
const clamp = (c: number): number => Math.max(0.05, Math.min(0.95, Math.round(c * 100) / 100));

function trade(t: string, tokens: readonly Token[], nums: MessageNumbers): RuleParse {
  if (HEDGE_RE.test(t)) return unknown(0.7);
  const r = tradeIntent(t, tokens, nums);
  if (r.intent.intent === 'unknown') return r;
  // "buy AAPL?" asks; "add NVDA" may mean the watchlist; options do not fit the trade model
  let penalty = 0.4 * nums.doubtful;
  if (/\?\s*$/.test(t)) penalty += 0.4;
  if (/^add\b/.test(t)) penalty += 0.35;
  if (OPTIONS_RE.test(t)) penalty += 0.4;
  return { intent: r.intent, confidence: clamp(r.confidence - penalty) };
}

function tradeIntent(text: string, tokens: readonly Token[], nums: MessageNumbers): RuleParse {
  const pick = pickSymbol(tokens, true);
  // Verbs are read around the ticker, not in it: BTC the coin is no "buy to close".
  const t =
    pick.index < 0
      ? text
      : text
          .split(' ')
          .map((w, i) => (i === pick.index ? '<sym>' : w))
          .join(' ');
  const covering = COVER_RE.test(t);
  if (covering || (!SHORT_OPEN_RE.test(t) && CLOSE_RE.test(t))) return closeTrade(t, pick, nums);
  if (SHORT_OPEN_RE.test(t)) return openTrade('short', pick, nums);
  if (OPEN_START_RE.test(t) || OPEN_ANY_RE.test(t)) return openTrade('long', pick, nums);
  const stopKw = STOP_KW_RE.test(t);
  const targetKw = TARGET_KW_RE.test(t);
  if (stopKw || targetKw) return updateLevel(stopKw && targetKw, stopKw ? 'stop' : 'target', pick, nums);
  return unknown(0.8);
}

function openTrade(side: 'long' | 'short', pick: SymbolPick, nums: MessageNumbers): RuleParse {
  if (pick.symbol === null) return unknown(0.6);
  let penalty = pick.penalty;
  const byLabel = (l: LabeledNumber['label']) => nums.numbers.filter((n) => n.label === l);
  const stops = byLabel('stop');
  const targets = byLabel('target');
  const prices = byLabel('price');
  let unlabeled = byLabel(null);
  if (stops.length > 1 || prices.length > 1) penalty += 0.3;
  if (targets.length > 1) penalty += 0.1; // a second target is dropped: keep the first
  let quantity: string | null = nums.quantities[0] ?? null;
  if (nums.quantities.length > 1) penalty += 0.3;
  let entry = prices[0];
  const take = (n: LabeledNumber | undefined) => {
    unlabeled = unlabeled.filter((u) => u !== n);
    return n;
  };
  if (quantity === null) {
    // "Long 50 META 512.30": a whole number before the ticker is the size.
    const before = unlabeled.find((n) => n.integer && n.index < pick.index);
    const q = before ?? (entry && unlabeled.find((n) => n.integer));
    if (q) quantity = take(q)!.decimal;
  }
  if (!entry && unlabeled.length > 0) {
    if (unlabeled.length === 2 && quantity === null && unlabeled[0]!.integer) {
      quantity = take(unlabeled[0])!.decimal; // "bought AAPL 100 150.2": size then price, a guess
      penalty += 0.2;
    }
    entry = take(unlabeled[0]);
  }
  penalty += 0.3 * unlabeled.length;
  if (quantity !== null && !/^\d+$/.test(quantity)) return unknown(0.5);
  const intent: IntentOf<'open_trade'> = {
    intent: 'open_trade',
    symbol: pick.symbol,
    side,
    quantity: quantity === null ? null : Number(quantity),
    entry: num(entry),
    stop: num(stops[0]),
    target: num(targets[0]),
  };
  if (intent.quantity === 0) return unknown(0.5);
  return { intent, confidence: clamp(0.95 - penalty) };
}

function closeTrade(t: string, pick: SymbolPick, nums: MessageNumbers): RuleParse {
  let penalty = pick.penalty;
  const levels = nums.numbers.filter((n) => n.label === 'stop' || n.label === 'target');
  if (levels.length > 0) penalty += 0.3; // "sold AAPL 150 stop 148"? ask.
  const prices = nums.numbers.filter((n) => n.label === 'price');
  let unlabeled = nums.numbers.filter((n) => n.label === null);
  let quantity: string | null = nums.quantities[0] ?? null;
  let exit = prices[0];
  if (prices.length > 1) penalty += 0.3;
  if (quantity === null && unlabeled.length > 0) {
    // "sold 100 amd 165", "sold 100 AAPL": a whole number before the ticker is the size.
    const before = unlabeled.find((n) => n.integer && pick.index >= 0 && n.index < pick.index);
    const q = before ?? (exit && unlabeled.length === 1 && unlabeled[0]!.integer ? unlabeled[0] : undefined);
    if (q) {
      quantity = q.decimal;
      unlabeled = unlabeled.filter((n) => n !== q);
    }
  }
  if (!exit && unlabeled.length > 0) {
    exit = unlabeled[0];
    unlabeled = unlabeled.slice(1);
  }
  penalty += 0.3 * unlabeled.length;
  const [hundredths, ...moreFractions] = nums.fractions;
  if (moreFractions.length > 0) penalty += 0.3;
  if (hundredths !== undefined && quantity !== null) penalty += 0.3;
  if (quantity !== null && !/^\d+$/.test(quantity)) return unknown(0.5);
  // Closing without a price (at market, or forgotten) acts on money: ask first.
  if (!exit) penalty += 0.3;
  if (/\bstopped\b/.test(t) && !/\bstopped out\b/.test(t)) penalty += 0.1;
  const intent: IntentOf<'close_trade'> = {
    intent: 'close_trade',
    symbol: pick.symbol,
    exit: num(exit),
    quantity: quantity === null ? null : Number(quantity),
  };
  if (hundredths !== undefined && hundredths < 100)
    intent.fraction = Number(`0.${String(hundredths).padStart(2, '0')}`);
  if (intent.quantity === 0) return unknown(0.5);
  return { intent, confidence: clamp(0.95 - penalty) };
}

function updateLevel(
  both: boolean,
  level: 'stop' | 'target',
  pick: SymbolPick,
  nums: MessageNumbers,
): RuleParse {
  let penalty = pick.penalty + (both ? 0.5 : 0);
  const labeled = nums.numbers.filter((n) => n.label === level);
  let value = labeled[0];
  const others = nums.numbers.filter((n) => n !== value);
  if (!value && nums.numbers.length === 1) {
    value = nums.numbers[0]; // "AAPL stop to 151" labels it; "stop on AAPL now 151" does not
    penalty += 0.1;
  } else if (others.length > 0) penalty += 0.3 * others.length;
  if (!value) return unknown(0.6); // "stop to breakeven" with no price: never guess money
  const price = decimalToNumber(value.decimal);
  if (price <= 0) return unknown(0.6);
  const intent: Intent =
    level === 'stop'
      ? { intent: 'update_stop', symbol: pick.symbol, stop: price }
      : { intent: 'update_target', symbol: pick.symbol, target: price };
  return { intent, confidence: clamp(0.95 - penalty) };
}
