// dataRetention: started by the Temporal Schedule DATA_RETENTION_SCHEDULE_ID every night at 03:30
// New York time, when the screener is idle. Purges old market-wide alerts, then old intraday bars;
// each is one activity that deletes batch by batch and heartbeats, so a worker restart mid-purge
// resumes on another worker (heartbeatTimeout) instead of waiting out the whole start-to-close.
import { proxyActivities } from '@temporalio/workflow';
import type { PurgeOutcome, RetentionActivities } from '../activities/retention.activities.ts';

const { purgeOldRows } = proxyActivities<RetentionActivities>({
  // A night's worth of intraday bars is a few million rows: tens of batches of a second or so.
  startToCloseTimeout: '1h',
  // Heartbeats come after each batch; a batch that takes this long means the worker is gone.
  heartbeatTimeout: '5m',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 5 },
});

export interface DataRetentionResult {
  alerts: PurgeOutcome;
  intradayBars: PurgeOutcome;
}

export async function dataRetention(): Promise<DataRetentionResult> {
  // One after the other: the two purges would only compete for the same disk.
  const alerts = await purgeOldRows({ table: 'alerts' });
  const intradayBars = await purgeOldRows({ table: 'intraday_bars' });
  return { alerts, intradayBars };
}
