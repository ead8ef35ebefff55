// The workflow worker's environment, validated once at start-up (packages/config workflowWorkerEnv).
import { exitOnEnvError, loadEnv, workflowWorkerEnv } from '@tradeassist/config';

export const env = exitOnEnvError(() => loadEnv(workflowWorkerEnv));
export type WorkflowWorkerEnv = typeof env;
