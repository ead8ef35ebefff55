// Starts the one `alertNotification` of an alert. The workflow id is the alert id and the reuse
// policy rejects a second start even after the first run completed, so however many times the
// dispatcher (or two of them, or a restart) offers the same alert, one workflow handles it.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { type AlertNotificationInput, alertNotificationWorkflowId, WORKFLOW_TYPES } from '../contract.ts';

/** 'started', or 'duplicate' when a workflow for this alert exists or existed. */
export async function startAlertNotification(
  client: Client,
  taskQueue: string,
  alertId: string,
): Promise<'started' | 'duplicate'> {
  const args: [AlertNotificationInput] = [{ alertId }];
  try {
    await client.workflow.start(WORKFLOW_TYPES.alertNotification, {
      workflowId: alertNotificationWorkflowId(alertId),
      taskQueue,
      args,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // An alert that could not be told within an hour is no longer news.
      workflowExecutionTimeout: '1h',
    });
    return 'started';
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return 'duplicate';
    throw e;
  }
}
