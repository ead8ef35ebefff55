// The screener worker: market data in, alerts out (CONTRACTS.md `npm run screener`).
import { z } from 'zod';
import {
  databentoApiKey,
  databentoDataset,
  databentoSchemas,
  hostPort,
  opt,
  screenerSource,
  shard,
} from './fields.ts';
import { database, defineEnv, healthServer, localDataDir, logging, supabase, temporal } from './groups.ts';

export const SCREENER_HEALTH_PORT = 9464;

export const screenerEnv = defineEnv('screener worker', (ctx) => {
  const cloud = ctx.profile === 'cloud';
  const source =
    ctx.raw('SCREENER_SOURCE') ?? (cloud || ctx.has('DATABENTO_API_KEY') ? 'databento' : 'sim:42');
  return {
    ...logging(),
    ...database(ctx, 4),
    ...supabase(ctx, { anon: false, serviceRole: false }),
    ...temporal(ctx),
    ...healthServer(ctx, SCREENER_HEALTH_PORT),
    ...localDataDir(),
    SCREENER_SOURCE: screenerSource().default(source),
    SCREENER_SHARD: shard().default({ index: 0, count: 1 }),
    /** Identifies this process in worker_heartbeats; defaults to host:pid. */
    SCREENER_WORKER_ID: z.string().min(1).max(200).optional(),
    DATABENTO_API_KEY: opt(
      ctx.requireWhen('DATABENTO_API_KEY', source === 'databento', 'SCREENER_SOURCE is databento'),
      databentoApiKey(),
    ),
    DATABENTO_DATASET: databentoDataset().default('EQUS.MINI'),
    DATABENTO_SCHEMAS: databentoSchemas().optional(),
    DATABENTO_GATEWAY: hostPort().optional(),
  };
});
