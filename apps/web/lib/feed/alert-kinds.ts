// How each alert type reads on screen: a short label and a tone (colour family) a trader can tell
// apart at a glance: green up moves, red down moves, amber halts, blue indicator events.
import type { AlertType } from '@tradeassist/core/alert';

export type Tone = 'up' | 'down' | 'halt' | 'indicator';

export const TONES: readonly Tone[] = ['up', 'down', 'halt', 'indicator'];

export const ALERT_KINDS: Record<AlertType, { label: string; short: string; tone: Tone }> = {
  gap_up: { label: 'Gap up', short: 'Gap ▲', tone: 'up' },
  gap_down: { label: 'Gap down', short: 'Gap ▼', tone: 'down' },
  volume_spike: { label: 'Volume spike', short: 'Vol spike', tone: 'up' },
  momentum_up: { label: 'Momentum up', short: 'Mom ▲', tone: 'up' },
  momentum_down: { label: 'Momentum down', short: 'Mom ▼', tone: 'down' },
  new_high_of_day: { label: 'New high of day', short: 'HOD', tone: 'up' },
  new_low_of_day: { label: 'New low of day', short: 'LOD', tone: 'down' },
  vwap_cross_up: { label: 'VWAP cross up', short: 'VWAP ▲', tone: 'indicator' },
  vwap_cross_down: { label: 'VWAP cross down', short: 'VWAP ▼', tone: 'indicator' },
  rsi_overbought: { label: 'RSI overbought', short: 'RSI OB', tone: 'indicator' },
  rsi_oversold: { label: 'RSI oversold', short: 'RSI OS', tone: 'indicator' },
  macd_cross_up: { label: 'MACD cross up', short: 'MACD ▲', tone: 'indicator' },
  macd_cross_down: { label: 'MACD cross down', short: 'MACD ▼', tone: 'indicator' },
  bollinger_break_up: { label: 'Bollinger break up', short: 'BB ▲', tone: 'indicator' },
  bollinger_break_down: { label: 'Bollinger break down', short: 'BB ▼', tone: 'indicator' },
  halt: { label: 'Halt', short: 'HALT', tone: 'halt' },
  resume: { label: 'Resume', short: 'Resume', tone: 'halt' },
  rule: { label: 'Rule', short: 'Rule', tone: 'indicator' },
};

export function kindOf(type: string): { label: string; short: string; tone: Tone } {
  return ALERT_KINDS[type as AlertType] ?? { label: type, short: type, tone: 'indicator' };
}

/** Tailwind classes per tone: text colour and the row's left accent. */
export const TONE_CLASS: Record<Tone, { text: string; bar: string }> = {
  up: { text: 'text-up', bar: 'bg-up' },
  down: { text: 'text-down', bar: 'bg-down' },
  halt: { text: 'text-halt', bar: 'bg-halt' },
  indicator: { text: 'text-accent', bar: 'bg-accent' },
};
