// The simulator's hot loop: walks the session second by second and writes DBN records in ts_event
// order straight into a reusable buffer (record-sink.ts), yielding a RecordBatch whenever it fills.
//
// Within a second, prints of the whole market are one Poisson process: the market rate is the sum of
// the names' rates times the intraday profile, the gap to the next event is exponential, and the
// name is drawn from an alias table (O(1)). Names under a script (rate changes, halts, quiet names)
// are taken out of the table by rejection and drawn from a short overlay list instead, which keeps
// the superposition exact. Each event moves the name's price (its scripted path plus a random walk;
// quiet names mean-revert) and becomes a trade, or for MBP-1 names a quote update or a trade.
//
// Stream order: symbol mappings, 20 daily bars per name (oldest day first), then the session.

import type { RecordBatch } from '@tradeassist/core/dbn-layout';
import { RType, StatusAction } from '@tradeassist/core/dbn-layout';
import { AliasTable } from './alias-table.ts';
import { fastExp, fastNormal } from './fast-dist.ts';
import { ActionKind, CROSS_SPACING_NS, CROSS_START_NS, type SimScript, StatusReason } from './plan.ts';
import type { Prng } from './prng.ts';
import { C_ADD, C_BID, C_CANCEL, C_NONE, C_TRADE, C_YES, RecordSink } from './record-sink.ts';
import { activityAt } from './session-profile.ts';
import { DAILY_BARS, PRICE_SCALE, REGULAR_SECONDS, type Universe } from './universe.ts';

/** Quote updates per trade for MBP-1 names (besides those forced by price moves). */
export const QUOTES_PER_TRADE = 2;
const C_ASK = C_ADD; // 'A' is both the add action and the ask side
const QUIET_TAU = 120; // s, mean reversion of quiet names
const QUIET_SD = 0.0003; // stationary sd of a quiet name's log price: flat, thin noise

export interface GenClock {
  /** UTC ns that record offsets count from (midnight UTC of the oldest daily bar). */
  readonly baseNs: bigint;
  /** Offset (ns after base) of the open. */
  readonly openOffNs: number;
  /** Offsets (ns after base) of each daily bar's day, oldest first, and of the session day's midnight and the next. */
  readonly barDayOffNs: readonly number[];
  readonly dayStartOffNs: number;
  readonly dayEndOffNs: number;
  readonly closeSec: number;
  readonly startSec: number;
  readonly endSec: number;
}

export interface GenOptions {
  batchBytes?: number;
  version?: 2 | 3;
}

export function* generateRecords(
  u: Universe,
  clock: GenClock,
  script: SimScript,
  rng: Prng,
  opts: GenOptions = {},
): Generator<RecordBatch, void, undefined> {
  const n = u.n;
  const sink = new RecordSink(opts.batchBytes ?? 1 << 20, clock.baseNs, opts.version ?? 3);
  const openOff = clock.openOffNs;
  const startOff = openOff + clock.startSec * 1e9;

  // ---- reference data: mappings, then daily bars ----
  for (let i = 0; i < n; i++) {
    sink.symbolMapping(
      u.publisherId[i]!,
      u.instrumentId[i]!,
      startOff,
      u.tickers[i]!,
      clock.dayStartOffNs,
      clock.dayEndOffNs,
    );
    if (sink.full) {
      yield sink.batch();
      sink.reset();
    }
  }
  for (let d = 0; d < DAILY_BARS; d++) {
    const ts = clock.barDayOffNs[d]!;
    for (let i = 0; i < n; i++) {
      const k = i * DAILY_BARS + d;
      const b = u.bars;
      sink.ohlcv(
        RType.OHLCV_1D,
        u.publisherId[i]!,
        u.instrumentId[i]!,
        ts,
        b.open[k]!,
        b.high[k]!,
        b.low[k]!,
        b.close[k]!,
        b.volume[k]!,
      );
      if (sink.full) {
        yield sink.batch();
        sink.reset();
      }
    }
  }

  // ---- per-name state ----
  const logBase = new Float64Array(n);
  const segFrom = new Float64Array(n);
  const segTo = new Float64Array(n);
  const segT0 = new Float64Array(n);
  const segT1 = new Float64Array(n);
  const noise = new Float64Array(n);
  const lastT = new Float64Array(n).fill(clock.startSec);
  const sigma = new Float64Array(n);
  const eventRate = new Float64Array(n);
  const rateMult = new Float64Array(n).fill(1);
  const sizeMult = new Float64Array(n).fill(1);
  const bid = new Float64Array(n);
  const ask = new Float64Array(n);
  const bidSz = new Uint32Array(n);
  const askSz = new Uint32Array(n);
  const dayHigh = new Float64Array(n);
  const dayLow = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const halted = new Uint8Array(n);
  const blocked = Uint8Array.from(script.blocked);
  const inOverlay = new Uint8Array(n);
  const quiet = script.quiet;
  const seq = new Uint32Array(8);
  const overlay: number[] = [];

  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    logBase[i] = Math.log(u.priorClose[i]! / PRICE_SCALE) + script.overnight[i]!;
    sigma[i] = u.dailyVol[i]! / Math.sqrt(REGULAR_SECONDS);
    eventRate[i] = u.tradeRate[i]! * (u.mbp[i] ? 1 + QUOTES_PER_TRADE : 1);
    weights[i] = eventRate[i]!;
    if (quiet[i] || blocked[i]) addOverlay(i);
  }
  const alias = new AliasTable(weights);
  const ow = new Float64Array(n);

  function addOverlay(i: number): void {
    if (!inOverlay[i]) {
      inOverlay[i] = 1;
      overlay.push(i);
    }
  }

  function pathAt(i: number, t: number): number {
    const t1 = segT1[i]!;
    if (t >= t1) return segTo[i]!;
    const t0 = segT0[i]!;
    if (t <= t0) return segFrom[i]!;
    return segFrom[i]! + ((segTo[i]! - segFrom[i]!) * (t - t0)) / (t1 - t0);
  }

  /** Fair price (raw 1e-9, not on a tick) after moving the name's random part to time t. */
  function fairAt(i: number, t: number, scripted: boolean): number {
    const dt = t - lastT[i]!;
    lastT[i] = t;
    let z = noise[i]!;
    if (scripted) z = 0;
    else if (quiet[i]) {
      // Exact Ornstein-Uhlenbeck step: stationary sd QUIET_SD however long since the last print.
      const decay = Math.exp(-dt / QUIET_TAU);
      z = z * decay + QUIET_SD * Math.sqrt(1 - decay * decay) * fastNormal(rng);
    } else if (dt > 0) z += sigma[i]! * Math.sqrt(dt) * fastNormal(rng);
    noise[i] = z;
    return Math.exp(logBase[i]! + pathAt(i, t) + z) * PRICE_SCALE;
  }

  function lotSize(i: number): number {
    const a = u.avgTradeSize[i]! * sizeMult[i]!;
    // Log-normal sizes with mean `a`; quiet names trade in steadier lots.
    let s = quiet[i]
      ? Math.round(a * Math.exp(0.35 * fastNormal(rng) - 0.06125))
      : Math.round(a * Math.exp(0.9 * fastNormal(rng) - 0.405));
    if (s < 1) s = 1;
    else if (s > 100 && rng.float() < 0.6) s = Math.round(s / 100) * 100;
    return s;
  }

  function bookSize(i: number): number {
    return 100 * (1 + Math.floor(rng.float() * (u.mbp[i] ? 12 : 4)));
  }

  function quoteRecord(
    i: number,
    off: number,
    recvOff: number,
    inDelta: number,
    side: number,
    px: number,
    sz: number,
  ): void {
    const pub = u.publisherId[i]!;
    sink.mbp1(
      pub,
      u.instrumentId[i]!,
      off,
      recvOff,
      C_ADD,
      side,
      px,
      sz,
      ++seq[pub]!,
      inDelta,
      bid[i]!,
      ask[i]!,
      bidSz[i]!,
      askSz[i]!,
      1,
      1,
    );
  }

  /** Emits the records of one event of name i at t (seconds after the open). */
  function event(i: number, t: number, forceTrade: boolean, scripted: boolean, sizeX: number): void {
    const fair = fairAt(i, t, scripted);
    const tick = fair >= PRICE_SCALE ? 10_000_000 : 100_000;
    // Quiet names are liquid: a tick or two wide.
    let spread = Math.round((fair * (quiet[i] ? 0.0002 : u.spreadFrac[i]!)) / tick);
    if (spread < 1) spread = 1;
    let bt = Math.floor(fair / tick - spread / 2 + 0.5);
    if (bt < 1) bt = 1;
    const nb = bt * tick;
    let na = (bt + spread) * tick;
    // A sub-dollar quote whose ask reaches $1 must be on a penny there (Reg NMS Rule 612).
    if (na >= PRICE_SCALE && tick < 10_000_000) na = Math.ceil(na / 10_000_000) * 10_000_000;
    const tNs = Math.round(t * 1e9);
    const off = openOff + tNs;
    const r = rng.u32();
    const recvOff = off + 20_000 + (r & 0x3ffff);
    const inDelta = 3_000 + ((r >>> 18) & 0x3fff);
    const pub = u.publisherId[i]!;
    const iid = u.instrumentId[i]!;
    const isMbp = u.mbp[i] === 1;
    const trade = forceTrade || !isMbp || rng.float() * (1 + QUOTES_PER_TRADE) < 1;

    if (isMbp) {
      let quoted = false;
      const firstQuote = ask[i] === 0;
      if (firstQuote) {
        // First quote of the day: both sides appear, the bid first.
        bid[i] = nb;
        bidSz[i] = bookSize(i);
        ask[i] = na;
        askSz[i] = bookSize(i);
        quoteRecord(i, off, recvOff, inDelta, C_BID, nb, bidSz[i]!);
        quoteRecord(i, off, recvOff, inDelta, C_ASK, na, askSz[i]!);
        quoted = true;
      } else if (nb !== bid[i] || na !== ask[i]) {
        // Move the side in the direction of travel first, so no record shows a crossed book.
        const up = na > ask[i]! || nb > bid[i]!;
        for (let step = 0; step < 2; step++) {
          const askStep = up ? step === 0 : step === 1;
          if (askStep && na !== ask[i]) {
            ask[i] = na;
            askSz[i] = bookSize(i);
            quoteRecord(i, off, recvOff, inDelta, C_ASK, na, askSz[i]!);
          } else if (!askStep && nb !== bid[i]) {
            bid[i] = nb;
            bidSz[i] = bookSize(i);
            quoteRecord(i, off, recvOff, inDelta, C_BID, nb, bidSz[i]!);
          }
        }
        quoted = true;
      }
      if (!trade) {
        if (!quoted) {
          // A size change at the top: an add or a partial cancel on one side.
          const onBid = rng.float() < 0.5;
          const delta = 100 * (1 + Math.floor(rng.float() * 3));
          let action = C_ADD;
          if (onBid) {
            if (bidSz[i]! > delta && rng.float() < 0.5) {
              bidSz[i] = bidSz[i]! - delta;
              action = C_CANCEL;
            } else bidSz[i] = bidSz[i]! + delta;
          } else if (askSz[i]! > delta && rng.float() < 0.5) {
            askSz[i] = askSz[i]! - delta;
            action = C_CANCEL;
          } else askSz[i] = askSz[i]! + delta;
          sink.mbp1(
            pub,
            iid,
            off,
            recvOff,
            action,
            onBid ? C_BID : C_ASK,
            onBid ? bid[i]! : ask[i]!,
            delta,
            ++seq[pub]!,
            inDelta,
            bid[i]!,
            ask[i]!,
            bidSz[i]!,
            askSz[i]!,
            1,
            1,
          );
        }
        return;
      }
    } else {
      bid[i] = nb;
      ask[i] = na;
    }

    // A trade: buyers lift the ask ('B' aggressor), sellers hit the bid ('A'); a scripted move tilts the flow.
    const slope = segT1[i]! > t && segT0[i]! <= t ? segTo[i]! - segFrom[i]! : 0;
    const pBuy = slope > 0 ? 0.7 : slope < 0 ? 0.3 : 0.5;
    const buy = rng.float() < pBuy;
    let price = buy ? ask[i]! : bid[i]!;
    let side = buy ? C_BID : C_ASK;
    if (scripted) {
      // Crosses and scripted prints happen at the path price itself, with no aggressor.
      price = Math.max(tick, Math.round(fair / tick) * tick);
      side = C_NONE;
    }
    const size = sizeX > 0 ? Math.max(100, Math.round((u.avgTradeSize[i]! * sizeX) / 100) * 100) : lotSize(i);
    if (price > dayHigh[i]!) dayHigh[i] = price;
    if (price < dayLow[i]!) dayLow[i] = price;
    if (isMbp) {
      sink.mbp1(
        pub,
        iid,
        off,
        recvOff,
        C_TRADE,
        side,
        price,
        size,
        ++seq[pub]!,
        inDelta,
        bid[i]!,
        ask[i]!,
        bidSz[i]!,
        askSz[i]!,
        1,
        1,
      );
      // The hit level shrinks (a new one appears at the next event if it is gone).
      if (buy) askSz[i] = askSz[i]! > size ? askSz[i]! - size : bookSize(i);
      else bidSz[i] = bidSz[i]! > size ? bidSz[i]! - size : bookSize(i);
    } else {
      sink.trade(pub, iid, off, recvOff, price, size, side, ++seq[pub]!, inDelta);
    }
  }

  function status(
    i: number,
    t: number,
    action: number,
    reason: number,
    trading: boolean,
    quoting: boolean,
  ): void {
    const off = openOff + Math.round(t * 1e9);
    sink.status(
      u.publisherId[i]!,
      u.instrumentId[i]!,
      off,
      off + 35_000,
      action,
      reason,
      0,
      trading ? C_YES : C_NONE,
      quoting ? C_YES : C_NONE,
    );
  }

  const actions = script.actions;
  let ai = 0;
  for (let sec = clock.startSec; sec < clock.endSec; sec++) {
    let t = sec;
    // Scripted changes take effect at the second's start (their records first).
    while (ai < actions.length && actions[ai]!.sec <= sec) {
      const a = actions[ai++]!;
      if (a.sec < sec) continue;
      const i = a.slot;
      switch (a.kind) {
        case ActionKind.SEGMENT: {
          const from = pathAt(i, sec);
          segFrom[i] = from;
          segTo[i] = from + a.a;
          segT0[i] = sec;
          segT1[i] = sec + a.b;
          break;
        }
        case ActionKind.EXTREME: {
          const from = pathAt(i, sec);
          const now = logBase[i]! + from + noise[i]!;
          const goal =
            a.a > 0
              ? Math.log((dayHigh[i]! * 1.02) / PRICE_SCALE)
              : Math.log((dayLow[i]! * 0.98) / PRICE_SCALE);
          // Always far enough to end about 2% beyond the extreme (a name well off its high needs
          // more than 2%), but no more than 6%.
          const move = Math.min(Math.log(1.06), Math.max(Math.log(1.02), a.a * (goal - now)));
          segFrom[i] = from;
          segTo[i] = from + a.a * move;
          segT0[i] = sec;
          segT1[i] = sec + a.b;
          break;
        }
        case ActionKind.RATE:
          rateMult[i] = a.a;
          sizeMult[i] = a.b;
          addOverlay(i);
          break;
        case ActionKind.HALT:
          halted[i] = 1;
          status(i, sec, a.a, a.b, false, a.a === StatusAction.PAUSE);
          addOverlay(i);
          break;
        case ActionKind.RESUME:
          halted[i] = 0;
          status(i, sec, StatusAction.TRADING, a.a, true, true);
          break;
        case ActionKind.PRINT:
          blocked[i] = 0;
          event(i, sec, true, true, a.b);
          break;
      }
      if (sink.full) {
        yield sink.batch();
        sink.reset();
      }
    }
    if (sec === 0) {
      // The open: every name's status turns to trading, then the opening cross prints.
      for (let i = 0; i < n; i++) {
        if (halted[i]) continue;
        status(i, 0, StatusAction.TRADING, StatusReason.SCHEDULED, true, true);
        if (sink.full) {
          yield sink.batch();
          sink.reset();
        }
      }
      const cross = script.crossSlots;
      for (let k = 0; k < cross.length; k++) {
        const i = cross[k]!;
        if (halted[i]) continue;
        const wasBlocked = blocked[i] === 1;
        blocked[i] = 0;
        const tc = (CROSS_START_NS + k * CROSS_SPACING_NS) / 1e9;
        event(i, tc, true, wasBlocked, 0.002 * (u.adv[i]! / u.avgTradeSize[i]!) * (0.5 + rng.float()));
        if (sink.full) {
          yield sink.batch();
          sink.reset();
        }
      }
      t = (CROSS_START_NS + cross.length * CROSS_SPACING_NS) / 1e9;
    }

    const p = activityAt(sec + 0.5, clock.closeSec);
    const regular = sec >= 0 && sec < clock.closeSec;
    const lamAlias = alias.total * p;
    let lamOverlay = 0;
    for (let k = 0; k < overlay.length; k++) {
      const i = overlay[k]!;
      const w = halted[i] || blocked[i] ? 0 : eventRate[i]! * (quiet[i] && regular ? 1 : p) * rateMult[i]!;
      ow[k] = w;
      lamOverlay += w;
    }
    const lam = lamAlias + lamOverlay;
    if (lam <= 0) continue;
    const end = sec + 1;
    for (;;) {
      t += fastExp(rng) / lam;
      if (t >= end) break;
      let i: number;
      const x = rng.float() * lam;
      if (x < lamAlias) {
        i = alias.sample(rng);
        if (inOverlay[i] || blocked[i]) continue; // thinned: the overlay carries this name
      } else {
        let y = x - lamAlias;
        let k = 0;
        while (k < overlay.length - 1 && y >= ow[k]!) {
          y -= ow[k]!;
          k++;
        }
        i = overlay[k]!;
        if (ow[k] === 0) continue;
      }
      event(i, t, false, false, 0);
      if (sink.full) {
        yield sink.batch();
        sink.reset();
      }
    }
  }
  if (sink.count > 0) yield sink.batch();
}
