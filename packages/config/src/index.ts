export { EnvError, type EnvIssue, formatEnvIssues } from './env-error.ts';
export type { DatabentoSchema, Shard } from './fields.ts';
export { DATABENTO_SCHEMAS, LOG_LEVELS } from './fields.ts';
export { LOCAL_DEV_TWILIO_AUTH_TOKEN } from './groups.ts';
export { launcherEnv } from './launcher-env.ts';
export {
  type Env,
  type EnvContext,
  type EnvSchema,
  type EnvSource,
  exitOnEnvError,
  inferProfile,
  loadEnv,
  PROFILES,
  type Profile,
} from './load-env.ts';
export { isSecretName, redactEnv, redactUrl, redactValue } from './redact.ts';
export { SCREENER_HEALTH_PORT, screenerEnv } from './screener-env.ts';
export { webEnv } from './web-env.ts';
export { WORKFLOW_WORKER_HEALTH_PORT, workflowWorkerEnv } from './workflow-worker-env.ts';
