// Source batches -> the engine -> the alert sink. Owns the timing metrics (records, lag behind
// ts_recv, tick-to-alert latency: from the arrival of the batch's bytes in the process - the
// caller's `arrivedAt`, taken before decoding, else the call to onBatch - to each alert being
// handed to the sink) and the one-time
// reference load: when the stream brings no ohlcv-1d history before its first session record, the
// prior closes and average volumes of that day come from `loadReference` (daily_reference in
// Postgres) before any session record is screened.
import type { Alert } from '@tradeassist/core/alert';
import { etDateOf } from '@tradeassist/core/calendar';
import { type RecordBatch, RType } from '@tradeassist/core/dbn-layout';
import type { SourceBatch } from '@tradeassist/market-data/source';
import type { Logger } from '@tradeassist/runtime/logger';
import { type EngineOptions, type ReferenceData, ScreenerEngine } from '@tradeassist/screener';
import type { AlertSink } from './alert-sink.ts';
import type { ScreenerMetrics } from './metrics.ts';

export type ReferenceLoader = (date: string) => Promise<ReadonlyArray<readonly [string, ReferenceData]>>;

export interface PipelineOptions {
  sink: AlertSink;
  logger: Logger;
  metrics?: ScreenerMetrics;
  engine?: Omit<EngineOptions, 'onAlert'>;
  loadReference?: ReferenceLoader;
}

export class Pipeline {
  readonly engine: ScreenerEngine;
  private arrival = 0;
  private referenceDone: boolean;
  private readonly metrics: ScreenerMetrics | undefined;
  /** `alerts{type}` children, bound once per type (no label object hashed per alert). */
  private readonly byType = new Map<string, { inc(): void }>();

  constructor(private readonly o: PipelineOptions) {
    this.metrics = o.metrics;
    this.referenceDone = !o.loadReference;
    const sink = o.sink;
    const m = o.metrics;
    this.engine = new ScreenerEngine({
      ...o.engine,
      onAlert: m
        ? (a: Alert) => {
            const handed = performance.now();
            sink.push(a);
            m.tickToAlert.observe((handed - this.arrival) / 1000);
            this.alertCounter(a.type).inc();
          }
        : (a: Alert) => sink.push(a),
    });
  }

  /**
   * One source batch; a promise only when the sink (or the reference load) makes the feed wait.
   * `arrivedAt` (performance.now() when the batch's bytes were received, before decoding) is where
   * tick-to-alert starts; a caller that does not know it gets the time of this call.
   */
  onBatch(batch: SourceBatch, arrivedAt: number = performance.now()): Promise<void> | undefined {
    this.arrival = arrivedAt;
    const engine = this.engine;
    const recs = batch.records;
    for (const [id, ticker] of batch.symbols) engine.mapSymbol(id, ticker);
    if (this.metrics) this.observe(recs);
    if (!this.referenceDone) {
      const first = firstSessionRecord(recs);
      if (first >= 0) return this.withReference(recs, first);
    }
    engine.processBatch(recs);
    return this.o.sink.afterBatch();
  }

  private alertCounter(type: string): { inc(): void } {
    let c = this.byType.get(type);
    if (!c) {
      c = this.metrics!.alerts.labels({ type });
      this.byType.set(type, c);
    }
    return c;
  }

  private async withReference(recs: RecordBatch, first: number): Promise<void> {
    this.referenceDone = true;
    if (first > 0) this.engine.processBatch(slice(recs, 0, first));
    if (this.engine.stats.dailyBars === 0 && this.o.loadReference) {
      const date = etDateOf(recs.view.getUint32(recs.offsets[first]! + 12, true) * 4.294967296);
      try {
        const rows = await this.o.loadReference(date);
        for (const [ticker, ref] of rows) this.engine.setReference(ticker, ref);
        this.o.logger.info({ date, symbols: rows.length }, 'reference data loaded (prior close, avg volume)');
      } catch (err) {
        // Screening goes on; gap and relative-volume detectors stay silent for lack of a reference.
        this.o.logger.error({ err, date }, 'cannot load reference data from daily_reference');
      }
    }
    this.arrival = performance.now();
    this.engine.processBatch(slice(recs, first, recs.count));
    await this.o.sink.afterBatch();
  }

  private observe(recs: RecordBatch): void {
    const m = this.metrics!;
    m.records.inc(recs.count);
    m.batches.inc();
    if (recs.count === 0) return;
    const off = recs.offsets[recs.count - 1]!;
    const rtype = recs.view.getUint8(off + 1);
    // ts_recv where the record has one (trades, MBP/BBO at 32, status at 16), else ts_event
    const at =
      rtype === RType.STATUS
        ? off + 16
        : rtype <= 0x01 || (rtype >= 0xb1 && rtype <= 0xc4)
          ? off + 32
          : off + 8;
    const s = recs.view.getUint32(at + 4, true) * 4.294967296 + recs.view.getUint32(at, true) * 1e-9;
    m.lagSeconds.set(Date.now() / 1000 - s);
  }
}

/** Index of the first record the session is screened on: a trade, quote or status (-1: none yet). */
function firstSessionRecord(b: RecordBatch): number {
  for (let i = 0; i < b.count; i++) {
    const t = b.view.getUint8(b.offsets[i]! + 1);
    if (
      t === RType.MBP_0 ||
      t === RType.MBP_1 ||
      t === RType.STATUS ||
      (t >= RType.CMBP_1 && t <= RType.BBO_1M)
    )
      return i;
  }
  return -1;
}

function slice(b: RecordBatch, from: number, to: number): RecordBatch {
  return {
    bytes: b.bytes,
    view: b.view,
    version: b.version,
    offsets: b.offsets.subarray(from, to),
    count: to - from,
  };
}
