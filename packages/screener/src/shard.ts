// Stable symbol -> shard assignment for `--shard k/N`: FNV-1a (32-bit) over the ticker's characters.
// Stable across processes, platforms and releases (never use a seeded or runtime-dependent hash here).
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Shard index in [0, n) of a ticker. */
export function shardOf(symbol: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`shard count must be a positive integer, got ${n}`);
  return fnv1a32(symbol) % n;
}

/** Parses `k/N` (k in [0, N)). */
export function parseShard(spec: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index >= count)
    throw new RangeError(`expected --shard k/N with 0 <= k < N, got ${JSON.stringify(spec)}`);
  return { index, count };
}
