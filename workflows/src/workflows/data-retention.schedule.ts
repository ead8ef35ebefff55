// The Temporal Schedule that starts `dataRetention` at 03:30 New York time every day: after the
// evening session (20:00) and before the pre-market (04:00), when nothing writes alerts or bars.
// Run by the worker at start-up like the daily summary's: creating it again only brings an
// existing schedule's spec, action and policies up to date.
// Client code, not workflow code: the worker bundle never imports this file.
import type { Client, ScheduleOptions } from '@temporalio/client';
import { DATA_RETENTION_SCHEDULE_ID, WORKFLOW_TYPES } from '../contract.ts';
import { ensureSchedule } from './ensure-schedule.ts';

export const DATA_RETENTION_TIME_ZONE = 'America/New_York';

export function dataRetentionScheduleOptions(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: DATA_RETENTION_SCHEDULE_ID,
    spec: {
      calendars: [{ hour: 3, minute: 30, comment: 'nightly, between the sessions, New York time' }],
      timezone: DATA_RETENTION_TIME_ZONE,
    },
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPES.dataRetention,
      workflowId: 'data-retention',
      args: [],
      taskQueue,
      workflowExecutionTimeout: '3h',
    },
    policies: {
      // A purge still running (a huge backlog) is not joined by a second one.
      overlap: 'SKIP',
      // A missed night costs nothing (the next one purges both days): catch up only briefly,
      // so that a late run does not land in the pre-market.
      catchupWindow: '30m',
    },
  };
}

/** Creates the schedule, or brings an existing one up to date. Returns which happened. */
export function ensureDataRetentionSchedule(
  client: Client,
  taskQueue: string,
): Promise<'created' | 'updated'> {
  return ensureSchedule(client, dataRetentionScheduleOptions(taskQueue));
}
