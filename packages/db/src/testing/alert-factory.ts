// Test support: deterministic alerts. Alert i has price 100 + i/1e9 written exactly (9 decimals) and
// a nanosecond time past 2^53, so any float on the path would show in the stored values.
import type { Alert } from '@tradeassist/core/alert';

const BASE_NS = 1_700_577_000_000_000_000n;

export function makeAlert(i: number, prefix = 'T'): Alert {
  return {
    symbol: `S${i % 5000}`,
    type: 'volume_spike',
    ts_event: String(BASE_NS + BigInt(i)),
    price: `100.${String(i % 1_000_000_000).padStart(9, '0')}`,
    session: 'regular',
    score: (i % 100) / 100,
    details: { i, rvol: '5.2' },
    dedupe_key: `${prefix}:${i}`,
  };
}
