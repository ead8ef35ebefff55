// Pacing of finite sources (replay, simulator) against their records' own ts_event: `max` (no waiting),
// `realtime` (1x) or N x real time. Pure scheduling math here (time is an argument, never read), the
// sleeping in paced-batches.ts.
//
// Rules:
// - the clock anchors on the first paced record: record time T is due at wall time
//   anchorWall + (T - anchorData) / speed;
// - reference data (symbol mappings, instrument definitions, daily/hourly bars: ts_event days before
//   the session) goes out at once and never moves the clock;
// - records earlier than the latest one released are due at once (no waiting backwards); a consumer
//   slower than the pace gets records as fast as it takes them, and the pace resumes when it catches up;
// - a jump forward of more than `maxGapSec` of data time (an overnight break in a multi-day file)
//   re-anchors instead of sleeping through it;
// - records due within `windowMs` go out together, so a busy second is a few batches, not thousands.
import { type RecordBatch, RType, readTsSeconds } from '@tradeassist/core/dbn-layout';

export type Speed = 'max' | 'realtime' | number;

export interface PaceState {
  /** Data time (s) of the anchor; NaN until the first paced record. */
  anchorData: number;
  /** Wall time (ms) of the anchor. */
  anchorWall: number;
  /** Latest data time released (s). */
  lastData: number;
}

export interface PaceOptions {
  windowMs: number;
  maxGapSec: number;
}

export const DEFAULT_PACE: PaceOptions = { windowMs: 10, maxGapSec: 900 };

export function newPaceState(): PaceState {
  return { anchorData: Number.NaN, anchorWall: 0, lastData: Number.NEGATIVE_INFINITY };
}

/** Parses `max`, `realtime` or a positive multiple (`10`, `0.5`, `10x`). */
export function parseSpeed(s: string): Speed {
  const t = s.trim().toLowerCase();
  if (t === 'max' || t === 'realtime') return t;
  const m = /^(\d+(?:\.\d+)?)x?$/.exec(t);
  const v = m ? Number(m[1]) : Number.NaN;
  if (!(v > 0) || !Number.isFinite(v)) {
    throw new RangeError(
      `speed must be max, realtime or a positive number (e.g. 10), got ${JSON.stringify(s)}`,
    );
  }
  return v;
}

/** Data seconds per wall second; Infinity for max. */
export function speedFactor(speed: Speed): number {
  if (speed === 'max') return Number.POSITIVE_INFINITY;
  if (speed === 'realtime') return 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`bad speed ${speed}`);
  return speed;
}

/** Records released at once whatever their ts_event (reference data, not market events). */
export function isReferenceRType(rtype: number): boolean {
  return (
    rtype === RType.SYMBOL_MAPPING ||
    rtype === RType.INSTRUMENT_DEF ||
    rtype === RType.OHLCV_1D ||
    rtype === RType.OHLCV_1H ||
    rtype === RType.OHLCV_EOD ||
    rtype === RType.ERROR ||
    rtype === RType.SYSTEM
  );
}

/** Wall time (ms) at which data time `t` (s) is due. */
export function dueWallMs(state: PaceState, t: number, factor: number): number {
  return state.anchorWall + ((t - state.anchorData) * 1000) / factor;
}

/**
 * The next slice of `batch` from record `from`: records [from, end) may be released at `nowMs`.
 * When end === from, wait `waitMs` before asking again. Updates `state` for the released records.
 */
export function nextSlice(
  batch: RecordBatch,
  from: number,
  state: PaceState,
  nowMs: number,
  factor: number,
  opts: PaceOptions = DEFAULT_PACE,
): { end: number; waitMs: number } {
  if (factor === Number.POSITIVE_INFINITY) return { end: batch.count, waitMs: 0 };
  const { view, offsets } = batch;
  let k = from;
  for (; k < batch.count; k++) {
    const off = offsets[k]!;
    if (isReferenceRType(view.getUint8(off + 1))) continue;
    const t = readTsSeconds(view, off + 8);
    if (t <= state.lastData) continue;
    if (Number.isNaN(state.anchorData) || t - state.lastData > opts.maxGapSec) {
      state.anchorData = t;
      state.anchorWall = nowMs;
      state.lastData = t;
      continue;
    }
    const due = dueWallMs(state, t, factor);
    if (due > nowMs + opts.windowMs) {
      return k === from ? { end: from, waitMs: due - nowMs } : { end: k, waitMs: 0 };
    }
    state.lastData = t;
  }
  return { end: k, waitMs: 0 };
}

/** A view of records [from, end) of a batch (same buffer). */
export function sliceBatch(batch: RecordBatch, from: number, end: number): RecordBatch {
  if (from === 0 && end === batch.count) return batch;
  return {
    bytes: batch.bytes,
    view: batch.view,
    offsets: batch.offsets.subarray(from, end),
    count: end - from,
    version: batch.version,
  };
}
