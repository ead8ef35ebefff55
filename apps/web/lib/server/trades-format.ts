// Exact display arithmetic for the trades pages: prices, quantities, P&L and R multiples arrive from
// Postgres `numeric` as decimal strings and are held as 1e-9 fixed-point bigints here (packages/core
// money.ts), never as binary floats. Pure: no I/O, usable by server and client components.
import { decimalToFixed, divRound, rMultipleOf } from '@tradeassist/core/money';

const SCALE = 1_000_000_000n;

/** A 1e-9 fixed value with exactly `decimals` places, rounded half away from zero, with 1,234 groups. */
function fixed(v: bigint, decimals: number, group = true): string {
  const unit = 10n ** BigInt(9 - decimals);
  const r = divRound(v, unit);
  const neg = r < 0n;
  const abs = neg ? -r : r;
  const digits = abs.toString().padStart(decimals + 1, '0');
  let int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  if (group) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${int}${decimals ? `.${frac}` : ''}`;
}

/** 150.200000000 -> "150.20"; 0.012300000 -> "0.0123" (at least 2 decimals, at most 4 shown). */
export function formatPrice(s: string | null): string {
  if (s === null) return '—';
  const v = decimalToFixed(s);
  // Sub-dollar stocks trade in 1/10,000ths; keep the digits that are there, up to four.
  const frac = (v < 0n ? -v : v) % SCALE;
  const places = frac % 10_000_000n === 0n ? 2 : frac % 1_000_000n === 0n ? 3 : 4;
  return fixed(v, places, false);
}

/** Shares: whole numbers plain, fractional shares with their decimals (up to 6). */
export function formatQuantity(s: string): string {
  const v = decimalToFixed(s);
  if (v % SCALE === 0n) return fixed(v, 0);
  return fixed(v, 6).replace(/0+$/, '');
}

/** Money with a sign: "+1,234.50", "-80.00", "0.00". */
export function formatPnl(s: string | null): string {
  if (s === null) return '—';
  const v = decimalToFixed(s);
  const t = fixed(v, 2);
  return v > 0n && t !== '0.00' ? `+${t}` : t;
}

/** -1, 0 or 1: the colour of a P&L or R value (green, neutral, red). */
export function signOf(s: string | null): -1 | 0 | 1 {
  if (s === null) return 0;
  const v = decimalToFixed(s);
  return v > 0n ? 1 : v < 0n ? -1 : 0;
}

/** "+1.50R" from a decimal string. */
export function formatR(s: string | null): string {
  if (s === null) return '—';
  const v = decimalToFixed(s);
  const t = fixed(v, 2, false);
  return `${v > 0n ? '+' : ''}${t}R`;
}

export interface TradeNumbers {
  side: 'long' | 'short';
  quantity: string;
  entry: string;
  stop: string | null;
  realized_pnl: string | null;
  r_multiple: string | null;
}

/**
 * The R multiple to show: the workflow's, or, when it has not written one, realized P&L ÷ (risk per
 * share × quantity) with the entry stop (DOMAIN.md), to 4 decimals. Null without a stop or P&L.
 */
export function rMultiple(t: TradeNumbers): string | null {
  if (t.r_multiple !== null) return t.r_multiple;
  if (t.stop === null || t.realized_pnl === null) return null;
  return rMultipleOf(decimalToFixed(t.realized_pnl), t.entry, t.stop, t.quantity);
}

/** Shares still open: quantity − exited_quantity. */
export function openQuantity(quantity: string, exited: string): string {
  const v = decimalToFixed(quantity) - decimalToFixed(exited);
  return formatQuantity(fixedString(v));
}

/** A 1e-9 fixed bigint back to a plain decimal string (9 places, for further exact arithmetic). */
export function fixedString(v: bigint): string {
  return fixed(v, 9, false);
}

const PLAIN_DECIMAL = /^\d{1,11}(\.\d{1,9})?$/;

/**
 * The form's risk line: "Risk 2.20/share · 220.00 total · target 2.27R". Null until quantity, entry
 * and a stop on the right side are typed.
 */
export function riskSummary(
  side: 'long' | 'short',
  quantity: string,
  entry: string,
  stop: string,
  target: string,
): string | null {
  const [q, e, s, t] = [quantity, entry, stop, target].map((x) => x.trim());
  if (!PLAIN_DECIMAL.test(q ?? '') || !PLAIN_DECIMAL.test(e ?? '') || !PLAIN_DECIMAL.test(s ?? ''))
    return null;
  const qf = decimalToFixed(q!);
  const ef = decimalToFixed(e!);
  const sf = decimalToFixed(s!);
  const risk = side === 'long' ? ef - sf : sf - ef;
  if (risk <= 0n || qf <= 0n) return null;
  const total = divRound(risk * qf, SCALE);
  let line = `Risk ${fixed(risk, 2)}/share · ${fixed(total, 2)} total`;
  if (PLAIN_DECIMAL.test(t ?? '')) {
    const tf = decimalToFixed(t!);
    const reward = side === 'long' ? tf - ef : ef - tf;
    if (reward > 0n) line += ` · target ${fixed(divRound(reward * SCALE, risk), 2, false)}R`;
  }
  return line;
}
