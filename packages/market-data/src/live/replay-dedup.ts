// Exactly-once delivery across reconnects. The client remembers the newest ts_event it delivered and
// the records it delivered at exactly that time; after a reconnect it resubscribes with
// `start = that ts_event`, so the gateway replays the gap, and this filter drops what the replay sends
// again: records older than the boundary, and boundary-time records already delivered (identified by
// their full bytes: a replayed record is the same record). Assumes ts_event does not go backwards
// within the stream, as in a single-publisher feed; timestamps are kept as two u32 halves (no BigInt
// on the hot path).
import { HD } from '@tradeassist/core/dbn-layout';

export class ReplayDedup {
  /** Newest ts_event delivered (hi/lo u32 halves); -1 before any record. */
  hi = -1;
  lo = 0;
  private keys = new Set<string>();
  private keysHi = -1;
  private keysLo = 0;
  /** True between a reconnect and the first replayed record past the boundary. */
  replaying = false;
  dropped = 0;

  get hasBoundary(): boolean {
    return this.hi >= 0;
  }

  /** The boundary as a decimal UTC-nanosecond string (the resubscription `start`). */
  boundaryNs(): string {
    return ((BigInt(this.hi) << 32n) | BigInt(this.lo)).toString();
  }

  beginReplay(): void {
    if (!this.hasBoundary) return;
    this.replaying = true;
    this.dropped = 0;
  }

  /**
   * During a replay: true if the record at `off` was already delivered. Ends the replay (returns
   * false) at the first record newer than the boundary.
   */
  isDuplicate(bytes: Uint8Array, view: DataView, off: number): boolean {
    const hi = view.getUint32(off + HD.TS_EVENT + 4, true);
    const lo = view.getUint32(off + HD.TS_EVENT, true);
    if (hi < this.hi || (hi === this.hi && lo < this.lo)) {
      this.dropped++;
      return true;
    }
    if (hi === this.hi && lo === this.lo) {
      if (this.keys.has(recordKey(bytes, view, off))) {
        this.dropped++;
        return true;
      }
      return false;
    }
    this.replaying = false;
    return false;
  }

  /** Advances the boundary over delivered records `offsets[0..count)` (end of each batch, not per record). */
  afterBatch(bytes: Uint8Array, view: DataView, offsets: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const off = offsets[i]!;
      const hi = view.getUint32(off + HD.TS_EVENT + 4, true);
      const lo = view.getUint32(off + HD.TS_EVENT, true);
      if (hi > this.hi || (hi === this.hi && lo > this.lo)) {
        this.hi = hi;
        this.lo = lo;
      }
    }
    if (count === 0) return;
    if (this.keysHi !== this.hi || this.keysLo !== this.lo) {
      this.keys = new Set();
      this.keysHi = this.hi;
      this.keysLo = this.lo;
    }
    // Records at the boundary time sit at the tail of a time-ordered batch.
    for (let i = count - 1; i >= 0; i--) {
      const off = offsets[i]!;
      if (
        view.getUint32(off + HD.TS_EVENT + 4, true) !== this.hi ||
        view.getUint32(off + HD.TS_EVENT, true) !== this.lo
      ) {
        break;
      }
      this.keys.add(recordKey(bytes, view, off));
    }
  }
}

function recordKey(bytes: Uint8Array, view: DataView, off: number): string {
  const len = view.getUint8(off + HD.LENGTH) * 4;
  let s = '';
  for (let i = off; i < off + len; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
