// The text of alert, digest and daily-summary SMS: what happened, the price, one number that
// matters (DOMAIN.md: `NVDA gap up +6.0% 482.15 (pre, RVOL 4.1)`). Every text is kept to one
// GSM-7 segment (160 characters): our own characters are GSM-7 by construction, tickers are
// upper-case ASCII, and anything else (a rule name with an emoji) is replaced, so a message never
// falls back to UCS-2 (70 per segment). Segments are counted by the SMS edge's own counter.
import type { AlertType } from '@tradeassist/core/alert';
import { smsEncoding, smsSegments } from '../twilio/segments.ts';

export const SMS_SEGMENT = 160;

const TYPE_LABELS: Record<AlertType, string> = {
  gap_up: 'gap up',
  gap_down: 'gap down',
  volume_spike: 'volume spike',
  momentum_up: 'momentum up',
  momentum_down: 'momentum down',
  new_high_of_day: 'new HOD',
  new_low_of_day: 'new LOD',
  vwap_cross_up: 'crossed above VWAP',
  vwap_cross_down: 'crossed below VWAP',
  rsi_overbought: 'RSI overbought',
  rsi_oversold: 'RSI oversold',
  macd_cross_up: 'MACD cross up',
  macd_cross_down: 'MACD cross down',
  bollinger_break_up: 'broke upper Bollinger',
  bollinger_break_down: 'broke lower Bollinger',
  halt: 'HALTED',
  resume: 'resumed',
  rule: 'rule',
};

export interface SmsAlert {
  symbol: string;
  type: AlertType;
  /** Decimal string as stored (482.150000000 prints as 482.15). */
  price: string;
  session: 'pre' | 'regular' | 'post';
  details: Record<string, unknown>;
  /** The rule's name for a rule alert. */
  ruleName?: string | null;
}

/** Septets the text takes in GSM-7, or null when it has a character outside GSM-7 (then UCS-2). */
export function gsm7Length(text: string): number | null {
  return smsEncoding(text) === 'GSM-7' ? smsSegments(text).units : null;
}

/** True when the text goes out as a single GSM-7 segment. */
export function fitsOneSegment(text: string): boolean {
  const s = smsSegments(text);
  return s.encoding === 'GSM-7' && s.segments === 1;
}

/** Replaces what GSM-7 cannot carry (a rule name with an emoji) with '?' and cuts to `max` septets. */
export function toGsm7(text: string, max: number): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    const c = smsEncoding(ch) === 'GSM-7' ? ch : '?';
    const w = smsSegments(c).units;
    if (n + w > max) break;
    out += c;
    n += w;
  }
  return out;
}

/** `482.150000000` -> `482.15`, `7.000000000` -> `7.00`: at least two decimals, no float on the way. */
export function formatPrice(decimal: string): string {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const frac = (m[2] ?? '').replace(/0+$/, '').padEnd(2, '0');
  return `${m[1]}.${frac}`;
}

const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const signed = (n: number, digits: number) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** One alert, one line: `NVDA gap up +6.0% 482.15 (pre, RVOL 4.1)`. */
export function alertLine(a: SmsAlert): string {
  const label = a.type === 'rule' ? `rule ${a.ruleName ? `"${a.ruleName}"` : 'alert'}` : TYPE_LABELS[a.type];
  const pct = num(a.details.pct);
  const rvol = num(a.details.rvol);
  const rsi = num(a.details.rsi);
  const extra: string[] = [a.session];
  if (rvol !== null) extra.push(`RVOL ${rvol.toFixed(1)}`);
  else if (rsi !== null) extra.push(`RSI ${rsi.toFixed(0)}`);
  const pctText = pct !== null ? ` ${signed(pct, 1)}%` : '';
  return `${a.symbol} ${label}${pctText} ${formatPrice(a.price)} (${extra.join(', ')})`;
}

const REPLY_HINT = ' Reply MUTE ';

/** The SMS for one alert; names how to mute it when room is left. One segment, always. */
export function alertSmsText(a: SmsAlert): string {
  const line = toGsm7(alertLine(a), SMS_SEGMENT);
  const hint = `${REPLY_HINT}${a.symbol}`;
  return gsm7Length(line + hint)! <= SMS_SEGMENT ? line + hint : line;
}

/**
 * Several alerts in one message: `3 alerts: NVDA gap up +6.0% 482.15; AMD ...; +1 more`. The lines
 * drop their session note to fit more; what does not fit is counted, never cut mid-line.
 */
export function digestSmsText(alerts: readonly SmsAlert[]): string {
  const head = `${alerts.length} alerts: `;
  const lines = alerts.map((a) => alertLine(a).replace(/ \([^)]*\)$/, ''));
  let text = head;
  for (let i = 0; i < lines.length; i++) {
    const sep = i === 0 ? '' : '; ';
    const rest = lines.length - i - 1;
    const more = rest > 0 ? `; +${rest} more` : '';
    const candidate = text + sep + toGsm7(lines[i]!, SMS_SEGMENT);
    // Keep room for the "+N more" that would follow if a later line does not fit.
    if (gsm7Length(candidate + more)! > SMS_SEGMENT) {
      return toGsm7(`${text}${i === 0 ? '' : '; '}+${lines.length - i} more`, SMS_SEGMENT);
    }
    text = candidate;
  }
  return text;
}

export interface DailySummaryText {
  /** YYYY-MM-DD. */
  date: string;
  /** Sum of realized P&L of the trades closed that day, a decimal string (may be negative). */
  realizedPnl: string;
  opened: number;
  closed: number;
  wins: number;
  /** Best alerts of the day (highest score first). */
  bestAlerts: readonly { symbol: string; type: AlertType }[];
}

/** `2026-11-20: P&L +1,234.50, 3 opened, 2 closed, win 50%. Best: NVDA gap up, AMD new HOD` */
export function dailySummarySmsText(s: DailySummaryText): string {
  const win = s.closed > 0 ? `, win ${Math.round((100 * s.wins) / s.closed)}%` : '';
  let text = `${s.date}: P&L ${formatMoney(s.realizedPnl)}, ${s.opened} opened, ${s.closed} closed${win}.`;
  const best = s.bestAlerts.map((a) => `${a.symbol} ${TYPE_LABELS[a.type]}`);
  for (let i = 0; i < best.length; i++) {
    const next = `${text}${i === 0 ? ' Best: ' : ', '}${best[i]}`;
    if (gsm7Length(next)! > SMS_SEGMENT) break;
    text = next;
  }
  return toGsm7(text, SMS_SEGMENT);
}

/** `-1234.5` -> `-$1,234.50`, `0` -> `$0.00`, `12.345` -> `+$12.35` (half away from zero, exact). */
export function formatMoney(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const neg = m[1] === '-';
  let cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0').slice(0, 2) || '0');
  if (Number((m[3] ?? '')[2] ?? '0') >= 5) cents += 1n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (cents % 100n).toString().padStart(2, '0');
  const sign = cents === 0n ? '' : neg ? '-' : '+';
  return `${sign}$${whole}.${frac}`;
}
