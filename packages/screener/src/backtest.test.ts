import { describe, expect, it } from 'vitest';
import { backtest } from './backtest.ts';
import { BatchBuilder, etNs } from './test-records.ts';

const D = '2023-11-21';
const rule = {
  id: '11111111-1111-4111-8111-111111111111',
  user_id: '22222222-2222-4222-8222-222222222222',
  name: 'up 5% on the day',
  scope: { kind: 'all' },
  sessions: ['pre', 'regular'],
  condition: { op: 'compare', left: { field: 'change_pct' }, cmp: '>=', right: { value: 5 } },
};

function batches() {
  return [
    new BatchBuilder()
      .ohlcv1d(7, '2023-11-20', '20.00', 1_000_000) // prior close 20.00
      .trade(7, etNs(D, '08:00'), '20.90', 30_000) // +4.5%: built-ins gap_up and volume_spike
      .build(),
    new BatchBuilder()
      .trade(7, etNs(D, '08:01'), '21.00', 30_000) // +5.0%: the rule fires
      .trade(8, etNs(D, '08:01'), '10.00', 100)
      .build(),
  ];
}

describe('backtest', () => {
  it('returns the rule alerts a live engine would fire, from sync or async batches', async () => {
    const sync = await backtest(batches(), {
      rules: [rule],
      symbols: [
        [7, 'PLTR'],
        [8, 'F'],
      ],
    });
    expect(sync.alerts.map((a) => [a.type, a.symbol, a.ts_event, a.price])).toEqual([
      ['rule', 'PLTR', etNs(D, '08:01').toString(), '21.00'],
    ]);
    expect(sync.records).toBe(4);
    async function* gen() {
      yield* batches().map((records, i) => ({
        records,
        symbols: i === 0 ? ([[7, 'PLTR']] as const) : ([] as const),
      }));
    }
    const fromAsync = await backtest(gen(), { rules: [rule] });
    expect(fromAsync.alerts).toEqual(sync.alerts);
  });

  it('can include the built-in detectors, and reports bad rules without failing', async () => {
    const r = await backtest(batches(), {
      rules: [rule, { ...rule, id: 'not-a-uuid' }],
      symbols: { 7: 'PLTR' },
      builtins: true,
    });
    expect(r.alerts.map((a) => a.type).sort()).toEqual(['gap_up', 'rule', 'volume_spike']);
    expect(r.fired).toBe(3);
    const capped = await backtest(batches(), {
      rules: [rule],
      symbols: { 7: 'PLTR' },
      builtins: true,
      maxAlerts: 1,
    });
    expect(capped.fired).toBe(3); // all counted, the first one kept
    expect(capped.alerts).toEqual([r.alerts[0]]);
    expect(r.ruleErrors).toEqual([
      { ruleId: 'not-a-uuid', index: 1, issues: [{ path: 'id', reason: expect.any(String) }] },
    ]);
  });
});
