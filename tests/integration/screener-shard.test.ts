// `--shard k/N`: N processes on the same source together find exactly what one unsharded process
// finds, and each symbol's alerts come from one shard only: the one its stable hash names.
import { shardOf } from '@tradeassist/screener';
import { describe, expect, it } from 'vitest';
import { runScreener } from './screener-child.ts';

const SOURCE = ['--source', 'sim:42:10', '--speed', 'max', '--sink', 'stdout'];

describe('--shard k/N', () => {
  it('3 shards together == the unsharded run, each symbol in exactly one shard', async () => {
    const all = await runScreener(SOURCE);
    expect(all.code, all.stderr.slice(-2000)).toBe(0);
    const shards = await Promise.all([0, 1, 2].map((k) => runScreener([...SOURCE, '--shard', `${k}/3`])));
    const owner = new Map<string, number>();
    shards.forEach((r, k) => {
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      for (const a of r.alerts) {
        expect(owner.get(a.symbol) ?? k, a.symbol).toBe(k);
        owner.set(a.symbol, k);
        expect(shardOf(a.symbol, 3)).toBe(k);
      }
    });
    const key = (a: { dedupe_key: string; ts_event: string; price: string }) =>
      `${a.dedupe_key}|${a.ts_event}|${a.price}`;
    const together = shards.flatMap((r) => r.alerts.map(key)).sort();
    expect(together.length).toBeGreaterThan(50);
    expect(together).toEqual(all.alerts.map(key).sort());
    expect(shards.every((r) => r.alerts.length > 0)).toBe(true);
  }, 120_000);
});
