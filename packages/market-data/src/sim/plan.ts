// What the simulator plants, where and when: the public manifest (`SimPlan`: events a screener should
// find, names that must stay silent) and the private script the generator follows to make them true.
//
// Timeline (seconds after the 9:30 open; W = minutes of regular session simulated):
// - gaps: half in the pre-market (the name's first print of the day, at a whole second, 7-12% away
//   from the prior close, then pre-market trading at 4x the name's average pace, so that the screener
//   sees it within 2 minutes: `details.expect_by_ns`), half at the open (no pre-market prints; the
//   opening cross print is the gap);
// - volume spikes: one minute at 15x the name's rate with 1.5x sizes (about 20x normal volume);
// - momentum runs: 5-7% in 4 minutes at 4x the rate;
// - halts: LULD pauses (an 8% run-up over 2 minutes, PAUSE for 5 minutes, resume 2% away) and
//   news halts (HALT for 8 minutes, resume 4% away), each with a reopening print;
// - new highs / lows of day: after the first 15 minutes, a steady move over 4 minutes to about 2%
//   beyond the day's range so far (2-6%, at 1.8x the rate: under the default momentum filter's relative volume of 2);
// - quiet names: liquid (top 0.5-6% by activity), $15-$300, one or two ticks wide, mean-reverting
//   within about 0.03% of the prior close, trading at a flat pace (no opening burst).
// Events that don't fit in the window are left out of the plan (and not planted).
//
// Liquidity: events are planted only on names a trader would screen, i.e. names that pass the same
// filters the screener applies (price >= $1, its minimum pre-market, minute and day volumes:
// `SCREENER_FLOORS`, with a 2x margin on expected volumes). In a scaled-down market (tests with
// `activity` < 1) where no candidate passes, the most liquid candidate is used instead.

import { StatusAction } from '@tradeassist/core/dbn-layout';
import { fixedToDecimal } from '@tradeassist/core/money';
import type { Prng } from './prng.ts';
import { activityAt } from './session-profile.ts';
import { PRICE_SCALE, REGULAR_SECONDS, toTickRaw, type Universe } from './universe.ts';

export type PlannedEventType =
  | 'gap_up'
  | 'gap_down'
  | 'volume_spike'
  | 'momentum_up'
  | 'momentum_down'
  | 'new_high_of_day'
  | 'new_low_of_day'
  | 'halt'
  | 'resume';

export interface PlannedEvent {
  readonly symbol: string;
  readonly type: PlannedEventType;
  /** UTC ns (decimal string) of the record that makes the event true (gaps, halts, resumes, the
   *  spike minute's start) or of the start of a planted move (momentum, new high/low: see details). */
  readonly tsEvent: string;
  readonly session: 'pre' | 'regular' | 'post';
  readonly details: Readonly<Record<string, string | number>>;
}

export interface SimPlan {
  readonly seed: number;
  readonly dataset: string;
  /** The simulated trading day (America/New_York). */
  readonly date: string;
  readonly symbols: number;
  readonly preMarketMinutes: number;
  readonly minutes: number;
  /** UTC ns of the first session record, the 9:30 open, and the end of the data. */
  readonly startNs: string;
  readonly openNs: string;
  readonly endNs: string;
  readonly events: readonly PlannedEvent[];
  /** Names that trade steadily with tiny moves: no alert of any kind should fire for them. */
  readonly quiet: readonly string[];
}

export const ActionKind = {
  /** Move the price path by `a` (log) over `b` seconds from now. */
  SEGMENT: 0,
  /** Event-rate multiple `a`, trade-size multiple `b`. */
  RATE: 1,
  /** Status `a` (StatusAction), reason `b`; no prints until RESUME. */
  HALT: 2,
  /** Status TRADING with reason `a`. */
  RESUME: 3,
  /** A scripted print at the second's start at exactly the path price, size `b` x average; unblocks. */
  PRINT: 4,
  /** Move the price path to about 2% beyond the day's high (`a` = 1) or low (`a` = -1) so far, over
   *  `b` seconds (the move is kept between 2% and 6%). */
  EXTREME: 5,
} as const;

export interface ScriptAction {
  /** Whole seconds after the open. */
  readonly sec: number;
  readonly slot: number;
  readonly kind: number;
  readonly a: number;
  readonly b: number;
}

export interface SimScript {
  /** Sorted by `sec` (stable). */
  readonly actions: readonly ScriptAction[];
  /** Log offset of each name's price path at the session start (overnight move or gap). */
  readonly overnight: Float64Array;
  /** 1: no prints until a PRINT action or the opening cross. */
  readonly blocked: Uint8Array;
  readonly quiet: Uint8Array;
  /** Names printing in the opening cross, in print order. */
  readonly crossSlots: Int32Array;
}

/** The screener's default liquidity filters (packages/screener detector-config.ts): a planted event
 *  must be findable with them. */
export const SCREENER_FLOORS = {
  minPrice: 1,
  minPremarketVolume: 20_000,
  spikeMinShares: 20_000,
  highLowMinDayVolume: 100_000,
} as const;
/** Expected volumes must clear a floor by this factor (print counts and sizes are random). */
const LIQUIDITY_MARGIN = 2;
/** Pre-market pace of a news gapper, x its average regular-session pace. */
const GAPPER_PRE_PACE = 4;
/** Seconds after a pre-market gap's first print by which the screener should have seen it. */
const PRE_GAP_WINDOW_SEC = 120;

export const StatusReason = {
  NONE: 0,
  SCHEDULED: 1,
  NEWS_PENDING: 30,
  NEWS_RELEASED: 31,
  LULD_PAUSE: 50,
} as const;

/** Opening cross timing: prints start 1 ms after the open, 25 µs apart. */
export const CROSS_START_NS = 1_000_000;
export const CROSS_SPACING_NS = 25_000;

export interface PlanClock {
  readonly date: string;
  /** UTC ns of the open. */
  readonly openNs: bigint;
  /** Regular session length, seconds (23,400; 12,600 on early-close days). */
  readonly closeSec: number;
  /** Window, seconds after the open: [startSec, endSec). */
  readonly startSec: number;
  readonly endSec: number;
}

interface Counts {
  gapPre: number;
  gapOpen: number;
  spike: number;
  momentum: number;
  luld: number;
  news: number;
  extreme: number;
  quiet: number;
}

function countsFor(n: number): Counts {
  const f = Math.min(1, n / 2000);
  const c = (k: number) => Math.max(1, Math.round(k * f));
  return {
    gapPre: c(2),
    gapOpen: c(2),
    spike: c(6),
    momentum: c(4),
    luld: c(2),
    news: c(2),
    extreme: c(3),
    quiet: c(20),
  };
}

export function makePlan(
  rng: Prng,
  u: Universe,
  clock: PlanClock,
  meta: { seed: number; dataset: string; preMarketMinutes: number; minutes: number },
): { plan: SimPlan; script: SimScript } {
  const n = u.n;
  // Regular-session seconds simulated: events are planted in the regular session only.
  const W = Math.min(clock.endSec, clock.closeSec);
  const hasOpen = clock.startSec <= 0 && clock.endSec > 0;
  const preSec = -clock.startSec;
  const actions: ScriptAction[] = [];
  const events: PlannedEvent[] = [];
  const overnight = new Float64Array(n);
  const blocked = new Uint8Array(n);
  const quiet = new Uint8Array(n);
  const used = new Uint8Array(n);
  const counts = countsFor(n);

  for (let i = 0; i < n; i++) {
    overnight[i] = Math.max(-0.025, Math.min(0.025, rng.normal() * u.dailyVol[i]! * 0.6));
  }

  const px = (i: number) => u.priorClose[i]! / PRICE_SCALE;
  /** A random unused name in the activity band [loFrac, hiFrac) passing `ok`; with `liquid`, one
   *  that also passes it (or, when none does, the candidate with the highest ADV). */
  const pick = (
    loFrac: number,
    hiFrac: number,
    ok: (i: number) => boolean,
    liquid?: (i: number) => boolean,
  ): number | undefined => {
    const lo = Math.floor(n * loFrac);
    const hi = Math.max(lo + 1, Math.floor(n * hiFrac));
    const cands: number[] = [];
    for (let i = lo; i < hi && i < n; i++) if (!used[i] && ok(i)) cands.push(i);
    if (cands.length === 0) return undefined;
    let i: number;
    const good = liquid ? cands.filter(liquid) : cands;
    if (good.length > 0) i = rng.pick(good);
    else {
      i = cands[0]!;
      for (const j of cands) if (u.adv[j]! > u.adv[i]!) i = j;
    }
    used[i] = 1;
    return i;
  };
  const nsAt = (sec: number, extraNs = 0) =>
    (clock.openNs + BigInt(sec) * 1_000_000_000n + BigInt(extraNs)).toString();
  const sessionOf = (sec: number): PlannedEvent['session'] =>
    sec < 0 ? 'pre' : sec < clock.closeSec ? 'regular' : 'post';
  const act = (sec: number, slot: number, kind: number, a: number, b = 0) => {
    if (sec >= clock.startSec && sec < clock.endSec) actions.push({ sec, slot, kind, a, b });
  };
  const dec = (raw: number) => fixedToDecimal(raw);
  const expectedMinuteVolume = (i: number, sec: number) =>
    u.adv[i]! * (activityAt(sec + 30, clock.closeSec) / clock.closeSec) * 60;
  // Cumulative regular-session activity from the open, per second: expected volume in [0, sec).
  const cumAct = new Float64Array(Math.max(0, W) + 1);
  for (let t = 0; t < W; t++) cumAct[t + 1] = cumAct[t]! + activityAt(t + 0.5, clock.closeSec);
  const regularVolumeBy = (i: number, sec: number) =>
    (u.adv[i]! * cumAct[Math.max(0, Math.min(W, sec))]!) / clock.closeSec;

  // Quiet names first, so nothing else lands on them.
  const quietNames: string[] = [];
  for (let k = 0; k < counts.quiet; k++) {
    const i = pick(0.005, 0.06, (j) => px(j) >= 15 && px(j) <= 300);
    if (i === undefined) break;
    quiet[i] = 1;
    overnight[i] = Math.max(-0.0015, Math.min(0.0015, rng.normal() * 0.001));
    quietNames.push(u.tickers[i]!);
  }

  // The opening cross: the more active 60% of names, plus every name gapping at the open.
  const gapOpenSlots: number[] = [];
  const gapPlan: Array<{ slot: number; up: boolean; pre: boolean }> = [];
  for (const up of [true, false]) {
    for (let k = 0; k < counts.gapPre + counts.gapOpen; k++) {
      const pre = k < counts.gapPre && preSec >= PRE_GAP_WINDOW_SEC + 120;
      if (!pre && !hasOpen) continue;
      // A pre-market gap must be seen in the pre-market: enough shares at the gapper's pace within
      // PRE_GAP_WINDOW_SEC of the first print.
      const preLiquid = (j: number) =>
        (u.adv[j]! / REGULAR_SECONDS) * GAPPER_PRE_PACE * PRE_GAP_WINDOW_SEC >=
        LIQUIDITY_MARGIN * SCREENER_FLOORS.minPremarketVolume;
      const i = pick(0.005, 0.4, (j) => px(j) >= 2, pre ? preLiquid : undefined);
      if (i === undefined) continue;
      gapPlan.push({ slot: i, up, pre });
      if (!pre) gapOpenSlots.push(i);
    }
  }
  const cross: number[] = [];
  if (hasOpen) {
    const inCross = new Uint8Array(n);
    for (let i = 0; i < Math.floor(n * 0.6); i++) inCross[i] = 1;
    for (const i of gapOpenSlots) inCross[i] = 1;
    for (let i = 0; i < n; i++) if (inCross[i]) cross.push(i);
  }
  const crossIndex = new Map<number, number>();
  cross.forEach((slot, k) => {
    crossIndex.set(slot, k);
  });

  for (const g of gapPlan) {
    const i = g.slot;
    const pct = rng.range(0.07, 0.12);
    const mult = g.up ? 1 + pct : 1 - pct;
    const price = toTickRaw(px(i) * mult);
    overnight[i] = Math.log(price / u.priorClose[i]!);
    blocked[i] = 1;
    let sec: number;
    let tsEvent: string;
    if (g.pre) {
      sec = -Math.floor(rng.range(PRE_GAP_WINDOW_SEC + 60, preSec - 60));
      act(sec, i, ActionKind.PRINT, 0, 3);
      // Busy pre-market once the news is out: gappers trade several times their normal pace.
      act(sec, i, ActionKind.RATE, GAPPER_PRE_PACE / activityAt(-600, clock.closeSec), 1);
      act(0, i, ActionKind.RATE, 3, 1.2);
      tsEvent = nsAt(sec);
    } else {
      sec = 0;
      act(0, i, ActionKind.RATE, 3, 1.2);
      tsEvent = nsAt(0, CROSS_START_NS + crossIndex.get(i)! * CROSS_SPACING_NS);
    }
    act(600, i, ActionKind.RATE, 1.5, 1);
    events.push({
      symbol: u.tickers[i]!,
      type: g.up ? 'gap_up' : 'gap_down',
      tsEvent,
      session: sessionOf(sec),
      details: {
        prev_close: dec(u.priorClose[i]!),
        price: dec(price),
        pct: round2(((price - u.priorClose[i]!) / u.priorClose[i]!) * 100),
        first_print: g.pre ? 'pre-market' : 'opening cross',
        ...(g.pre ? { expect_by_ns: nsAt(sec + PRE_GAP_WINDOW_SEC) } : {}),
      },
    });
  }

  // Volume spikes: one minute at 15x the rate with 1.5x sizes.
  if (W >= 240) {
    for (let k = 0; k < counts.spike; k++) {
      const m = 2 + Math.floor(rng.float() * (Math.floor(W / 60) - 3));
      const sec = m * 60;
      // The spike minute (about 22.5x the expected minute) must clear the screener's share minimum.
      const i = pick(
        0.01,
        0.15,
        (j) => px(j) >= SCREENER_FLOORS.minPrice,
        (j) => expectedMinuteVolume(j, sec) * 15 * 1.5 >= LIQUIDITY_MARGIN * SCREENER_FLOORS.spikeMinShares,
      );
      if (i === undefined) break;
      act(sec, i, ActionKind.RATE, 15, 1.5);
      act(sec + 60, i, ActionKind.RATE, 1, 1);
      events.push({
        symbol: u.tickers[i]!,
        type: 'volume_spike',
        tsEvent: nsAt(sec),
        session: sessionOf(sec),
        details: {
          minute_end_ns: nsAt(sec + 60),
          rate_multiple: 15,
          size_multiple: 1.5,
          expected_minute_volume: Math.round(expectedMinuteVolume(i, sec)),
          adv: Math.round(u.adv[i]!),
        },
      });
    }
  }

  // Momentum runs: 5-7% over 4 minutes with 4x the prints, then 2x for 3 minutes.
  if (W >= 360) {
    for (let k = 0; k < counts.momentum * 2; k++) {
      const up = k % 2 === 0;
      const i = pick(0.005, 0.2, (j) => px(j) >= 3);
      if (i === undefined) break;
      const sec = 60 + Math.floor(rng.float() * (W - 360));
      const pct = rng.range(0.05, 0.07);
      const delta = up ? Math.log(1 + pct) : Math.log(1 - pct);
      act(sec, i, ActionKind.SEGMENT, delta, 240);
      act(sec, i, ActionKind.RATE, 4, 1.2);
      act(sec + 240, i, ActionKind.RATE, 2, 1);
      act(sec + 420, i, ActionKind.RATE, 1, 1);
      events.push({
        symbol: u.tickers[i]!,
        type: up ? 'momentum_up' : 'momentum_down',
        tsEvent: nsAt(sec),
        session: sessionOf(sec),
        details: {
          pct: round2((up ? 1 : -1) * pct * 100),
          move_sec: 240,
          window_sec: 300,
          end_ns: nsAt(sec + 240),
        },
      });
    }
  }

  // Halts.
  const halt = (i: number, sec: number, len: number, luld: boolean) => {
    const reason = luld ? StatusReason.LULD_PAUSE : StatusReason.NEWS_PENDING;
    if (luld) {
      act(sec - 120, i, ActionKind.SEGMENT, Math.log(1.08), 120);
      act(sec - 120, i, ActionKind.RATE, 4, 1.2);
    }
    act(sec, i, ActionKind.HALT, luld ? StatusAction.PAUSE : StatusAction.HALT, reason);
    const resumeReason = luld ? StatusReason.LULD_PAUSE : StatusReason.NEWS_RELEASED;
    const jump = luld ? (rng.float() < 0.5 ? 0.02 : -0.02) : rng.float() < 0.5 ? 0.04 : -0.04;
    act(sec + len, i, ActionKind.SEGMENT, Math.log(1 + jump), 0);
    act(sec + len, i, ActionKind.RESUME, resumeReason);
    act(sec + len, i, ActionKind.PRINT, 0, 5);
    act(sec + len, i, ActionKind.RATE, 3, 1.2);
    act(sec + len + 180, i, ActionKind.RATE, 1, 1);
    const sym = u.tickers[i]!;
    const how = luld ? 'luld_pause' : 'news_pending';
    events.push({
      symbol: sym,
      type: 'halt',
      tsEvent: nsAt(sec),
      session: sessionOf(sec),
      details: {
        status_action: luld ? 'pause' : 'halt',
        reason: how,
        minutes: len / 60,
        resume_ns: nsAt(sec + len),
      },
    });
    events.push({
      symbol: sym,
      type: 'resume',
      tsEvent: nsAt(sec + len),
      session: sessionOf(sec + len),
      details: {
        reason: luld ? 'luld_pause' : 'news_released',
        halted_ns: nsAt(sec),
        reopen_move_pct: jump * 100,
      },
    });
  };
  if (W >= 540) {
    for (let k = 0; k < counts.luld; k++) {
      const i = pick(0.01, 0.3, (j) => px(j) >= 3);
      if (i === undefined) break;
      halt(i, 180 + Math.floor(rng.float() * (W - 540)), 300, true);
    }
  }
  if (W >= 660) {
    for (let k = 0; k < counts.news; k++) {
      const i = pick(0.01, 0.3, (j) => px(j) >= 3);
      if (i === undefined) break;
      halt(i, 120 + Math.floor(rng.float() * (W - 660)), 480, false);
    }
  }

  // New highs / lows of day after the first 15 minutes.
  if (W >= 1260) {
    for (let k = 0; k < counts.extreme * 2; k++) {
      const up = k % 2 === 0;
      const sec = 960 + Math.floor(rng.float() * (W - 1260));
      // Liquid names, so that prints follow the move closely, and past the screener's day-volume
      // minimum for new highs/lows by the time the move starts.
      const i = pick(
        0.005,
        0.05,
        (j) => px(j) >= 5,
        (j) => regularVolumeBy(j, sec) >= LIQUIDITY_MARGIN * SCREENER_FLOORS.highLowMinDayVolume,
      );
      if (i === undefined) break;
      act(sec, i, ActionKind.EXTREME, up ? 1 : -1, 240);
      act(sec, i, ActionKind.RATE, 1.8, 1);
      act(sec + 240, i, ActionKind.RATE, 1, 1);
      events.push({
        symbol: u.tickers[i]!,
        type: up ? 'new_high_of_day' : 'new_low_of_day',
        tsEvent: nsAt(sec),
        session: sessionOf(sec),
        details: { margin_pct: (up ? 1 : -1) * 2, move_sec: 240, expect_by_ns: nsAt(sec + 300) },
      });
    }
  }

  actions.sort((x, y) => x.sec - y.sec);
  events.sort((x, y) =>
    BigInt(x.tsEvent) < BigInt(y.tsEvent) ? -1 : BigInt(x.tsEvent) > BigInt(y.tsEvent) ? 1 : 0,
  );
  const startNs = clock.openNs + BigInt(clock.startSec) * 1_000_000_000n;
  const endNs = clock.openNs + BigInt(clock.endSec) * 1_000_000_000n;
  return {
    plan: {
      seed: meta.seed,
      dataset: meta.dataset,
      date: clock.date,
      symbols: n,
      preMarketMinutes: meta.preMarketMinutes,
      minutes: meta.minutes,
      startNs: startNs.toString(),
      openNs: clock.openNs.toString(),
      endNs: endNs.toString(),
      events,
      quiet: quietNames,
    },
    script: { actions, overnight, blocked, quiet, crossSlots: Int32Array.from(cross) },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
