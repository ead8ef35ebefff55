// Every workflow the worker registers (the worker bundles this file; activities are imported by
// workflows as types only).

export { alertNotification } from './alert-notification.workflow.ts';
export { conversation } from './conversation.workflow.ts';
export { dailySummary } from './daily-summary.workflow.ts';
export { dataRetention } from './data-retention.workflow.ts';
export { alertDigest } from './digest.workflow.ts';
export { ping } from './ping.workflow.ts';
export { tradeLifecycle } from './trade-lifecycle.workflow.ts';
