// The alert's vocabulary without a schema library: its type and session names and the formats of
// its string fields. alert.ts builds the zod schemas from these; code that must stay small (the
// dashboard's browser bundle, where zod alone is ~32 KB gzipped) checks values with them directly.
export const ALERT_TYPES = [
  'gap_up',
  'gap_down',
  'volume_spike',
  'momentum_up',
  'momentum_down',
  'new_high_of_day',
  'new_low_of_day',
  'vwap_cross_up',
  'vwap_cross_down',
  'rsi_overbought',
  'rsi_oversold',
  'macd_cross_up',
  'macd_cross_down',
  'bollinger_break_up',
  'bollinger_break_down',
  'halt',
  'resume',
  'rule',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const SESSIONS = ['pre', 'regular', 'post'] as const;
export type Session = (typeof SESSIONS)[number];

/** Upper-case ticker; share classes keep their dot (BRK.B). */
export const TICKER_RE = /^[A-Z][A-Z0-9]{0,9}([.\-/][A-Z0-9]{1,4})?$/;
/** A decimal number written as a string (exact, never a binary float). */
export const DECIMAL_RE = /^-?\d{1,12}(\.\d{1,9})?$/;
/** UTC nanoseconds since the epoch (or a bigint id), as a decimal string. */
export const NANOS_RE = /^\d{1,19}$/;
