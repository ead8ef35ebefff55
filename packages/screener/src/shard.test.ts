import { describe, expect, it } from 'vitest';
import { fnv1a32, parseShard, shardOf } from './shard.ts';

// 10,000 distinct tickers: AAAA, AAAB, ... in base 26
const symbols = Array.from({ length: 10_000 }, (_, i) => {
  let s = '';
  let n = i;
  for (let k = 0; k < 4; k++) {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
});

describe('shardOf', () => {
  it('is FNV-1a: known vectors', () => {
    // FNV-1a 32-bit test vectors: "" -> 0x811c9dc5, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  for (const n of [2, 4, 7]) {
    it(`puts each of 10,000 symbols in exactly one of ${n} shards, balanced`, () => {
      const counts = new Array<number>(n).fill(0);
      for (const s of symbols) {
        const owners = Array.from({ length: n }, (_, k) => k).filter((k) => shardOf(s, n) === k);
        expect(owners).toHaveLength(1);
        counts[owners[0]!]!++;
      }
      expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
      const ideal = 10_000 / n;
      for (const c of counts) expect(Math.abs(c - ideal) / ideal).toBeLessThan(0.08);
    });
  }

  it('is stable for a given ticker', () => {
    expect(shardOf('NVDA', 8)).toBe(fnv1a32('NVDA') % 8);
    expect(shardOf('BRK.B', 1)).toBe(0);
  });

  it('parses --shard k/N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/0 <= k < N/);
    expect(() => shardOf('X', 0)).toThrow(RangeError);
  });
});
