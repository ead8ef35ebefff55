// The state of the market-data feed as the screener sees it, published in /health and in the
// worker's heartbeat (`details.feed`) so the dashboard can tell "screener up, feed down" apart.

/** The events of market-data's `SourceEvent` that change the feed's state (structurally compatible). */
export type FeedEvent =
  | { type: 'connected'; detail?: string }
  | { type: 'disconnected'; reason: string }
  | { type: 'reconnecting'; attempt: number; delayMs: number }
  | { type: 'gap'; fromTsEvent: string }
  | { type: 'warning'; message: string }
  | { type: 'error'; message: string };

export type FeedState =
  | 'idle'
  | 'connecting'
  | 'streaming'
  | 'reconnecting'
  | 'disconnected'
  | 'ended'
  | 'failed';

export interface FeedSnapshot {
  source: string;
  state: FeedState;
  records: number;
  last_record_at: string | null;
  last_event: string | null;
  since: string;
}

export class FeedStatus {
  private state: FeedState = 'idle';
  private records = 0;
  private lastRecordAt: Date | null = null;
  private lastEvent: string | null = null;
  private since = new Date();

  constructor(private readonly source: string) {}

  private set(state: FeedState, event: string | null) {
    if (state !== this.state) this.since = new Date();
    this.state = state;
    this.lastEvent = event;
  }

  connecting(): void {
    this.set('connecting', null);
  }

  /** Call per batch handed to the engine. */
  onRecords(count: number): void {
    this.records += count;
    this.lastRecordAt = new Date();
    if (this.state !== 'streaming') this.set('streaming', this.lastEvent);
  }

  onEvent(e: FeedEvent): void {
    if (e.type === 'connected') this.set('streaming', e.detail ?? 'connected');
    else if (e.type === 'disconnected') this.set('disconnected', e.reason);
    else if (e.type === 'reconnecting') this.set('reconnecting', `attempt ${e.attempt} in ${e.delayMs} ms`);
    else if (e.type === 'error') this.set('failed', e.message);
    else if (e.type === 'gap') this.lastEvent = `gap from ${e.fromTsEvent}`;
    else this.lastEvent = e.message;
  }

  ended(): void {
    this.set('ended', 'end of data');
  }

  snapshot(): FeedSnapshot {
    return {
      source: this.source,
      state: this.state,
      records: this.records,
      last_record_at: this.lastRecordAt?.toISOString() ?? null,
      last_event: this.lastEvent,
      since: this.since.toISOString(),
    };
  }
}
