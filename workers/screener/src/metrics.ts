// The screener's Prometheus metrics (served on /metrics by the health server).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ScreenerMetrics {
  records: Counter;
  batches: Counter;
  lagSeconds: Gauge;
  tickToAlert: Histogram;
  alertToCommit: Histogram;
  alerts: Counter<'type'>;
  alertsShed: Counter;
  alertsInvalid: Counter;
  sinkQueueDepth: Gauge;
  reconnects: Counter;
  ruleErrors: Counter;
  triggersFired: Counter;
}

export function createScreenerMetrics(registry: Registry, queueDepth: () => number): ScreenerMetrics {
  const registers = [registry];
  return {
    records: new Counter({
      name: 'ta_screener_feed_records_total',
      help: 'Market-data records received from the source (rate() gives records/s)',
      registers,
    }),
    batches: new Counter({
      name: 'ta_screener_feed_batches_total',
      help: 'Source batches handled',
      registers,
    }),
    lagSeconds: new Gauge({
      name: 'ta_screener_feed_lag_seconds',
      help: 'Wall clock minus ts_recv of the last record of the last batch',
      registers,
    }),
    tickToAlert: new Histogram({
      name: 'ta_screener_tick_to_alert_seconds',
      help: 'From a batch arriving in the process to each of its alerts being handed to the sink',
      buckets: [1e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 0.1, 1],
      registers,
    }),
    alertToCommit: new Histogram({
      name: 'ta_screener_alert_commit_seconds',
      help: 'From AlertWriter.push to the commit of the alert in Postgres',
      buckets: [1e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers,
    }),
    alerts: new Counter({
      name: 'ta_screener_alerts_total',
      help: 'Alerts found, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    alertsShed: new Counter({
      name: 'ta_screener_alerts_shed_total',
      help: 'Alerts dropped because the sink stayed full past the overflow limit (logged each time)',
      registers,
    }),
    alertsInvalid: new Counter({
      name: 'ta_screener_alerts_invalid_total',
      help: 'Alerts the sink refused as not matching the alert schema (a bug: logged)',
      registers,
    }),
    sinkQueueDepth: new Gauge({
      name: 'ta_screener_alert_queue_depth',
      help: 'Alerts accepted by the sink and not yet committed (AlertWriter queue plus overflow)',
      registers,
      collect() {
        this.set(queueDepth());
      },
    }),
    reconnects: new Counter({
      name: 'ta_screener_feed_reconnects_total',
      help: 'Reconnection attempts of the live feed',
      registers,
    }),
    ruleErrors: new Counter({
      name: 'ta_screener_rule_errors_total',
      help: 'User rules (and price triggers) skipped as invalid when loaded',
      registers,
    }),
    triggersFired: new Counter({
      name: 'ta_screener_price_triggers_fired_total',
      help: 'Price triggers crossed by a trade',
      registers,
    }),
  };
}
