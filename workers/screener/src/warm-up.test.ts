import { createLogger } from '@tradeassist/runtime/logger';
import { describe, expect, it } from 'vitest';
import { warmUpPipeline } from './warm-up.ts';

describe('warm-up', () => {
  it('screens simulated minutes around the open, with the given rules, into nothing', () => {
    const logger = createLogger({ component: 'test', level: 'silent' });
    const rule = {
      id: '00000000-0000-4000-8000-000000000001',
      user_id: '00000000-0000-4000-8000-000000000002',
      name: 'any print at the open',
      scope: { kind: 'all' },
      condition: { op: 'compare', left: { field: 'volume' }, cmp: '>', right: { value: 0 } },
    };
    const plain = warmUpPipeline({ logger });
    const withRule = warmUpPipeline({ logger, rules: [rule] });
    // 100 names, 8:54-9:36: the pre-market and the open go through the decoder and the engine
    expect(plain.records).toBeGreaterThan(100_000);
    expect(withRule.records).toBe(plain.records);
    expect(plain.alerts).toBeGreaterThan(0); // built-in detectors fire
    // the rule fires once per name that trades in the regular session: alerts of its own
    expect(withRule.alerts).toBeGreaterThan(plain.alerts + 50);
  });
});
