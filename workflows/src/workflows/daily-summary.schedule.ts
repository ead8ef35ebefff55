// The Temporal Schedule that starts `dailySummary` at 16:10 New York time, Monday to Friday
// (holidays are skipped by the workflow, which knows the exchange calendar). Run by the worker at
// start-up: creating it again is a no-op apart from bringing an existing schedule's spec up to
// date, so a changed time or task queue reaches the server on the next deploy.
// Client code, not workflow code: the worker bundle never imports this file.
import type { Client, ScheduleOptions } from '@temporalio/client';
import { DAILY_SUMMARY_SCHEDULE_ID, type DailySummaryInput, WORKFLOW_TYPES } from '../contract.ts';
import { ensureSchedule } from './ensure-schedule.ts';

export const DAILY_SUMMARY_TIME_ZONE = 'America/New_York';

export function dailySummaryScheduleOptions(taskQueue: string): ScheduleOptions {
  const args: [DailySummaryInput] = [{}];
  return {
    scheduleId: DAILY_SUMMARY_SCHEDULE_ID,
    spec: {
      // Ten minutes after the regular close, so late fills reported by SMS are in.
      calendars: [
        {
          hour: 16,
          minute: 10,
          dayOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
          comment: 'after the close, New York time',
        },
      ],
      timezone: DAILY_SUMMARY_TIME_ZONE,
    },
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPES.dailySummary,
      workflowId: 'daily-summary',
      args,
      taskQueue,
      workflowExecutionTimeout: '2h',
    },
    policies: {
      overlap: 'SKIP',
      // A worker or server outage of up to a few hours still sends that day's summary.
      catchupWindow: '4h',
    },
  };
}

/** Creates the schedule, or brings an existing one up to date. Returns which happened. */
export function ensureDailySummarySchedule(
  client: Client,
  taskQueue: string,
): Promise<'created' | 'updated'> {
  return ensureSchedule(client, dailySummaryScheduleOptions(taskQueue));
}
