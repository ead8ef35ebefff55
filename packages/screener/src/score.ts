// Alert score in [0, 1]: how unusual the event is, for ranking and "only the best". Three parts:
// size against the detector's threshold (ratio 1 = just at it, 4+ = saturated), relative volume
// (log scale, 10x saturates) and liquidity (dollar volume today, log scale, $1B saturates).
//   score = 0.2 + 0.45·size + 0.2·rvol + 0.15·liquidity, rounded to 2 decimals.
export function alertScore(ratio: number, rvol: number, dollarVolume: number): number {
  const size = ratio > 1 ? Math.min(1, (ratio - 1) / 3) : 0;
  const rv = rvol > 0 ? Math.min(1, Math.log2(1 + rvol) / Math.log2(11)) : 0;
  const liq = dollarVolume > 1 ? Math.min(1, Math.log10(dollarVolume) / 9) : 0;
  const s = 0.2 + 0.45 * size + 0.2 * rv + 0.15 * liq;
  return Math.round(Math.min(1, Math.max(0, s)) * 100) / 100;
}
