import { Writable } from 'node:stream';
import type { Alert } from '@tradeassist/core/alert';
import { createSimulator } from '@tradeassist/market-data/sim';
import type { SourceBatch } from '@tradeassist/market-data/source';
import { createLogger } from '@tradeassist/runtime/logger';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { AlertSink } from './alert-sink.ts';
import { createScreenerMetrics } from './metrics.ts';
import { Pipeline, type ReferenceLoader } from './pipeline.ts';

const logger = createLogger({
  component: 'test',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

function collect(): AlertSink & { alerts: Alert[] } {
  const alerts: Alert[] = [];
  return {
    alerts,
    push: (a) => alerts.push(a),
    afterBatch: () => undefined,
    queueDepth: () => 0,
    close: async () => {},
  };
}

async function run(p: Pipeline, sim: ReturnType<typeof createSimulator>, skipDailyBars: boolean) {
  let first = true;
  for (const records of sim.generate()) {
    let b = records;
    if (skipDailyBars) {
      // the same stream without its ohlcv-1d history (a live session, a replay of one day)
      const keep = Array.from(records.offsets.subarray(0, records.count)).filter(
        (o) => records.view.getUint8(o + 1) !== 0x23,
      );
      b = { ...records, offsets: Int32Array.from(keep), count: keep.length };
    }
    const batch: SourceBatch = { records: b, symbols: first ? sim.symbolPairs() : [] };
    first = false;
    const wait = p.onBatch(batch);
    if (wait) await wait;
  }
}

describe('pipeline', () => {
  const sim = createSimulator({ seed: 3, minutes: 20, symbols: 300, activity: 0.5 });

  it('hands every alert to the sink and counts it by type', async () => {
    const sink = collect();
    const registry = new Registry();
    const metrics = createScreenerMetrics(registry, () => 0);
    const p = new Pipeline({ sink, logger, metrics });
    await run(p, sim, false);
    expect(sink.alerts.length).toBeGreaterThan(0);
    expect(sink.alerts.length).toBe(p.engine.stats.alerts);
    const text = await registry.metrics();
    expect(text).toMatch(new RegExp(`ta_screener_tick_to_alert_seconds_count ${sink.alerts.length}`));
    const records = Number(/ta_screener_feed_records_total (\d+)/.exec(text)?.[1]);
    expect(records).toBe(p.engine.stats.records);
  });

  it('loads the reference from the database when the stream has no daily bars, before the first session record', async () => {
    const withHistory = collect();
    await run(new Pipeline({ sink: withHistory, logger }), sim, false);

    // the reference the simulator's own daily bars imply, served as daily_reference would
    const ref = new Pipeline({ sink: collect(), logger });
    await run(ref, sim, false);
    const st = ref.engine.st;
    const rows: Array<readonly [string, { prevClose: string; avgVolume: number }]> = [];
    for (let s = 0; s < ref.engine.stats.symbols; s++) {
      rows.push([st.tickers[s]!, { prevClose: (st.prevClose[s]! / 1e9).toFixed(9), avgVolume: 0 }]);
    }
    const dates: string[] = [];
    const load: ReferenceLoader = async (date) => {
      dates.push(date);
      return rows;
    };
    const without = collect();
    await run(new Pipeline({ sink: without, logger, loadReference: load }), sim, true);
    expect(dates).toEqual([sim.plan.date]);
    const gaps = (xs: Alert[]) =>
      xs
        .filter((a) => a.type.startsWith('gap_'))
        .map((a) => a.dedupe_key)
        .sort();
    expect(gaps(without.alerts).length).toBeGreaterThan(0);
    expect(gaps(without.alerts)).toEqual(gaps(withHistory.alerts));
  });

  it('does not ask the database when the stream brings its own history', async () => {
    let calls = 0;
    const p = new Pipeline({
      sink: collect(),
      logger,
      loadReference: async () => {
        calls++;
        return [];
      },
    });
    await run(p, sim, false);
    expect(calls).toBe(0);
  });
});
