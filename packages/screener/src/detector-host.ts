// What the built-in detectors (trade-detectors.ts, bar-detectors.ts) read and call on the engine:
// its state, configuration, the current record's time, and the alert helpers. Internal to the
// package; the engine implements it.
import type { AlertType } from '@tradeassist/core/alert';
import type { SessionClock } from '@tradeassist/core/calendar';
import type { DetectorConfig } from './detector-config.ts';
import type { SlotState } from './slot-state.ts';

export interface DetectorHost {
  readonly st: SlotState;
  readonly config: DetectorConfig;
  readonly clock: SessionClock;
  readonly minPriceRaw: number;
  /** ns since the New York midnight of the current day, for the record being processed */
  readonly rel: number;
  readonly openRel: number;
  readonly closeRel: number;
  readonly dayStartS: number;
  rvolDay(s: number): number;
  /** True (and records the time) when the symbol's cooldown for the type has elapsed. */
  cooled(s: number, type: number, ts: number, cooldownS: number): boolean;
  keyAt(s: number, type: AlertType, seconds: boolean): string;
  emit(
    s: number,
    type: AlertType,
    price: number,
    ts: number,
    sess: number,
    score: number,
    details: Record<string, unknown>,
    dedupeKey: string,
  ): void;
}
