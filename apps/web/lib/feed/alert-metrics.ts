// The numbers a row shows beside the price, read from the alert's free-form `details` defensively
// (detectors add fields over time; a missing or malformed one shows as a dash, never as NaN).

const finite = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/** % move (details.pct), signed, e.g. "+5.97%". */
export function pctText(details: Record<string, unknown>): { text: string; sign: -1 | 0 | 1 } | null {
  const n = finite(details.pct);
  if (n === null) return null;
  return {
    text: `${n > 0 ? '+' : ''}${n.toFixed(Math.abs(n) < 10 ? 2 : 1)}%`,
    sign: n > 0 ? 1 : n < 0 ? -1 : 0,
  };
}

/** Relative volume (details.rvol), e.g. "4.1×". */
export function rvolText(details: Record<string, unknown>): string | null {
  const n = finite(details.rvol);
  return n === null ? null : `${n.toFixed(n < 10 ? 1 : 0)}×`;
}
