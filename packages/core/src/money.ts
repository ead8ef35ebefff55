// Fixed-point prices. DBN prices are signed 64-bit integers in units of 1e-9; in JS they are held as
// numbers, exact while |raw| < 2^53 (prices under $9,007,199), and turned into decimal strings only at
// the edges. Money never passes through a binary-float division.
export const PRICE_SCALE = 1_000_000_000;
/** DBN's "no price" sentinel (i64::MAX). */
export const UNDEF_PRICE_STRING = '9223372036854775807';

/** Raw 1e-9 fixed-point integer -> decimal string with at least `minDecimals` places. */
export function fixedToDecimal(raw: number | bigint, minDecimals = 2): string {
  let v = typeof raw === 'bigint' ? raw : BigInt(Math.trunc(raw));
  const neg = v < 0n;
  if (neg) v = -v;
  const int = v / 1_000_000_000n;
  let frac = (v % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, '0');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Decimal string -> raw 1e-9 fixed-point bigint. Throws on anything that is not a plain decimal. */
export function decimalToFixed(s: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(s.trim());
  if (!m) throw new Error(`not a decimal price: ${JSON.stringify(s)}`);
  const [, sign, int, frac = ''] = m;
  const v = BigInt(int!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
  return sign ? -v : v;
}

/** a ÷ b rounded half away from zero (exact bigint arithmetic). */
export function divRound(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const neg = a < 0n !== b < 0n;
  const aa = a < 0n ? -a : a;
  const bb = b < 0n ? -b : b;
  const q = (aa * 2n + bb) / (bb * 2n);
  return neg ? -q : q;
}

/**
 * R multiple = realized P&L ÷ (risk per share × quantity), as a decimal string with 4 places; null
 * when there is no risk (stop at the entry, no shares). `pnl` is in 1e-9 units; the others are
 * decimal strings.
 */
export function rMultipleOf(pnl: bigint, entry: string, stop: string, quantity: string): string | null {
  const perShare = decimalToFixed(entry) - decimalToFixed(stop);
  const risk = (perShare < 0n ? -perShare : perShare) * decimalToFixed(quantity); // 1e-18 units
  if (risk === 0n) return null;
  // pnl (1e-9) / risk (1e-18) = R x 1e9; x 1e4 for four decimals -> pnl x 1e13 / risk.
  const r4 = divRound(pnl * 10_000_000_000_000n, risk);
  const neg = r4 < 0n;
  const a = neg ? -r4 : r4;
  return `${neg ? '-' : ''}${a / 10_000n}.${(a % 10_000n).toString().padStart(4, '0')}`;
}
