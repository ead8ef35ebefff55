// alertDigest (id `digest-<user id>`): collects the alerts that arrive for one trader in a burst and
// sends them as one SMS. The first alert of a burst went out on its own (delivery policy); every
// alert that follows within the window is signalled here (signal-with-start), and the window's
// timer is a Temporal timer, so the digest survives worker restarts and replays deterministically.
// Alerts signalled while the message is being sent start the next round; the run ends when a round
// sent and nothing new came, and the next burst starts a fresh run under the same id.
import { condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notifications.activities.ts';
import { type AlertDigestInput, digestAlertSignal } from './digest-contract.ts';

const { sendDigestSms } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

export const DIGEST_WINDOW_MS = 60_000;
/** A run carries at most this many rounds before the next burst starts a fresh run (history size). */
const MAX_ROUNDS = 20;

export interface AlertDigestResult {
  messages: number;
  alerts: number;
}

export async function alertDigest(input: AlertDigestInput): Promise<AlertDigestResult> {
  const windowMs = input.windowMs ?? DIGEST_WINDOW_MS;
  const seen = new Set<string>();
  let pending: string[] = [];
  setHandler(digestAlertSignal, ({ alertId }) => {
    // A re-delivered signal (an activity retried after signalling) adds nothing.
    if (seen.has(alertId)) return;
    seen.add(alertId);
    pending.push(alertId);
  });

  const result: AlertDigestResult = { messages: 0, alerts: 0 };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // signal-with-start delivers the first signal with the start; wait for it all the same.
    if (!(await condition(() => pending.length > 0, windowMs))) break;
    await sleep(windowMs);
    const batch = pending;
    pending = [];
    const sent = await sendDigestSms({ userId: input.userId, alertIds: batch });
    if (sent.status !== 'skipped') result.messages++;
    result.alerts += batch.length;
    if (pending.length === 0) break;
  }
  // Signals that arrived during the last round's send are still sent, in one more message.
  if (pending.length > 0) {
    await sendDigestSms({ userId: input.userId, alertIds: pending });
    result.messages++;
    result.alerts += pending.length;
  }
  return result;
}
