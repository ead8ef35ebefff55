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
