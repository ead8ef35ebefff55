// The nightly data retention (dataRetention workflow): deletes what the database's retention
// functions say is old, one batch per statement until a batch deletes nothing, so no transaction
// holds locks on (or writes WAL for) more than one batch. The functions themselves decide what may
// go (supabase/migrations: purge_old_alerts_batch keeps rule alerts and alerts a trade or a delivery
// refers to; purge_old_intraday_bars_batch). The activity heartbeats its running count after each
// batch: a retry on another worker after a restart starts from there instead of from zero (the
// deletes themselves need no resuming: the next batch simply finds what is still old).
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Db } from '@tradeassist/db';
import { z } from 'zod';

/** What may be purged, and the SQL function that deletes one batch of it. */
export const RETENTION_TABLES = ['alerts', 'intraday_bars'] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

/** Batch sizes: the SQL functions' own defaults (a few hundred ms of work per batch). */
export const DEFAULT_BATCH_SIZES: Readonly<Record<RetentionTable, number>> = {
  alerts: 5000,
  intraday_bars: 50_000,
};

export interface RetentionLogger {
  info(obj: object, msg: string): void;
}

export interface RetentionDeps {
  sql: Db;
  /** Days each table keeps (ALERT_RETENTION_DAYS, INTRADAY_BAR_RETENTION_DAYS). */
  retentionDays: Readonly<Record<RetentionTable, number>>;
  /** Rows per batch (tests use small ones); default DEFAULT_BATCH_SIZES. */
  batchSizes?: Partial<Record<RetentionTable, number>>;
  logger: RetentionLogger;
}

export interface PurgeInput {
  table: RetentionTable;
}

export interface PurgeOutcome {
  table: RetentionTable;
  olderThanDays: number;
  /** Rows deleted, including those of earlier attempts of this activity. */
  deleted: number;
  /** Batches that deleted something. */
  batches: number;
}

const inputSchema = z.object({ table: z.enum(RETENTION_TABLES) });
const progressSchema = z.object({
  deleted: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
});
const countSchema = z.object({ n: z.number().int().nonnegative() });

/** One batch: the function's own statement, committed on its own (no surrounding transaction). */
async function purgeBatch(sql: Db, table: RetentionTable, days: number, size: number): Promise<number> {
  const rows =
    table === 'alerts'
      ? await sql`select public.purge_old_alerts_batch(${days}::integer, ${size}::integer) as n`
      : await sql`select public.purge_old_intraday_bars_batch(${days}::integer, ${size}::integer) as n`;
  return countSchema.parse(rows[0]).n;
}

export function createRetentionActivities(deps: RetentionDeps) {
  const { sql } = deps;
  return {
    async purgeOldRows(input: PurgeInput): Promise<PurgeOutcome> {
      const parsed = inputSchema.safeParse(input);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(
          `bad purgeOldRows input ${JSON.stringify(input)}: ${parsed.error.message}`,
          'BadInput',
        );
      }
      const { table } = parsed.data;
      const olderThanDays = deps.retentionDays[table];
      const batchSize = deps.batchSizes?.[table] ?? DEFAULT_BATCH_SIZES[table];
      const ctx = Context.current();
      // A previous attempt's progress (worker restart, heartbeat timeout): keep counting from it.
      const resumed = progressSchema.safeParse(ctx.info.heartbeatDetails);
      let { deleted, batches } = resumed.success ? resumed.data : { deleted: 0, batches: 0 };
      for (;;) {
        if (ctx.cancellationSignal.aborted) {
          throw new CancelledFailure(`purge of ${table} cancelled after ${deleted} rows`);
        }
        const n = await purgeBatch(sql, table, olderThanDays, batchSize);
        if (n === 0) break;
        deleted += n;
        batches += 1;
        ctx.heartbeat({ deleted, batches });
      }
      const outcome = { table, olderThanDays, deleted, batches };
      deps.logger.info({ ...outcome, batchSize, resumed: resumed.success }, 'retention purge done');
      return outcome;
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
