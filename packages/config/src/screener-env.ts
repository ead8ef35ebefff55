// The screener worker: market data in, alerts out (CONTRACTS.md `npm run screener`).
import { z } from 'zod';
import {
  databentoApiKey,
  databentoDataset,
  databentoSchemas,
  hostPort,
  int,
  opt,
  postgresUrl,
  screenerSource,
  shard,
} from './fields.ts';
import { defineEnv, healthServer, localDataDir, logging, supabase, temporal } from './groups.ts';

export const SCREENER_HEALTH_PORT = 9464;

export const screenerEnv = defineEnv('screener worker', (ctx) => {
  const cloud = ctx.profile === 'cloud';
  const source =
    ctx.raw('SCREENER_SOURCE') ?? (cloud || ctx.has('DATABENTO_API_KEY') ? 'databento' : 'sim:42');
  // `--sink stdout` (or SCREENER_SINK=stdout) prints alerts and needs no database.
  const sink = ctx.raw('SCREENER_SINK') ?? 'db';
  return {
    ...logging(),
    DATABASE_URL: opt(
      ctx.requireWhen('DATABASE_URL', sink !== 'stdout', 'SCREENER_SINK is db'),
      postgresUrl(),
    ),
    DATABASE_POOL_MAX: int(1, 1000).default(4),
    SCREENER_SINK: z.enum(['db', 'stdout'], { error: 'expected db or stdout' }).default('db'),
    ...supabase(ctx, { anon: false, serviceRole: false }),
    ...temporal(ctx),
    ...healthServer(ctx, SCREENER_HEALTH_PORT),
    ...localDataDir(),
    SCREENER_SOURCE: screenerSource().default(source),
    SCREENER_SHARD: shard().default({ index: 0, count: 1 }),
    /**
     * Minutes of pre-market a `sim:` source starts with (the simulator's default: 15, from 9:15).
     * The demo starts closer to the open, so its feed has alerts within minutes.
     */
    SIM_PRE_MARKET_MINUTES: int(0, 330, 'a number of minutes').optional(),
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
