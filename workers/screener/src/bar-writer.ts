// Finished 1-minute bars (engine onBar) into Postgres `intraday_bars`, off the hot path: push() only
// appends the engine's bar object to an in-memory queue; a background loop sends batches of up to
// BATCH_MAX rows as one unnest insert, upserting on (symbol, ts) so a replay (or a minute reported
// open by flushBars and again complete later) writes the same rows again instead of failing. A
// re-sent minute only replaces a row that had no more trades (a screener restarted mid-minute does
// not shrink a complete bar it missed the start of).
//
// While the database is up nothing is dropped: a finite source (replay, sim at max speed) is paused
// on afterBatch() above HIGH_WATER queued bars until the queue is under LOW_WATER; a live source never
// waits, and at ~10,000 bars a minute for the whole market one insert a second keeps up by far.
// While the database is down, batches are retried with backoff (0.25 s doubling to 5 s), no source is
// paused, and the queue holds at most `maxQueued` bars (default 600,000: about an hour of the whole
// market, ~70-100 MB of bar objects); beyond that the oldest are dropped, counted in
// ta_screener_bars_dropped_total and logged. Bars are not spooled to disk like alerts: they are
// derived data, and a replay of the day's feed rebuilds them exactly (upserts, idempotent).
import type { Db } from '@tradeassist/db';
import type { Logger } from '@tradeassist/runtime/logger';
import type { MinuteBar } from '@tradeassist/screener';
import postgres from 'postgres';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AlertSink } from './alert-sink.ts';
import { barRows } from './bar-rows.ts';

export const BATCH_MAX = 5_000;
const FLUSH_MS = 1_000;
const HIGH_WATER = 50_000;
const LOW_WATER = 10_000;
const DEFAULT_MAX_QUEUED = 600_000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

const UPSERT = `
insert into public.intraday_bars as b (symbol, ts, open, high, low, close, volume, vwap, trade_count)
select s, to_timestamp(t::bigint), o::numeric, h::numeric, l::numeric, c::numeric, v::bigint, w::numeric, n::integer
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::text[]) as x(s, t, o, h, l, c, v, w, n)
on conflict (symbol, ts) do update
  set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
      volume = excluded.volume, vwap = excluded.vwap, trade_count = excluded.trade_count
  where excluded.trade_count >= b.trade_count`;

export interface BarWriterOptions {
  sql: Db;
  logger: Logger;
  /** Pause a finite source on afterBatch() while the queue is long (see above). */
  finite: boolean;
  registry?: Registry;
  maxQueued?: number;
  flushMs?: number;
}

export class BarWriter {
  private queue: MinuteBar[] = [];
  private inFlight = 0;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private closed = false;
  private down = false;
  private readonly maxQueued: number;
  private readonly m: { written: Counter; dropped: Counter; rejected: Counter; queued: Gauge } | undefined;
  /** Rows sent and acknowledged (inserted or updated). */
  written = 0;
  dropped = 0;

  constructor(private readonly o: BarWriterOptions) {
    this.maxQueued = o.maxQueued ?? DEFAULT_MAX_QUEUED;
    const registers = o.registry ? [o.registry] : undefined;
    if (registers) {
      this.m = {
        written: new Counter({
          name: 'ta_screener_bars_written_total',
          help: '1-minute bars upserted into intraday_bars',
          registers,
        }),
        dropped: new Counter({
          name: 'ta_screener_bars_dropped_total',
          help: 'Bars dropped (oldest first) while the database was away and the queue was full',
          registers,
        }),
        rejected: new Counter({
          name: 'ta_screener_bars_rejected_total',
          help: 'Bars refused by Postgres for their content (check violations)',
          registers,
        }),
        queued: new Gauge({
          name: 'ta_screener_bar_queue',
          help: 'Bars waiting to be written',
          registers,
          collect: () => this.m?.queued.set(this.queueDepth()),
        }),
      };
    }
    this.timer = setInterval(() => this.kick(), o.flushMs ?? FLUSH_MS);
    this.timer.unref();
  }

  /** The engine's onBar: O(1), never waits. */
  push(bar: MinuteBar): void {
    if (this.closed) return;
    this.queue.push(bar);
    if (this.queue.length >= BATCH_MAX) this.kick();
    if (this.queue.length > this.maxQueued) this.shed();
  }

  queueDepth(): number {
    return this.queue.length + this.inFlight;
  }

  /**
   * For a finite source with the database up: a promise while the queue is above HIGH_WATER, until
   * it is under LOW_WATER. With the database away nothing waits (the queue sheds instead), so a
   * replay's alerts - spooled to disk by their own writer - and a shutdown never hang on bars.
   */
  afterBatch(): Promise<void> | undefined {
    if (!this.o.finite || this.down || this.queue.length < HIGH_WATER) return undefined;
    this.kick();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Writes what is queued (bounded by deadlineMs), then stops; what is left is logged as lost. */
  async close(deadlineMs: number): Promise<void> {
    clearInterval(this.timer);
    // With the database away there is nothing to wait for: the shutdown budget belongs to the alerts.
    const deadline = performance.now() + (this.down ? 0 : deadlineMs);
    while (this.queue.length > 0 || this.loop) {
      this.kick();
      const left = deadline - performance.now();
      if (left <= 0) break;
      await Promise.race([this.loop, new Promise((r) => setTimeout(r, Math.min(left, 100)).unref())]);
    }
    this.closed = true;
    const lost = this.queueDepth();
    if (lost > 0)
      this.o.logger.error({ bars: lost }, 'bars not written at shutdown (a replay rebuilds them)');
    this.o.logger.info({ written: this.written, dropped: this.dropped }, 'bar writer closed');
    this.release();
  }

  private kick(): void {
    if (this.loop || this.queue.length === 0) return;
    this.loop = this.drain().finally(() => {
      this.loop = undefined;
    });
  }

  private async drain(): Promise<void> {
    let wait = RETRY_MIN_MS;
    while (this.queue.length > 0) {
      const batch = this.queue.length <= BATCH_MAX ? this.queue : this.queue.slice(0, BATCH_MAX);
      this.queue = batch === this.queue ? [] : this.queue.slice(BATCH_MAX);
      this.inFlight = batch.length;
      try {
        await this.write(batch);
        if (this.down) this.o.logger.info('intraday_bars writes resumed');
        this.down = false;
        wait = RETRY_MIN_MS;
      } catch (err) {
        // Not the rows' fault (write() isolates those): the database is away. Put the batch back in
        // front, in order, and retry after a pause; push() keeps the queue bounded meanwhile.
        this.queue = batch.concat(this.queue);
        if (!this.down) this.o.logger.warn({ err }, 'intraday_bars write failed; retrying with backoff');
        this.down = true;
        this.release(); // a paused finite source goes on (see afterBatch)
        if (this.queue.length > this.maxQueued) this.shed();
        this.inFlight = 0;
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, wait).unref());
        wait = Math.min(wait * 2, RETRY_MAX_MS);
        continue;
      } finally {
        this.inFlight = 0;
      }
      if (this.queue.length < LOW_WATER) this.release();
      // Less than a full batch left: the timer (or a full batch, or close) sends it, so a live
      // market's ~170 bars a second go out as one insert a second, not one per bar.
      if (this.queue.length < BATCH_MAX && !this.closed) break;
    }
    this.release();
  }

  /** One statement per batch; rows Postgres refuses for their content are isolated and dropped. */
  private async write(batch: readonly MinuteBar[]): Promise<void> {
    try {
      await this.o.sql.unsafe(UPSERT, barRows(batch) as never);
      this.written += batch.length;
      this.m?.written.inc(batch.length);
    } catch (e) {
      if (!isDataError(e)) throw e;
      if (batch.length === 1) {
        this.m?.rejected.inc();
        this.o.logger.error({ bar: batch[0], err: e }, 'bar refused by intraday_bars');
        return;
      }
      const mid = batch.length >> 1;
      await this.write(batch.slice(0, mid));
      await this.write(batch.slice(mid));
    }
  }

  private shed(): void {
    // Drop a tenth at a time so a long outage does not pay a full copy per pushed bar.
    const n = Math.max(this.queue.length - this.maxQueued, Math.ceil(this.maxQueued / 10));
    const gone = this.queue.splice(0, Math.min(n, this.queue.length));
    this.dropped += gone.length;
    this.m?.dropped.inc(gone.length);
    this.o.logger.error(
      { dropped: gone.length, dropped_total: this.dropped, oldest_kept: this.queue[0]?.ts },
      'bar queue full while the database is away: oldest bars dropped',
    );
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

/** A failure caused by the rows (SQLSTATE class 22 data exception, 23 constraint): retrying cannot help. */
function isDataError(e: unknown): boolean {
  return e instanceof postgres.PostgresError && /^(22|23)/.test(e.code);
}

/** The alert sink, with the bar writer's back-pressure added to afterBatch (finite sources only). */
export function withBarBackpressure(sink: AlertSink, bars: BarWriter): AlertSink {
  return {
    push: (a) => sink.push(a),
    afterBatch: () => {
      const a = sink.afterBatch();
      const b = bars.afterBatch();
      return a && b ? Promise.all([a, b]).then(() => {}) : (a ?? b);
    },
    queueDepth: () => sink.queueDepth(),
    close: (ms) => sink.close(ms),
  };
}
