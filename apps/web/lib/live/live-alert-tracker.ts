// What the browser has seen of the live feed: the last alert id (where to resume) and the recent
// ids (a resume or a second transport path can deliver an alert twice; the trader sees it once).
// Pure, so it is unit-tested without a browser.
import type { LiveAlert } from '@tradeassist/db/live-alert';
// The hand-written decoder, not the zod schema: this runs in the browser (see live-alert-decode.ts).
import { compareIds, decodeAlertPayload } from './live-alert-decode.ts';

export type TrackResult =
  | { kind: 'new'; alert: LiveAlert }
  | { kind: 'duplicate'; id: string }
  /** The payload named only an id (too large for NOTIFY): read the alert, then accept() it. */
  | { kind: 'fetch'; id: string }
  | { kind: 'invalid'; reason: string };

export class LiveAlertTracker {
  private last: string | null;
  private readonly seen = new Set<string>();

  constructor(
    since: string | null = null,
    private readonly capacity = 5_000,
  ) {
    this.last = since;
  }

  /** Highest alert id received: pass it as `since` / Last-Event-ID to resume. */
  get lastId(): string | null {
    return this.last;
  }

  accept(payload: unknown): TrackResult {
    const n = decodeAlertPayload(payload);
    if (n.kind === 'invalid') return n;
    // Id ranges are the database's announcement to the server relay, never an event for a browser.
    if (n.kind === 'ids') return { kind: 'invalid', reason: 'id ranges are not a browser event' };
    if (n.kind === 'id')
      return this.seen.has(n.id) ? { kind: 'duplicate', id: n.id } : { kind: 'fetch', id: n.id };
    const { alert } = n;
    if (this.seen.has(alert.id)) return { kind: 'duplicate', id: alert.id };
    this.seen.add(alert.id);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    if (this.last === null || compareIds(alert.id, this.last) > 0) this.last = alert.id;
    return { kind: 'new', alert };
  }
}
