// Ticker-like names for the simulated universe: unique, upper-case, 1-5 letters, a few share classes
// with a dot suffix (`BRK.B` style). Lengths follow the listed US market: mostly 3-4 letters, a few
// 1-2 letter NYSE names, some 5-letter Nasdaq names.
import type { Prng } from './prng.ts';

// Rough first-letter and inner-letter weights of US tickers (A, C, M, S and T start many names).
const FIRST = 'AAABBCCCDDEEFFGGHHIJKLLMMMNNOPPQRRSSSTTUVVWXYZ';
const INNER = 'AAABCCDEEEFGHIIKLLMNNOOPRRSSTTUVWXYZ';

/** Length distribution, cumulative: 1 (0.3%), 2 (3%), 3 (32%), 4 (57%), 5 (7.7%). */
const LENGTH_CDF: ReadonlyArray<readonly [number, number]> = [
  [0.003, 1],
  [0.033, 2],
  [0.353, 3],
  [0.923, 4],
  [1, 5],
];

export function makeTickers(rng: Prng, count: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  let guard = 0;
  while (out.length < count) {
    if (++guard > count * 50) throw new Error(`could not make ${count} unique tickers`);
    const u = rng.float();
    let len = 4;
    for (const [p, l] of LENGTH_CDF) {
      if (u < p) {
        len = l;
        break;
      }
    }
    let s = FIRST[Math.floor(rng.float() * FIRST.length)]!;
    for (let k = 1; k < len; k++) s += INNER[Math.floor(rng.float() * INNER.length)]!;
    // About 0.5% of 1-4 letter names are a second share class.
    if (len <= 4 && rng.float() < 0.005) s += rng.float() < 0.6 ? '.B' : '.A';
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
  }
  return out;
}
