// Shared benchmark helpers: one figure = the median of several runs, with min and max.
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  n: number;
  min: number;
  max: number;
}

export function summarize(name: string, unit: string, samples: number[], digits = 2): BenchResult {
  if (samples.length === 0) throw new Error(`${name}: no samples`);
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const r = (x: number) => Number(x.toFixed(digits));
  return { name, value: r(median), unit, n: s.length, min: r(s[0]!), max: r(s[s.length - 1]!) };
}

/** The q-quantile (0..1) of unsorted samples (nearest rank). */
export function quantile(samples: ArrayLike<number>, q: number): number {
  const s = Array.from(samples).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
