// The journal in words: one line per trade_events row, by kind. The workflow writes `data`; the
// fields read here are the ones its events carry (prices and quantities as decimal strings), and a
// field that is missing just drops out of the sentence rather than breaking the page.
import type { TradeEvent } from './trades.ts';
import { formatPnl, formatPrice, formatQuantity, formatR } from './trades-format.ts';

export interface JournalLine {
  id: string;
  at: string;
  kind: string;
  /** Short label shown in the margin ("Stop", "Exit"). */
  label: string;
  text: string;
  /** Colour hint: a win, a loss, or neither. */
  tone: 'up' | 'down' | 'neutral';
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function str(d: Record<string, unknown>, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = d[k];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return null;
}
const price = (d: Record<string, unknown>, ...keys: string[]) => {
  const v = str(d, ...keys);
  return v && DECIMAL.test(v) ? formatPrice(v) : v;
};
const qty = (d: Record<string, unknown>, ...keys: string[]) => {
  const v = str(d, ...keys);
  return v && DECIMAL.test(v) ? formatQuantity(v) : v;
};
const pnlTone = (p: string | null): JournalLine['tone'] =>
  p === null || !DECIMAL.test(p)
    ? 'neutral'
    : p.startsWith('-')
      ? 'down'
      : /[1-9]/.test(p)
        ? 'up'
        : 'neutral';

const join = (...parts: (string | null | false)[]) => parts.filter(Boolean).join(' · ');

export function journalLine(e: TradeEvent, side: 'long' | 'short'): JournalLine {
  const d = e.data;
  const base = { id: e.id, at: e.at, kind: e.kind };
  const via = str(d, 'source') === 'sms' ? 'by SMS' : null;
  switch (e.kind) {
    case 'opened': {
      const q = qty(d, 'quantity');
      const entry = price(d, 'entry', 'price');
      const stop = price(d, 'stop');
      const target = price(d, 'target');
      return {
        ...base,
        label: 'Open',
        tone: 'neutral',
        text: join(
          `Opened ${str(d, 'side') ?? side}${q ? ` ${q}` : ''}${entry ? ` @ ${entry}` : ''}`,
          stop && `stop ${stop}`,
          target && `target ${target}`,
          via,
        ),
      };
    }
    case 'stop_moved': {
      const to = price(d, 'to', 'stop', 'new');
      const from = price(d, 'from', 'previous', 'old');
      return {
        ...base,
        label: 'Stop',
        tone: 'neutral',
        text: join(`Stop moved to ${to ?? '?'}${from ? ` (was ${from})` : ''}`, via),
      };
    }
    case 'target_moved': {
      const to = price(d, 'to', 'target', 'new');
      const from = price(d, 'from', 'previous', 'old');
      return {
        ...base,
        label: 'Target',
        tone: 'neutral',
        text: join(`Target moved to ${to ?? '?'}${from ? ` (was ${from})` : ''}`, via),
      };
    }
    case 'partial_exit': {
      const q = qty(d, 'quantity');
      const p = price(d, 'price', 'exit');
      const pnl = str(d, 'realized_pnl', 'pnl');
      const left = qty(d, 'remaining', 'open_quantity');
      return {
        ...base,
        label: 'Exit',
        tone: pnlTone(pnl),
        text: join(
          `${side === 'long' ? 'Sold' : 'Covered'} ${q ?? 'part'}${p ? ` @ ${p}` : ''}`,
          pnl && DECIMAL.test(pnl) && `P&L ${formatPnl(pnl)}`,
          left && `${left} left`,
          via,
        ),
      };
    }
    case 'closed': {
      const p = price(d, 'exit_price', 'exit', 'price');
      const pnl = str(d, 'realized_pnl', 'pnl');
      const r = str(d, 'r_multiple', 'r');
      return {
        ...base,
        label: 'Close',
        tone: pnlTone(pnl),
        text: join(
          `Closed${p ? ` @ ${p}` : ''}`,
          pnl && DECIMAL.test(pnl) && `P&L ${formatPnl(pnl)}`,
          r && DECIMAL.test(r) && formatR(r),
          via,
        ),
      };
    }
    case 'cancelled':
      return { ...base, label: 'Cancel', tone: 'neutral', text: join('Cancelled', str(d, 'reason'), via) };
    case 'note':
      return { ...base, label: 'Note', tone: 'neutral', text: str(d, 'text', 'note') ?? '(empty note)' };
    case 'alert': {
      const type = str(d, 'type', 'alert_type');
      const p = price(d, 'price');
      return {
        ...base,
        label: 'Alert',
        tone: 'neutral',
        text: join(`Alert${type ? ` ${type.replaceAll('_', ' ')}` : ''}${p ? ` @ ${p}` : ''}`),
      };
    }
    case 'trigger_fired': {
      const kind = str(d, 'kind') ?? 'level';
      const level = price(d, 'level');
      const p = price(d, 'price');
      return {
        ...base,
        label: 'Trigger',
        tone: kind === 'stop' ? 'down' : kind === 'target' ? 'up' : 'neutral',
        text: join(
          `${kind[0]?.toUpperCase()}${kind.slice(1)}${level ? ` ${level}` : ''} crossed${p ? ` at ${p}` : ''}`,
        ),
      };
    }
    case 'question':
      return {
        ...base,
        label: 'Asked',
        tone: 'neutral',
        text: str(d, 'text', 'question') ?? 'Asked the trader',
      };
    case 'answer': {
      const a = str(d, 'answer');
      return {
        ...base,
        label: 'Answer',
        tone: 'neutral',
        text: join(a ? a[0]?.toUpperCase() + a.slice(1) : 'Answered', str(d, 'text')),
      };
    }
    case 'followup':
      return { ...base, label: 'Follow-up', tone: 'neutral', text: str(d, 'text', 'message') ?? 'Follow-up' };
    case 'result': {
      const pnl = str(d, 'realized_pnl', 'pnl');
      const r = str(d, 'r_multiple', 'r');
      return {
        ...base,
        label: 'Result',
        tone: pnlTone(pnl),
        text: join(
          pnl && DECIMAL.test(pnl) ? `Result ${formatPnl(pnl)}` : 'Result',
          r && DECIMAL.test(r) && formatR(r),
          str(d, 'text', 'summary'),
        ),
      };
    }
    default:
      return { ...base, label: e.kind, tone: 'neutral', text: JSON.stringify(d).slice(0, 200) };
  }
}
