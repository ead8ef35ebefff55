// A price trigger crossed by a trade: marks the `price_triggers` row fired (fired_at, fired_price,
// active = false) and appends the trade's journal event (`trade_events`, kind 'trigger_fired'), both
// in one transaction that only proceeds while the row is still active. So the pair happens exactly
// once per trigger, however often the same cross is seen (a replay after a crash, a reload racing a
// fire): the second time the update matches no row and nothing is written.
//
// Writes are queued and retried with back-off while the database is away; they never block the feed.
// A fire still unrecorded at shutdown stays active in the table and fires again on the next run.
//
// After the commit, the trade's workflow is told (`triggerCrossed`, createTemporalTradeSignal):
// best effort, retried in the background, never holding up the next write. A signal that never
// arrives (Temporal away, the process killed) loses nothing: the trade workflow reads its fired
// triggers on a slow timer and acts on those it has not seen.
import { Connection, Client as TemporalClient, WorkflowNotFoundError } from '@temporalio/client';
import type { TemporalConnectionOptions } from '@tradeassist/config/temporal-connection';
import type { Db } from '@tradeassist/db';
import type { Logger } from '@tradeassist/runtime/logger';
import type { TriggerEvent } from '@tradeassist/screener';
import {
  type TriggerCrossedSignal,
  tradeWorkflowId,
  triggerCrossedSignal,
} from '@tradeassist/workflows/client';

export interface FiredTrigger {
  id: string;
  trade_id: string | null;
  user_id: string;
  kind: string;
}

/**
 * Where the Temporal signal to the trade's workflow goes once workflows exist (`tradeWorkflowId`,
 * signal `triggerCrossed`): called after the row commits, exactly once per trigger.
 */
export type TradeWorkflowSignal = (trigger: FiredTrigger, event: TriggerEvent) => Promise<void>;

export class TriggerRecorder {
  private queue: TriggerEvent[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private retryMs = 100;
  private wake: (() => void) | undefined;
  private readonly signalling = new Set<Promise<void>>();

  constructor(
    private readonly sql: Db,
    private readonly logger: Logger,
    private readonly signalWorkflow: TradeWorkflowSignal = async () => {},
  ) {}

  record(e: TriggerEvent): void {
    this.queue.push(e);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      const e = this.queue[0]!;
      try {
        const fired = await this.write(e);
        this.queue.shift();
        this.retryMs = 100;
        if (fired) {
          this.logger.info(
            { trigger_id: e.id, symbol: e.symbol, level: e.level, price: e.price },
            'price trigger fired',
          );
          // Not awaited: the signal retries on its own time and must not hold up the next write.
          const p = this.signalWorkflow(fired, e)
            .catch((err) => this.logger.error({ err, trigger_id: e.id }, 'trade workflow signal failed'))
            .finally(() => this.signalling.delete(p));
          this.signalling.add(p);
        } else
          this.logger.info({ trigger_id: e.id }, 'price trigger already fired or inactive: nothing written');
      } catch (err) {
        if (this.closed) return;
        this.logger.warn(
          { err, trigger_id: e.id, retry_ms: this.retryMs },
          'cannot record trigger fire; retrying',
        );
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.retryMs);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        this.retryMs = Math.min(this.retryMs * 2, 5_000);
      }
    }
  }

  private async write(e: TriggerEvent): Promise<FiredTrigger | null> {
    const at = nsToIso(e.ts_event);
    return this.sql.begin(async (tx) => {
      const rows = await tx<FiredTrigger[]>`
        update public.price_triggers
           set active = false, fired_at = ${at}::timestamptz, fired_price = ${e.price}::numeric
         where id = ${e.id} and active
        returning id, trade_id, user_id, kind`;
      const row = rows[0];
      if (!row) return null;
      if (row.trade_id !== null) {
        const data = {
          trigger_id: row.id,
          trigger_kind: row.kind,
          symbol: e.symbol,
          direction: e.direction,
          level: e.level,
          price: e.price,
          ts_event: e.ts_event,
        };
        await tx`
          insert into public.trade_events (trade_id, user_id, kind, at, data)
          values (${row.trade_id}, ${row.user_id}, 'trigger_fired', ${at}::timestamptz, ${tx.json(data)})`;
      }
      return row;
    }) as Promise<FiredTrigger | null>;
  }

  /** Waits for the queued writes up to the deadline; what is left is logged (it fires again next run). */
  async close(deadlineMs: number): Promise<void> {
    if (this.running || this.signalling.size > 0) {
      let t: NodeJS.Timeout | undefined;
      const work = (async () => {
        await this.running;
        await Promise.all([...this.signalling]);
      })();
      await Promise.race([work, new Promise((r) => (t = setTimeout(r, deadlineMs)))]);
      clearTimeout(t);
    }
    this.closed = true;
    this.wake?.();
    if (this.queue.length > 0)
      this.logger.error(
        { triggers: this.queue.map((e) => e.id) },
        'trigger fires not recorded at shutdown: they stay active and fire again on the next run',
      );
  }
}

/** UTC nanoseconds (decimal string) -> ISO time with microseconds (Postgres' precision). */
export function nsToIso(ns: string): string {
  const big = BigInt(ns);
  const ms = Number(big / 1_000_000n);
  const micros = Number((big / 1_000n) % 1_000n);
  return new Date(ms).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

export interface TemporalTradeSignalOptions {
  /** From temporalConnectionOptions(env) (packages/config). */
  temporal: TemporalConnectionOptions;
  logger: Logger;
  /** Attempts per signal (the first included); back-off doubles from `firstRetryMs`. */
  attempts?: number;
  firstRetryMs?: number;
  /** Per connection attempt. */
  connectTimeoutMs?: number;
}

export interface TemporalTradeSignal {
  signal: TradeWorkflowSignal;
  close(): Promise<void>;
}

/**
 * Signals `triggerCrossed` to `trade-<trade_id>` through the Temporal client. Connects lazily (the
 * screener starts and screens without Temporal) and reconnects after a failure; each signal is
 * retried with back-off, then given up with an error log (the workflow's own check still finds
 * the fired trigger). A trade whose workflow is gone is not retried.
 */
export function createTemporalTradeSignal(opts: TemporalTradeSignalOptions): TemporalTradeSignal {
  const attempts = opts.attempts ?? 6;
  const firstRetryMs = opts.firstRetryMs ?? 500;
  let client: Promise<TemporalClient> | undefined;
  let connection: Connection | undefined;
  let closed = false;
  const sleepers = new Set<() => void>();

  const connect = (): Promise<TemporalClient> => {
    client ??= (async () => {
      const { namespace, ...options } = opts.temporal;
      const c = await Connection.connect({ ...options, connectTimeout: opts.connectTimeoutMs ?? 5_000 });
      connection = c;
      return new TemporalClient({ connection: c, namespace });
    })().catch((err: unknown) => {
      client = undefined;
      throw err;
    });
    return client;
  };

  async function signal(trigger: FiredTrigger, e: TriggerEvent): Promise<void> {
    if (trigger.trade_id === null) return; // a custom level: no trade workflow to tell
    const kind = trigger.kind === 'stop' || trigger.kind === 'target' ? trigger.kind : 'custom';
    const payload: TriggerCrossedSignal = {
      triggerId: trigger.id,
      kind,
      level: e.level,
      price: e.price,
      tsEvent: e.ts_event,
    };
    const workflowId = tradeWorkflowId(trigger.trade_id);
    for (let attempt = 1; ; attempt++) {
      try {
        const c = await connect();
        await c.workflow.getHandle(workflowId).signal(triggerCrossedSignal, payload);
        opts.logger.info({ trigger_id: trigger.id, workflow_id: workflowId }, 'trade workflow signalled');
        return;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) {
          opts.logger.warn(
            { trigger_id: trigger.id, workflow_id: workflowId },
            'no running trade workflow to signal',
          );
          return;
        }
        if (closed || attempt >= attempts) {
          opts.logger.error(
            { err, trigger_id: trigger.id, workflow_id: workflowId, attempts: attempt },
            'trade workflow not signalled; its fired-trigger check will find the cross',
          );
          return;
        }
        const delay = firstRetryMs * 2 ** (attempt - 1);
        opts.logger.warn(
          { err: (err as Error).message, trigger_id: trigger.id, retry_ms: delay },
          'signal failed; retrying',
        );
        // Unref'd and cut short by close(): a retry never holds the process up at shutdown.
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            sleepers.delete(wake);
            resolve();
          };
          const t = setTimeout(wake, delay);
          t.unref();
          sleepers.add(wake);
        });
      }
    }
  }

  return {
    signal,
    async close() {
      closed = true;
      for (const wake of [...sleepers]) wake();
      await connection?.close().catch(() => {});
    },
  };
}
