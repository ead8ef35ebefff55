// alertNotification (id `alert-<alert id>`, started once per alert by the dispatcher): plan who gets
// the alert on which channel (the delivery policy, recorded in alert_deliveries), then send each
// delivery: SMS on its own, SMS through the trader's digest, or web push. Each send is its own
// activity, retried on its own, so a slow push service does not hold back an SMS and one trader's
// failure does not stop the others'.
import { log, proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notifications.activities.ts';
import type { AlertNotificationInput } from '../contract.ts';

const { planAlertNotification, enqueueDigest } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

// An alert is worth little after a few minutes: retries stop well before it is stale.
const { sendAlertSms, sendAlertPush } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '5m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

export interface AlertNotificationResult {
  planned: number;
  sms: number;
  digested: number;
  push: number;
  failed: number;
}

export async function alertNotification(input: AlertNotificationInput): Promise<AlertNotificationResult> {
  const planned = await planAlertNotification(input);
  const result: AlertNotificationResult = {
    planned: planned.length,
    sms: 0,
    digested: 0,
    push: 0,
    failed: 0,
  };
  const outcomes = await Promise.allSettled(
    planned.map(async (d) => {
      const args = { alertId: input.alertId, userId: d.userId };
      if (d.channel === 'push') {
        const r = await sendAlertPush(args);
        if (r.status === 'sent') result.push++;
        else result.failed++;
      } else if (d.mode === 'digest') {
        await enqueueDigest(args);
        result.digested++;
      } else {
        const r = await sendAlertSms(args);
        if (r.status === 'failed' || r.status === 'undelivered') result.failed++;
        else result.sms++;
      }
    }),
  );
  for (const o of outcomes) {
    if (o.status === 'rejected') {
      result.failed++;
      log.warn('delivery failed after retries', { alertId: input.alertId, error: String(o.reason) });
    }
  }
  return result;
}
