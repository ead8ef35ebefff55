// `npm run demo`: starts PostgreSQL, the Temporal dev server, both workers and the dashboard.
// DATABASE_URL / TEMPORAL_ADDRESS point it at servers that already run instead of starting them.
import { z } from 'zod';
import { hostPort, int, opt, port, postgresUrl } from './fields.ts';
import { defineEnv, localDataDir, logging } from './groups.ts';
import { SCREENER_HEALTH_PORT } from './screener-env.ts';
import { WORKFLOW_WORKER_HEALTH_PORT } from './workflow-worker-env.ts';

export const launcherEnv = defineEnv('demo launcher', (ctx) => ({
  ...logging(),
  ...localDataDir(),
  DATABASE_URL: opt(ctx.requireWhen('DATABASE_URL', ctx.profile === 'cloud', 'cloud profile'), postgresUrl()),
  TEMPORAL_ADDRESS: opt(
    ctx.requireWhen('TEMPORAL_ADDRESS', ctx.profile === 'cloud', 'cloud profile'),
    hostPort(),
  ),
  TEMPORAL_CLI: z.string().min(1).optional(),
  POSTGRES_PORT: port().default(54329),
  TEMPORAL_PORT: port().default(7233),
  TEMPORAL_UI_PORT: port().default(8233),
  WEB_PORT: port().default(3000),
  SCREENER_HEALTH_PORT: port().default(SCREENER_HEALTH_PORT),
  WORKFLOWS_HEALTH_PORT: port().default(WORKFLOW_WORKER_HEALTH_PORT),
  /** `dev` runs `next dev`; `prod` runs `next build` (when sources changed) and `next start`. */
  DEMO_WEB_MODE: z.enum(['dev', 'prod'], { error: 'expected dev or prod' }).default('dev'),
  DEMO_STARTUP_TIMEOUT_SECONDS: int(5, 3600).default(240),
}));
