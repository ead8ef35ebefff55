// Exact trade arithmetic for the trade workflow (and the conversation's checks): prices and
// quantities are decimal strings, held as 1e-9 fixed-point bigints (packages/core money.ts), so
// P&L, R multiple and average exit never pass through a binary float. Pure and deterministic: the
// workflow sandbox runs it.
import { decimalToFixed, divRound, fixedToDecimal, rMultipleOf } from '@tradeassist/core/money';

const SCALE = 1_000_000_000n;

export type Side = 'long' | 'short';

export interface Exit {
  /** Shares, decimal string. */
  quantity: string;
  /** Price, decimal string. */
  price: string;
}

export const fx = (s: string): bigint => decimalToFixed(s);
/** 1e-9 fixed -> decimal string with at least `min` decimals. */
export const dec = (v: bigint, min = 2): string => fixedToDecimal(v, min);

/** A number the parser read ("as written": 150.2) -> a decimal string, or null if it is not one. */
export function numberToDecimal(n: number): string | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  const s = String(n);
  return /^\d{1,12}(\.\d{1,9})?$/.test(s) ? s : null;
}

/** For display: at least two decimals, trailing zeros beyond them dropped ("150.200000000" -> "150.20"). */
export function price(s: string): string {
  return dec(fx(s), 2);
}

/** Shares for display: whole numbers without decimals. */
export function shares(s: string): string {
  return dec(fx(s), 0);
}

export function riskPerShare(entry: string, stop: string): bigint {
  const r = fx(entry) - fx(stop);
  return r < 0n ? -r : r;
}

/** Realized P&L of the exits, fees subtracted, in 1e-9 units (rounded half away from zero). */
export function realizedPnl(side: Side, entry: string, exits: readonly Exit[], fees = '0'): bigint {
  const e = fx(entry);
  let gross = 0n; // 1e-18 units: price (1e-9) x quantity (1e-9)
  for (const x of exits) {
    const diff = side === 'long' ? fx(x.price) - e : e - fx(x.price);
    gross += diff * fx(x.quantity);
  }
  return divRound(gross, SCALE) - fx(fees);
}

/** R multiple = P&L / (risk per share x quantity), 4 decimals; null without a stop (no risk basis). */
export function rMultiple(pnl: bigint, entry: string, stop: string | null, quantity: string): string | null {
  return stop === null ? null : rMultipleOf(pnl, entry, stop, quantity);
}

/** Volume-weighted exit price (1e-9 fixed), for trades.exit_price. */
export function averageExit(exits: readonly Exit[]): bigint {
  let notional = 0n;
  let qty = 0n;
  for (const x of exits) {
    notional += fx(x.price) * fx(x.quantity);
    qty += fx(x.quantity);
  }
  return divRound(notional, qty);
}

export function sumQuantity(exits: readonly Exit[]): bigint {
  return exits.reduce((s, x) => s + fx(x.quantity), 0n);
}

/**
 * Shares for "sell half" / "a third" of what is open: whole shares when the position is in whole
 * shares (rounded down, at least one), else 6 decimals (trades.quantity is numeric(20,6)).
 */
export function fractionOf(open: bigint, fraction: number): bigint {
  const ppm = BigInt(Math.round(fraction * 1_000_000));
  let q = (open * ppm) / 1_000_000n;
  if (open % SCALE === 0n) {
    q = (q / SCALE) * SCALE;
    if (q === 0n) q = SCALE;
  } else {
    q = (q / 1000n) * 1000n;
  }
  return q > open ? open : q;
}

/** A P&L for SMS: sign always shown ("+40.00", "-220.00"). */
export function signedMoney(v: bigint): string {
  const rounded = divRound(v, 10_000_000n) * 10_000_000n; // to the cent
  return `${rounded >= 0n ? '+' : ''}${dec(rounded, 2)}`;
}

/** Is the stop on the losing side of the entry (long: below; short: above)? */
export function stopOnRightSide(side: Side, entry: string, stop: string): boolean {
  return side === 'long' ? fx(stop) < fx(entry) : fx(stop) > fx(entry);
}

/** Is the target on the winning side of the entry (long: above; short: below)? */
export function targetOnRightSide(side: Side, entry: string, target: string): boolean {
  return side === 'long' ? fx(target) > fx(entry) : fx(target) < fx(entry);
}
