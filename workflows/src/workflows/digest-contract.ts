// The per-user alert digest: its workflow id, type, input and signal, shared by the digest workflow
// and the activity that signals it (signal-with-start). Free of Node APIs: workflows import it.
import { defineSignal } from '@temporalio/workflow';

/** One digest collector per trader at a time; a new run starts after the previous one sent. */
export const digestWorkflowId = (userId: string): string => `digest-${userId}`;
export const DIGEST_WORKFLOW_TYPE = 'alertDigest';

export interface AlertDigestInput {
  userId: string;
  /** How long to collect after the first alert before the one SMS goes out. */
  windowMs?: number;
}

export interface DigestAlertSignal {
  /** alerts.id (decimal string) whose SMS delivery row waits in this digest. */
  alertId: string;
}
export const digestAlertSignal = defineSignal<[DigestAlertSignal]>('digestAlert');

/** The SMS idempotency key of one digest message: the user and the smallest alert id in it. */
export const digestSmsKey = (userId: string, alertIds: readonly string[]): string => {
  const first = [...alertIds].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0];
  return `digest-${userId}-${first}`;
};
