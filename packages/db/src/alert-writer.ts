// The AlertWriter: the screener's only way into `alerts`. `push()` is synchronous and never blocks
// the decoder; a single background loop batches the queue into idempotent inserts (insertAlerts),
// spools to disk while the database is away and replays the spool when it is back.
//
// Guarantee. Every accepted alert (push() returned 'queued' or 'spooled') gets a sequence number
// 1, 2, 3, ... in push order; `onDurable(n)` reports that every alert with sequence <= n is either
// committed in Postgres or fsynced in the spool directory, so it survives kill -9 of this process
// (and, with the fsynced directory entry, a power cut). On start the writer replays leftover spool
// files before anything else. Inserts are `on conflict (dedupe_key) do nothing`, so a replay of
// rows that did commit (a crash between commit and spool cleanup, a connection lost after the
// server committed) adds nothing: each dedupe_key is in the table exactly once.
//   durable: true (default)  each batch is appended to the spool and fsynced while its insert runs
//                            (whichever finishes first makes it durable), so the window of loss on
//                            kill -9 is only what is still in the memory queue or in flight and
//                            never yet reported by onDurable: at most `capacity` alerts plus
//                            `pipeline` batches whose fsync had not returned yet. A crash
//                            between commit and fsync leaves spooled rows that did commit (or a torn
//                            last line, skipped): the replay adds nothing for them.
//   durable: false           the spool is written only when an insert fails; kill -9 also loses
//                            the batch in flight. No fsync per batch (measured: no gain while
//                            Postgres is the bottleneck, as it is here).
// Pipelining: while the database is up, up to `pipeline` batches are in flight at once (each insert
// on its own pooled connection; in durable mode each batch's spool append runs alongside its insert,
// and appends that queue up share one fsync). Whatever order they finish in, batches settle in push
// order: onDurable, flush() and onCommit never run ahead of an earlier batch. While the database is
// down (spooling, probing, replaying) one batch at a time, as before.
// flush() waits until everything pushed before it is committed (or spooled while the database is
// down); close() flushes, then stops; close({ deadlineMs }) (SIGTERM) spools whatever is still
// pending when the deadline passes, synchronously, so a slow database cannot lose alerts at exit.
// Back-pressure: push() returns 'full' at `capacity` (the alert is NOT taken; await drained()).
// A writer whose inserts hang (no answer within insertTimeoutMs) treats the database as down.
// Invalid alerts are reported (onInvalid) and never block a batch; rows Postgres rejects (a check or
// foreign key) are isolated by bisection and reported (onRejected), the rest commit.
import { performance } from 'node:perf_hooks';
import type { Alert } from '@tradeassist/core/alert';
import { checkAlert } from './alert-check.ts';
import { insertIsolating, type Rejected } from './alert-insert.ts';
import { AlertSpool, type SpoolSegment } from './alert-spool.ts';
import type { Db } from './client.ts';
import { dbLogger, type Logger } from './log.ts';
import { withTimeout } from './timeout.ts';

export type PushResult = 'queued' | 'spooled' | 'full' | 'invalid';
export type WriterState = 'starting' | 'up' | 'down' | 'closed';

export interface CommitInfo {
  /** Alerts in the committed batch (new rows and duplicates skipped by dedupe_key). */
  count: number;
  /** Rows that were new. */
  inserted: number;
  /** Per alert: ms from push() to commit; absent for spool replays (no push time). */
  latencyMs?: Float64Array;
  fromSpool: boolean;
}

export interface AlertWriterOptions {
  sql: Db;
  /** This writer's own directory (one writer per directory). */
  spoolDir: string;
  durable?: boolean;
  /** Maximum alerts held in memory; push() returns 'full' beyond it. */
  capacity?: number;
  /** Flush as soon as this many alerts are queued... */
  batchSize?: number;
  /** ...taking up to this many at once when a backlog built up (fewer round trips under load). */
  maxBatchSize?: number;
  /** ...or when the oldest queued alert is this old. */
  flushIntervalMs?: number;
  /** Back-off between reconnection probes while the database is down. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /**
   * An insert (or probe) not answered by then counts as the database being away: the batch is
   * spooled. postgres.js can wait forever on a server that accepts TCP but never completes the
   * handshake (a pooler whose database is gone).
   */
  insertTimeoutMs?: number;
  /** Lines per spool segment before a new file starts. */
  segmentLines?: number;
  /** Batches in flight at once while the database is up (each on its own connection). */
  pipeline?: number;
  logger?: Logger;
  onCommit?: (info: CommitInfo) => void;
  onDurable?: (seq: number) => void;
  onInvalid?: (input: unknown, reason: string) => void;
  onRejected?: (alert: Alert, error: Error) => void;
  onStateChange?: (state: WriterState) => void;
}

export class AlertWriter {
  private readonly o: Required<
    Pick<
      AlertWriterOptions,
      | 'durable'
      | 'capacity'
      | 'batchSize'
      | 'maxBatchSize'
      | 'flushIntervalMs'
      | 'retryMinMs'
      | 'retryMaxMs'
      | 'segmentLines'
      | 'insertTimeoutMs'
      | 'pipeline'
    >
  > &
    AlertWriterOptions;
  private readonly log: Logger;
  private readonly spool: AlertSpool;
  private queue: Alert[] = [];
  private times: number[] = [];
  private seq = 0;
  private durableSeq = 0;
  private settledSeq = 0;
  private _state: WriterState = 'starting';
  private closing = false;
  private wake: (() => void) | undefined;
  private retryMs: number;
  private nextProbe = 0;
  private probing: Promise<void> | undefined;
  /** The batches being written (for close() past its deadline), oldest first. */
  private readonly inflight = new Set<Flight>();
  /** Settles the batches in flight in push order. */
  private tail: Promise<void> = Promise.resolve();
  /** A spool write failed (a broken disk): the loop stops on it. */
  private fatal: unknown;
  private dbBack = false;
  private readonly flushWaiters: { seq: number; resolve: () => void }[] = [];
  private drainWaiters: (() => void)[] = [];
  private readonly loop: Promise<void>;
  private _committed = 0;
  private _inserted = 0;

  constructor(opts: AlertWriterOptions) {
    this.o = {
      durable: true,
      capacity: 100_000,
      batchSize: 1_000,
      maxBatchSize: 5_000,
      flushIntervalMs: 5,
      retryMinMs: 100,
      retryMaxMs: 2_000,
      segmentLines: 20_000,
      insertTimeoutMs: 30_000,
      pipeline: 3,
      ...opts,
    };
    this.log = opts.logger ?? dbLogger('alert-writer');
    this.spool = new AlertSpool(opts.spoolDir);
    this.retryMs = this.o.retryMinMs;
    this.loop = this.run().catch((e) => {
      // The loop catches everything it expects; this is a bug or a broken disk: say so loudly.
      this.log.fatal({ err: e }, 'alert writer loop stopped');
      this.setState('closed');
    });
  }

  get state(): WriterState {
    return this._state;
  }
  /** Alerts accepted and not yet durable (in memory). */
  get queueDepth(): number {
    return this.queue.length;
  }
  /** Sequence number of the last accepted alert. */
  get accepted(): number {
    return this.seq;
  }
  get durable(): number {
    return this.durableSeq;
  }
  /** Alerts committed (new or already present) and rows actually inserted, since start. */
  get committed(): number {
    return this._committed;
  }
  get inserted(): number {
    return this._inserted;
  }

  push(input: unknown): PushResult {
    if (this.closing) throw new Error('AlertWriter.push after close()');
    if (this.queue.length >= this.o.capacity) return 'full';
    const parsed = checkAlert(input);
    if (!parsed.success) {
      this.o.onInvalid?.(input, parsed.reason);
      return 'invalid';
    }
    this.queue.push(parsed.data);
    this.times.push(performance.now());
    this.seq++;
    const n = this.queue.length;
    if (n === 1 || n === this.o.batchSize) this.poke();
    return this._state === 'down' ? 'spooled' : 'queued';
  }

  /** Resolves at once when there is room, else when the queue fell to half its capacity. */
  drained(): Promise<void> {
    if (this.queue.length < this.o.capacity) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Resolves when every alert accepted so far is committed, or spooled while the database is down. */
  flush(): Promise<void> {
    const seq = this.seq;
    if (this.settledSeq >= seq) return Promise.resolve();
    if (this._state === 'closed') return Promise.reject(new Error('AlertWriter is closed'));
    return new Promise((resolve) => {
      this.flushWaiters.push({ seq, resolve });
      this.poke();
    });
  }

  /** Flushes everything (to Postgres, or to the spool while it is down) and stops the loop. */
  /**
   * Flushes everything (to Postgres, or to the spool while it is down) and stops the loop. With a
   * deadline (SIGTERM: the process has seconds), whatever has not settled by then, the queue and
   * the batch in flight, is written to a spool file synchronously, so nothing accepted is lost; a
   * batch that still commits later is skipped by dedupe_key when the spool is replayed.
   */
  async close(opts: { deadlineMs?: number } = {}): Promise<void> {
    this.closing = true;
    this.poke();
    if (opts.deadlineMs === undefined) await this.loop;
    else {
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        this.loop.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), opts.deadlineMs);
        }),
      ]);
      clearTimeout(timer);
      if (late) this.abandon();
    }
    this.spool.unlock();
  }

  private abandon(): void {
    const pending: Alert[] = [];
    for (const f of this.inflight) if (!f.onDisk) pending.push(...f.batch);
    pending.push(...this.queue);
    this.queue = [];
    this.times = [];
    if (pending.length > 0) this.spool.appendSync(toLines(pending));
    this.markDurable(this.seq);
    this.markSettled(this.seq);
    this.log.warn(
      { alerts: pending.length, spoolDir: this.o.spoolDir },
      'close deadline: pending alerts spooled',
    );
    this.setState('closed');
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private setState(s: WriterState): void {
    if (this._state === s) return;
    this._state = s;
    this.o.onStateChange?.(s);
  }

  private async run(): Promise<void> {
    await this.replaySpool(); // leftovers of a previous run come first
    for (;;) {
      if (this.fatal !== undefined) throw this.fatal;
      const force = this.closing || this.flushWaiters.length > 0;
      if (this._state === 'down') {
        if (this.inflight.size > 0) {
          // Batches sent before the database went away settle (commit or spool) first.
          await this.tail;
          continue;
        }
        if (this.dbBack) {
          this.dbBack = false;
          await this.replaySpool();
        } else if (!this.probing && performance.now() >= this.nextProbe) this.startProbe();
      }
      const n = this.queue.length;
      const age = n > 0 ? performance.now() - this.times[0]! : 0;
      const due = n >= this.o.batchSize || (n > 0 && (force || age >= this.o.flushIntervalMs));
      const slots = this._state === 'up' ? Math.max(1, this.o.pipeline) : 1;
      if (due && this.inflight.size < slots) {
        const written = this.writeBatch();
        if (this._state !== 'up') await written;
        continue;
      }
      if (n === 0 && this.closing) {
        if (this.inflight.size === 0) break;
        await this.tail;
        continue;
      }
      // Due but every slot busy: a settling batch pokes the loop.
      await this.sleep(due || n === 0 ? undefined : this.o.flushIntervalMs - age);
    }
    if (this.fatal !== undefined) throw this.fatal;
    if (this._state === 'up') await this.spool.closeCommitted();
    else await this.spool.seal();
    this.setState('closed');
  }

  private sleep(ms: number | undefined): Promise<void> {
    const wait =
      this._state === 'down' && !this.probing ? Math.max(0, this.nextProbe - performance.now()) : undefined;
    const delay = ms === undefined ? wait : wait === undefined ? ms : Math.min(ms, wait);
    return new Promise<void>((resolve) => {
      const t = delay === undefined ? undefined : setTimeout(resolve, Math.max(0, delay));
      // An idle writer must not keep the process alive; a writer holding alerts must.
      if (t && this.queue.length === 0) t.unref();
      this.wake = () => {
        if (t) clearTimeout(t);
        resolve();
      };
    });
  }

  /**
   * Starts one batch: spool append (durable mode, or while down) and insert, concurrently. The
   * returned promise settles once this batch and every earlier one settled, in push order; it
   * never rejects (a spool failure is kept in `fatal` for the loop).
   */
  private writeBatch(): Promise<void> {
    const n = Math.min(this.queue.length, Math.max(this.o.batchSize, this.o.maxBatchSize));
    const batch = this.queue.splice(0, n);
    const times = this.times.splice(0, n);
    const lastSeq = this.seq - this.queue.length;
    const flight: Flight = { batch, onDisk: false };
    this.inflight.add(flight);
    this.releaseDrainWaiters();
    const down = this._state === 'down';
    const lines = this.o.durable || down ? toLines(batch) : '';
    let spooled: Promise<SpoolSegment> | undefined;
    if (lines) {
      spooled = this.spool.append(lines, n);
      // Appends complete in call order, so every earlier batch is on disk too.
      spooled.then(
        () => {
          flight.onDisk = true;
          this.markDurable(lastSeq);
        },
        () => {},
      );
    }
    const insert = down
      ? undefined
      : (async () => {
          const rejected: Rejected[] = [];
          const inserted = await insertIsolating(this.o.sql, batch, rejected, this.o.insertTimeoutMs);
          return { inserted, rejected, at: performance.now() };
        })();
    // Observed now so a failure while an earlier batch is still settling is not "unhandled".
    insert?.catch(() => {});

    const settle = async (): Promise<void> => {
      const seg = spooled ? await spooled : undefined; // a disk error propagates: fatal
      if (!insert) {
        this.markDurable(lastSeq);
        this.markSettled(lastSeq);
        return;
      }
      let result: Awaited<typeof insert>;
      try {
        result = await insert;
      } catch (e) {
        this.log.warn({ err: errInfo(e), alerts: n }, 'alert insert failed: database unavailable, spooling');
        if (!lines) await this.spool.append(toLines(batch), n);
        flight.onDisk = true;
        this.markDurable(lastSeq);
        this.markSettled(lastSeq);
        await this.spool.seal(); // whatever is in it now must be replayed
        this.goDown();
        return;
      }
      this.markCommitted(n, result.inserted, result.rejected);
      if (this.o.onCommit) {
        const latencyMs = new Float64Array(n);
        for (let i = 0; i < n; i++) latencyMs[i] = result.at - times[i]!;
        this.o.onCommit({ count: n, inserted: result.inserted, latencyMs, fromSpool: false });
      }
      if (seg) await this.spool.committed(seg, n, this.o.segmentLines);
      flight.onDisk = true; // committed counts as safe
      this.markDurable(lastSeq);
      this.markSettled(lastSeq);
    };
    this.tail = this.tail
      .then(settle)
      .catch((e) => {
        this.fatal ??= e;
      })
      .finally(() => {
        this.inflight.delete(flight);
        this.poke();
      });
    return this.tail;
  }

  private markCommitted(n: number, inserted: number, rejected: Rejected[]): void {
    this._committed += n - rejected.length;
    this._inserted += inserted;
    for (const r of rejected) {
      this.log.error(
        { err: errInfo(r.error), dedupe_key: r.alert.dedupe_key },
        'alert rejected by the database',
      );
      this.o.onRejected?.(r.alert, r.error);
    }
  }

  private markDurable(seq: number): void {
    if (seq <= this.durableSeq) return;
    this.durableSeq = seq;
    this.o.onDurable?.(seq);
  }

  private markSettled(seq: number): void {
    this.settledSeq = Math.max(this.settledSeq, seq);
    for (let i = this.flushWaiters.length - 1; i >= 0; i--) {
      const w = this.flushWaiters[i]!;
      if (w.seq <= seq) {
        this.flushWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private releaseDrainWaiters(): void {
    if (this.drainWaiters.length === 0 || this.queue.length > this.o.capacity / 2) return;
    const ws = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of ws) w();
  }

  private goDown(): void {
    if (this._state !== 'down') this.retryMs = this.o.retryMinMs;
    this.setState('down');
    this.nextProbe = performance.now() + this.retryMs;
  }

  private backOff(): void {
    this.retryMs = Math.min(this.retryMs * 2, this.o.retryMaxMs);
    this.nextProbe = performance.now() + this.retryMs;
  }

  /**
   * Asks the database in the background: connecting to a host that is away can take the whole
   * connect timeout, and the loop must keep spooling meanwhile.
   */
  private startProbe(): void {
    const q = this.o.sql`select 1`;
    this.probing = withTimeout(q, this.o.insertTimeoutMs, 'database probe', () => q.cancel()).then(
      () => {
        this.probing = undefined;
        this.dbBack = true;
        this.poke();
      },
      () => {
        this.probing = undefined;
        this.backOff();
        this.poke();
      },
    );
  }

  /**
   * Replays every sealed spool file, oldest first, deleting each once its rows committed. Leaves
   * the writer 'up' when all replayed, 'down' when the database went away again.
   */
  private async replaySpool(): Promise<void> {
    await this.spool.seal();
    for (const file of this.spool.files()) {
      const lines = await this.spool.read(file);
      const alerts: Alert[] = [];
      for (const l of lines) {
        if (l.error) {
          this.log.error({ file, line: l.line }, l.error);
          this.o.onInvalid?.(undefined, l.error);
          continue;
        }
        const p = checkAlert(l.value);
        if (p.success) alerts.push(p.data);
        else this.o.onInvalid?.(l.value, `spool ${file}:${l.line}: ${p.reason}`);
      }
      try {
        for (let i = 0; i < alerts.length; i += 5_000) {
          const chunk = alerts.slice(i, i + 5_000);
          const rejected: Rejected[] = [];
          const inserted = await insertIsolating(this.o.sql, chunk, rejected, this.o.insertTimeoutMs);
          this.markCommitted(chunk.length, inserted, rejected);
          this.o.onCommit?.({ count: chunk.length, inserted, fromSpool: true });
        }
        await this.spool.remove(file);
        this.log.info({ file, alerts: alerts.length }, 'spool file replayed');
      } catch (e) {
        this.log.warn({ err: errInfo(e), file }, 'spool replay interrupted: database unavailable');
        this.goDown();
        return;
      }
    }
    if (this._state === 'down') this.log.info('database back: spool replayed, writing live');
    this.setState('up');
  }
}

interface Flight {
  batch: Alert[];
  /** Fsynced in the spool or committed: close() past its deadline need not spool it again. */
  onDisk: boolean;
}

function toLines(batch: readonly Alert[]): string {
  let s = '';
  for (const a of batch) s += `${JSON.stringify(a)}\n`;
  return s;
}

/** Error fields safe to log (postgres.js errors can carry the query's parameters). */
function errInfo(e: unknown): { message: string; code?: string } {
  const err = e as { message?: string; code?: string };
  return { message: String(err?.message ?? e), ...(err?.code ? { code: err.code } : {}) };
}
