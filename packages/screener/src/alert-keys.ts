// Deterministic dedupe keys (CONTRACTS.md style `NVDA:gap_up:2023-11-21`): a replay after a crash
// produces the same keys, so the alert writer's idempotent insert adds nothing twice. Once-a-day
// types use the trading date; repeatable types add the New York time of the firing record.
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `HHMM` (New York) from seconds since local midnight. */
export function hhmm(localSeconds: number): string {
  const m = Math.floor(localSeconds / 60);
  return `${pad2(Math.floor(m / 60))}${pad2(m % 60)}`;
}
/** `HHMMSS` (New York) from seconds since local midnight. */
export function hhmmss(localSeconds: number): string {
  const s = Math.floor(localSeconds);
  return `${hhmm(s)}${pad2(s % 60)}`;
}

/** Two decimals, as a number (for `details`). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
