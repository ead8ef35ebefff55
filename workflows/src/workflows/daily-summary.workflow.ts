// dailySummary: started by the Temporal Schedule DAILY_SUMMARY_SCHEDULE_ID at 16:10 New York time,
// Monday to Friday. Exchange holidays are weekdays too, so the workflow checks the calendar itself
// and sends nothing on a day the market was closed. Each trader's SMS is its own activity (keyed
// `summary-<date>-<user id>`): a retry or a re-run of the same day sends nothing twice.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { etDateOf, tradingDayInfo } from '@tradeassist/core/calendar';
import type { SummaryActivities } from '../activities/summary.activities.ts';
import type { DailySummaryInput } from '../contract.ts';

const { listSummaryRecipients, sendDailySummary } = proxyActivities<SummaryActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 },
});

/** Traders summarised at once: the outbox and the database see a bounded number of sends. */
const CONCURRENCY = 10;

export interface DailySummaryResult {
  date: string;
  skipped: string | null;
  recipients: number;
  sent: number;
  failed: number;
}

export async function dailySummary(input: DailySummaryInput = {}): Promise<DailySummaryResult> {
  // Workflow time is deterministic; a scheduled run's start time is the schedule's 16:10.
  const date = input.date ?? etDateOf(Math.floor(workflowInfo().runStartTime.getTime() / 1000));
  const day = tradingDayInfo(date);
  if (!day.isTradingDay) {
    return { date, skipped: day.holiday ?? 'weekend', recipients: 0, sent: 0, failed: 0 };
  }
  const users = await listSummaryRecipients({ date });
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < users.length; i += CONCURRENCY) {
    const batch = users.slice(i, i + CONCURRENCY);
    // One trader's failure (after its retries) does not cost the others their summary.
    const outcomes = await Promise.allSettled(batch.map((userId) => sendDailySummary({ date, userId })));
    for (const o of outcomes) {
      if (o.status === 'fulfilled' && o.value.sent && !o.value.duplicate) sent++;
      else if (o.status === 'rejected') failed++;
    }
  }
  return { date, skipped: null, recipients: users.length, sent, failed };
}
