// Where alerts go. `push` never blocks the decoder; after each source batch the pipeline asks
// `afterBatch()`, which returns a promise only when the sink wants the feed to wait (a finite
// source at max speed outrunning stdout or the database: back-pressure instead of unbounded memory).
// A live feed is never paused: see db-sink.ts for what happens when the database falls behind.
import type { Writable } from 'node:stream';
import type { Alert } from '@tradeassist/core/alert';
import type { Logger } from '@tradeassist/runtime/logger';

export interface AlertSink {
  push(alert: Alert): void;
  afterBatch(): Promise<void> | undefined;
  /** Alerts accepted and not yet written/committed. */
  queueDepth(): number;
  /** Writes everything pending, then stops (within deadlineMs where the sink can bound it). */
  close(deadlineMs: number): Promise<void>;
}

/**
 * One JSON alert per line (CONTRACTS.md). Lines of a batch go out in one write; when the stream's
 * buffer is full a finite source waits for 'drain' (a live one never waits: Node buffers the
 * lines). A reader that went away (EPIPE) ends the output and calls `onClosed`; the remaining
 * alerts are counted in the log, never written half.
 */
export class StdoutSink implements AlertSink {
  private lines: string[] = [];
  private broken = false;
  private dropped = 0;
  private written = 0;

  constructor(
    private readonly out: Writable,
    private readonly logger: Logger,
    /** The reader went away (EPIPE): nobody will read more alerts, so the caller stops. */
    onClosed?: () => void,
    private readonly finite = true,
  ) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (this.broken) return;
      this.broken = true;
      logger.warn({ err: { code: err.code, message: err.message } }, 'stdout closed by its reader');
      onClosed?.();
    });
  }

  push(alert: Alert): void {
    this.lines.push(JSON.stringify(alert));
  }

  afterBatch(): Promise<void> | undefined {
    if (this.lines.length === 0) return undefined;
    const n = this.lines.length;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    if (this.broken) {
      this.dropped += n;
      return undefined;
    }
    this.written += n;
    if (this.out.write(text) || !this.finite) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('error', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.once('drain', done);
      this.out.once('error', done);
      this.out.once('close', done);
    });
  }

  queueDepth(): number {
    return this.lines.length + this.out.writableLength;
  }

  async close(_deadlineMs: number): Promise<void> {
    await this.afterBatch();
    if (!this.broken && this.out.writableLength > 0) {
      await new Promise<void>((resolve) => this.out.write('', () => resolve()));
    }
    if (this.dropped > 0) this.logger.error({ alerts: this.dropped }, 'alerts not printed: stdout closed');
    this.logger.info({ alerts: this.written }, 'stdout sink closed');
  }
}
