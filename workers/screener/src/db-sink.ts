// Alerts into Postgres through packages/db's AlertWriter (batched, idempotent on dedupe_key, spooled
// to disk while the database is away, the spool replayed first on restart).
//
// Full-queue policy (the writer holds `capacity` alerts in memory, then push() says 'full'):
// - the alert is kept, in order, in an overflow list and re-pushed as soon as the writer drains;
// - a finite source (replay, sim) is paused on afterBatch() until the overflow is empty: nothing
//   is lost (the overflow then holds at most one batch's alerts), the replay just runs at the
//   speed of the database;
// - a live source is never paused (decoding must keep up with the market): the overflow grows up to
//   OVERFLOW_MAX alerts; past that, alerts are shed, each one counted in
//   ta_screener_alerts_shed_total and logged at error level (the dedupe_key of the first 100, then
//   every 1000th with the running total): never silently.
import type { Alert } from '@tradeassist/core/alert';
import { AlertWriter, type Db } from '@tradeassist/db';
import type { Logger } from '@tradeassist/runtime/logger';
import type { AlertSink } from './alert-sink.ts';
import type { ScreenerMetrics } from './metrics.ts';

export const OVERFLOW_MAX = 500_000;

export interface DbSinkOptions {
  sql: Db;
  spoolDir: string;
  logger: Logger;
  metrics?: ScreenerMetrics;
  /** Pause a finite source while the writer is full (see above). */
  finite: boolean;
  capacity?: number;
  /** Alerts held beyond a full writer before a live source sheds (default OVERFLOW_MAX). */
  overflowMax?: number;
}

export class DbSink implements AlertSink {
  readonly writer: AlertWriter;
  private overflow: Alert[] = [];
  private draining: Promise<void> | undefined;
  private shedLogged = 0;

  constructor(private readonly o: DbSinkOptions) {
    const m = o.metrics;
    this.writer = new AlertWriter({
      sql: o.sql,
      spoolDir: o.spoolDir,
      // kill -9 loses at most what is still in memory; the restart's replay re-finds it anyway
      durable: true,
      ...(o.capacity !== undefined ? { capacity: o.capacity } : {}),
      logger: o.logger.child({ component: 'alert-writer' }),
      onInvalid: (input, reason) => {
        m?.alertsInvalid.inc();
        o.logger.error({ alert: input, reason }, 'alert refused by the writer (invalid)');
      },
      onStateChange: (state) => o.logger.info({ state }, 'alert writer state'),
      ...(m
        ? {
            onCommit: (info) => {
              if (!info.latencyMs) return;
              for (let i = 0; i < info.latencyMs.length; i++)
                m.alertToCommit.observe(info.latencyMs[i]! / 1000);
            },
          }
        : {}),
    });
  }

  push(alert: Alert): void {
    if (this.overflow.length > 0) {
      this.hold(alert);
      return;
    }
    if (this.writer.push(alert) === 'full') this.hold(alert);
  }

  private hold(alert: Alert): void {
    if (!this.o.finite && this.overflow.length >= (this.o.overflowMax ?? OVERFLOW_MAX)) {
      this.o.metrics?.alertsShed.inc();
      // one line per shed alert would flood the log at exactly the wrong time: the first 100, then
      // one in 1000, each with the running total
      this.shedLogged++;
      if (this.shedLogged <= 100 || this.shedLogged % 1000 === 0)
        this.o.logger.error(
          { dedupe_key: alert.dedupe_key, shed_total: this.shedLogged },
          'alert shed: the database is not keeping up and the overflow is full',
        );
      return;
    }
    this.overflow.push(alert);
  }

  afterBatch(): Promise<void> | undefined {
    if (this.overflow.length === 0) return undefined;
    if (!this.draining) {
      this.draining = this.drainOverflow().finally(() => {
        this.draining = undefined;
      });
    }
    return this.o.finite ? this.draining : undefined;
  }

  private async drainOverflow(): Promise<void> {
    let i = 0;
    while (i < this.overflow.length) {
      await this.writer.drained();
      while (i < this.overflow.length && this.writer.push(this.overflow[i]!) !== 'full') i++;
    }
    this.overflow = [];
  }

  queueDepth(): number {
    return this.writer.queueDepth + this.overflow.length;
  }

  async close(deadlineMs: number): Promise<void> {
    const t0 = performance.now();
    if (this.overflow.length > 0) {
      const d = this.afterBatch() ?? this.draining;
      await Promise.race([d, new Promise((r) => setTimeout(r, deadlineMs / 2).unref())]);
    }
    if (this.overflow.length > 0) {
      this.o.logger.error(
        { alerts: this.overflow.length },
        'alerts still in overflow at shutdown: not written',
      );
    }
    await this.writer.close({ deadlineMs: Math.max(100, deadlineMs - (performance.now() - t0)) });
    this.o.logger.info(
      { committed: this.writer.committed, inserted: this.writer.inserted },
      'alert writer closed',
    );
  }
}
