// Creating a Temporal Schedule at worker start-up, idempotently: created the first time; after
// that the existing schedule's spec, action and policies are brought up to date, so a changed time
// or task queue reaches the server on the next deploy. Client code: the workflow bundle never
// imports it.
import { type Client, ScheduleAlreadyRunning, type ScheduleOptions } from '@temporalio/client';

export async function ensureSchedule(
  client: Client,
  options: ScheduleOptions,
): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  await client.schedule.getHandle(options.scheduleId).update((prev) => ({
    ...prev,
    spec: options.spec,
    action: options.action,
    policies: { ...prev.policies, ...options.policies },
  }));
  return 'updated';
}
