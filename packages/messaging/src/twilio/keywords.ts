// Carrier keywords (CTIA; Twilio's default opt-out handling), checked before any intent parsing: a
// message that is only STOP (or a synonym) opts the number out, START opts it back in, HELP answers
// with who we are and how to stop. Pure: the caller stores the new state and sends the reply.

export type SmsOptIn = 'opted_in' | 'opted_out' | 'pending';

export type CarrierKeyword = 'stop' | 'start' | 'help';

export interface KeywordOutcome {
  keyword: CarrierKeyword;
  /** The opt-in state after this message (unchanged for HELP or a repeated STOP/START). */
  optIn: SmsOptIn;
  /** True when `optIn` differs from the state before. */
  changed: boolean;
  /** The answer to send back (one GSM-7 segment). */
  reply: string;
}

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

export const KEYWORD_REPLIES = {
  stop: 'TradeAssist: you are unsubscribed and will get no more texts. Reply START to resubscribe.',
  start:
    'TradeAssist: you are subscribed to alerts and trade follow-ups. Msg&data rates may apply. Reply HELP for help, STOP to opt out.',
  help: 'TradeAssist trading assistant. Text trades in plain words, e.g. "took AAPL 150.20 stop 148". Reply STOP to opt out. Msg&data rates may apply.',
} as const;

/** Carriers match the whole message, case-insensitively; a trailing "." or "!" is still the keyword. */
function normalize(body: string): string {
  return body
    .trim()
    .replace(/[.!]+$/, '')
    .trim()
    .toUpperCase();
}

/**
 * The keyword `body` is, and what it does to a number currently in state `current`; null when the
 * message is not a keyword (it goes on to the intent parser). YES opts back in only while the
 * number is opted out: otherwise it is an answer to the assistant's last question.
 */
export function carrierKeyword(body: string, current: SmsOptIn): KeywordOutcome | null {
  const word = normalize(body);
  if (OPT_OUT.has(word)) {
    return {
      keyword: 'stop',
      optIn: 'opted_out',
      changed: current !== 'opted_out',
      reply: KEYWORD_REPLIES.stop,
    };
  }
  if (OPT_IN.has(word) || (word === 'YES' && current === 'opted_out')) {
    return {
      keyword: 'start',
      optIn: 'opted_in',
      changed: current !== 'opted_in',
      reply: KEYWORD_REPLIES.start,
    };
  }
  if (HELP.has(word)) return { keyword: 'help', optIn: current, changed: false, reply: KEYWORD_REPLIES.help };
  return null;
}
