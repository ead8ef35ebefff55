// The screener engine: reads decoded DBN record batches in place (DataView at the offsets of
// core/dbn-layout, no object per record), keeps per-symbol state in typed arrays (slot-state.ts),
// builds 1-second and 1-minute bars, updates indicators once per closed bar, runs the built-in
// detectors, the user's compiled rules and the trade workflows' price triggers, and reports through
// callbacks. Pure: no I/O, no clock of its own (event time only), so replays and backtests give the
// same alerts as the live run.
//
// Records: trades (MBP-0; MBP-1/TBBO/CMBP-1/TCBBO with action 'T'), top-of-book updates (other
// MBP-1/CMBP-1 actions, BBO/CBBO), status (halt/resume), ohlcv-1d (reference: prior close and average
// daily volume, from bars dated before the day being screened). Where a symbol has no trades at all,
// the quote mid drives its bars. Other rtypes are skipped after one byte read.
//
// Evaluation points: per trade - gap (pre-market with enough volume, and the opening print), volume
// spike, momentum, new high/low of day, price triggers; per closed 1-minute bar (regular session) -
// VWAP cross, RSI, MACD, Bollinger; user rules - on the first trade of each second per symbol (so a
// rule costs at most one evaluation per symbol-second), edge-triggered (fires when its condition
// becomes true) with the rule's cooldown.
import type { Alert, AlertType } from '@tradeassist/core/alert';
import {
  formatDays,
  SESSION_NAMES,
  SessionClock,
  SessionCode,
  tradingDayInfo,
} from '@tradeassist/core/calendar';
import {
  isUndefPrice,
  MBP1,
  OHLCV,
  type RecordBatch,
  RType,
  readI64,
  readTsSeconds,
  readU64String,
  STATUS,
  StatusAction,
  TRADE,
} from '@tradeassist/core/dbn-layout';
import { decimalToFixed, fixedToDecimal, PRICE_SCALE } from '@tradeassist/core/money';
import { hhmm, hhmmss, round2 } from './alert-keys.ts';
import { barClosed } from './bar-detectors.ts';
import { type DeepPartial, type DetectorConfig, resolveConfig } from './detector-config.ts';
import type { DetectorHost } from './detector-host.ts';
import { updateIndicators } from './indicators.ts';
import {
  type ArmedTrigger,
  parseTriggers,
  type TriggerEvent,
  type TriggerLoadError,
} from './price-triggers.ts';
import { type CompiledRule, compileRule, type RuleCompileIssue } from './rule-compiler.ts';
import { RuleSet } from './rule-set.ts';
import { alertScore } from './score.ts';
import { shardOf } from './shard.ts';
import { AVG_DAYS, N_TYPES, SlotState } from './slot-state.ts';
import { gapCheck, highLowCheck, momentumCheck, volumeSpikeCheck } from './trade-detectors.ts';
import { CUMULATIVE_SHARE, DAY_MINUTES } from './volume-profile.ts';

// tsx/esbuild compile imported bindings to getter calls; the hot path reads module-local copies.
const R_MBP0 = RType.MBP_0;
const R_MBP1 = RType.MBP_1;
const R_CMBP1 = RType.CMBP_1;
const R_TCBBO = RType.TCBBO;
const R_CBBO1S = RType.CBBO_1S;
const R_BBO1M = RType.BBO_1M;
const R_STATUS = RType.STATUS;
const R_OHLCV1D = RType.OHLCV_1D;
const T_ACTION = TRADE.ACTION;
const T_PRICE = TRADE.PRICE;
const T_SIZE = TRADE.SIZE;
const BID_PX = MBP1.BID_PX;
const ASK_PX = MBP1.ASK_PX;
const O_VOLUME = OHLCV.VOLUME;
const O_CLOSE = OHLCV.CLOSE;
const S_ACTION = STATUS.ACTION;
const S_REASON = STATUS.REASON;
const SCALE = PRICE_SCALE;
const CUMULATIVE_SHARE_ = CUMULATIVE_SHARE;
const DAY_MINUTES_ = DAY_MINUTES;
const N_TYPES_ = N_TYPES;
const AVG_DAYS_ = AVG_DAYS;
const readI64_ = readI64;
const readTsSeconds_ = readTsSeconds;
const isUndefPrice_ = isUndefPrice;
const updateIndicators_ = updateIndicators;
const gapCheck_ = gapCheck;
const volumeSpikeCheck_ = volumeSpikeCheck;
const momentumCheck_ = momentumCheck;
const highLowCheck_ = highLowCheck;
const barClosed_ = barClosed;
const CHAR_T = 0x54; // 'T'
/** Prints this soon after the close still set the day's close (the closing cross lands at ~16:00:00.x). */
const CLOSING_PRINT_GRACE_NS = 5e9;
const DIRECT_IDS = 1 << 22; // instrument ids below this index a typed table; larger ones a Map
const { CLOSED, PRE, REGULAR } = SessionCode;

export interface ReferenceData {
  /** Prior regular-session close, decimal string (e.g. from `daily_bars`). */
  prevClose?: string | undefined;
  /** Mean daily volume of the last 20 trading days, shares. */
  avgVolume?: number | undefined;
}

/**
 * A finished 1-minute bar (prints with size > 0 only; a minute without trades has none). Prices are
 * raw 1e-9 fixed-point integers as in DBN; `pv` is the minute's sum of price x size in the same raw
 * units (a double: the bar's VWAP is pv / volume, a derived value, not a price that was traded).
 */
export interface MinuteBar {
  symbol: string;
  /** The minute's start, UTC seconds. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  pv: number;
  trades: number;
}

export interface RuleLoadError {
  readonly ruleId: string | null;
  readonly index: number;
  readonly issues: readonly RuleCompileIssue[];
}
export interface RuleLoadReport {
  readonly loaded: number;
  readonly errors: readonly RuleLoadError[];
}

export interface EngineOptions {
  config?: DeepPartial<DetectorConfig>;
  /** Only symbols with shardOf(symbol, count) === index are screened. */
  shard?: { index: number; count: number };
  onAlert?: (alert: Alert) => void;
  onTrigger?: (event: TriggerEvent) => void;
  /**
   * Each finished 1-minute bar, when the symbol's next print opens a later minute (or its next day
   * starts); `flushBars()` reports the minutes still open. Costs nothing per print when unset.
   */
  onBar?: (bar: MinuteBar) => void;
  /** Bad rules met by setRules (also returned by it). */
  onRuleError?: (error: RuleLoadError) => void;
}

export interface EngineStats {
  records: number;
  trades: number;
  quotes: number;
  statuses: number;
  dailyBars: number;
  skipped: number;
  alerts: number;
  symbols: number;
}

export class ScreenerEngine implements DetectorHost {
  readonly config: DetectorConfig;
  readonly st = new SlotState();
  readonly clock = new SessionClock();
  readonly stats: EngineStats = {
    records: 0,
    trades: 0,
    quotes: 0,
    statuses: 0,
    dailyBars: 0,
    skipped: 0,
    alerts: 0,
    symbols: 0,
  };

  private readonly onAlert: (a: Alert) => void;
  private readonly onTrigger: (e: TriggerEvent) => void;
  private readonly onRuleError: (e: RuleLoadError) => void;
  private readonly onBar: ((b: MinuteBar) => void) | null;
  private readonly shard: { index: number; count: number } | undefined;
  private idTable = new Int32Array(1 << 16).fill(-1);
  private readonly bigIds = new Map<number, number>();
  private readonly slotOf = new Map<string, number>();
  private ruleSet: RuleSet = new RuleSet([], [], 0, []);
  private triggers = new Map<number, ArmedTrigger[]>();
  private pendingTriggers: ArmedTrigger[] = [];
  private readonly firedTriggers = new Set<string>();
  /** The print whose rules are being evaluated (read by fireRule). */
  private readonly firing = { s: 0, price: 0, ts: 0, sess: 0 };
  // the record being processed (alerts read their exact ts_event from it)
  private view: DataView = new DataView(new ArrayBuffer(8));
  private off = 0;
  /** Nanoseconds of the current record since the New York midnight that starts the clock's day. */
  /** @internal */
  rel = 0;
  // the clock's day in nanoseconds: its midnight as (hi, lo) u32 halves, its length, session edges
  private dayHi = 0;
  private dayLo = 0;
  private dayLenNs = 0;
  /** @internal */
  dayStartS = 0;
  private preRel = 0;
  /** @internal */
  openRel = 0;
  /** @internal */
  closeRel = 0;
  private postRel = 0;
  // derived from config, in raw units
  /** @internal */
  readonly minPriceRaw: number;

  constructor(opts: EngineOptions = {}) {
    this.config = resolveConfig(opts.config);
    this.onAlert = opts.onAlert ?? (() => {});
    this.onTrigger = opts.onTrigger ?? (() => {});
    this.onRuleError = opts.onRuleError ?? (() => {});
    this.onBar = opts.onBar ?? null;
    this.shard = opts.shard;
    this.minPriceRaw = this.config.minPrice * SCALE;
  }

  // ---- wiring -------------------------------------------------------------------------------------

  /** instrument_id -> ticker, before the records that use it (a later call re-maps the id). */
  mapSymbol(instrumentId: number, ticker: string): void {
    let s = -1;
    if (!this.shard || shardOf(ticker, this.shard.count) === this.shard.index) s = this.slotFor(ticker);
    if (instrumentId < DIRECT_IDS) {
      if (instrumentId >= this.idTable.length) {
        let n = this.idTable.length;
        while (n <= instrumentId) n *= 2;
        const t = new Int32Array(n).fill(-1);
        t.set(this.idTable);
        this.idTable = t;
      }
      this.idTable[instrumentId] = s;
    } else {
      this.bigIds.set(instrumentId, s);
    }
  }

  /** Prior close / average volume from the database; overrides what the stream said so far. */
  setReference(ticker: string, ref: ReferenceData): void {
    if (this.shard && shardOf(ticker, this.shard.count) !== this.shard.index) return;
    const s = this.slotFor(ticker);
    const st = this.st;
    if (ref.prevClose !== undefined) st.prevClose[s] = Number(decimalToFixed(ref.prevClose));
    if (ref.avgVolume !== undefined && ref.avgVolume > 0) {
      st.volRing.fill(ref.avgVolume, s * AVG_DAYS_, (s + 1) * AVG_DAYS_);
      st.volRingN[s] = AVG_DAYS_;
      st.avgVolume[s] = ref.avgVolume;
    }
  }

  /**
   * Replaces the user rules atomically. Bad rules are reported (returned and passed to onRuleError)
   * and skipped; the good ones take effect from the next record. A rule whose definition did not
   * change keeps its state (no re-fire after a reload).
   */
  setRules(
    defs: readonly unknown[],
    ctx: { watchlists?: Record<string, readonly string[]> } = {},
  ): RuleLoadReport {
    const errors: RuleLoadError[] = [];
    const rules: CompiledRule[] = [];
    const scopes: (Set<string> | null)[] = [];
    defs.forEach((def, index) => {
      const res = compileRule(def);
      if (!res.ok) {
        errors.push({ ruleId: res.error.ruleId, index, issues: res.error.issues });
        return;
      }
      const rule = res.rule;
      if (!rule.def.enabled) return;
      let symbols: Set<string> | null = null;
      const scope = rule.def.scope;
      if (scope.kind === 'symbols') symbols = new Set(scope.symbols);
      else if (scope.kind === 'watchlist') {
        const list = ctx.watchlists?.[scope.watchlist_id];
        if (!list) {
          errors.push({
            ruleId: rule.def.id,
            index,
            issues: [{ path: 'scope.watchlist_id', reason: `watchlist ${scope.watchlist_id} is not loaded` }],
          });
          return;
        }
        symbols = new Set(list);
      }
      rules.push(rule);
      scopes.push(symbols);
    });
    const set = new RuleSet(rules, scopes, this.st.capacity, this.st.tickers, this.ruleSet);
    set.warmUp();
    set.onFire = (i) => this.fireRule(this.firing, set.rules[i]!);
    this.ruleSet = set;
    for (const e of errors) this.onRuleError(e);
    return { loaded: rules.length, errors };
  }

  /** Replaces the watched stop/target levels. A trigger id that already fired never fires again. */
  setPriceTriggers(list: readonly unknown[]): { armed: number; errors: TriggerLoadError[] } {
    const { armed, errors } = parseTriggers(list);
    const st = this.st;
    for (const s of this.triggers.keys()) {
      st.trigAbove[s] = Number.POSITIVE_INFINITY;
      st.trigBelow[s] = Number.NEGATIVE_INFINITY;
    }
    this.triggers = new Map();
    this.pendingTriggers = [];
    let n = 0;
    for (const a of armed) {
      if (this.firedTriggers.has(a.t.id)) continue;
      n++;
      const s = this.slotOf.get(a.t.symbol);
      if (s === undefined) this.pendingTriggers.push(a);
      else this.armTrigger(s, a);
    }
    return { armed: n, errors };
  }

  // ---- the hot loop -------------------------------------------------------------------------------

  /** A source batch as market-data sources yield it: its symbol mappings first, then its records. */
  processSourceBatch(batch: {
    readonly records: RecordBatch;
    readonly symbols?: ReadonlyArray<readonly [instrumentId: number, symbol: string]>;
  }): void {
    if (batch.symbols) for (const [id, t] of batch.symbols) this.mapSymbol(id, t);
    this.processBatch(batch.records);
  }

  processBatch(batch: RecordBatch): void {
    const view = batch.view;
    const offsets = batch.offsets;
    const n = batch.count;
    const st = this.st;
    const clock = this.clock;
    this.view = view;
    let skipped = 0;
    for (let i = 0; i < n; i++) {
      const off = offsets[i]!;
      const rtype = view.getUint8(off + 1);
      let kind: number; // 1 trade, 2 trade + book, 3 book, 4 status
      if (rtype === R_MBP0) kind = 1;
      else if (rtype === R_MBP1 || rtype === R_CMBP1 || rtype === R_TCBBO)
        kind = view.getUint8(off + T_ACTION) === CHAR_T ? 2 : 3;
      else if (rtype >= R_CBBO1S && rtype <= R_BBO1M && rtype !== R_TCBBO) kind = 3;
      else if (rtype === R_STATUS) kind = 4;
      else if (rtype === R_OHLCV1D) {
        this.onDailyBar(view, off);
        continue;
      } else {
        skipped++;
        continue;
      }
      const iid = view.getUint32(off + 4, true);
      const s = iid < this.idTable.length ? this.idTable[iid]! : (this.bigIds.get(iid) ?? -1);
      if (s < 0) {
        skipped++;
        continue;
      }
      // Time as exact nanoseconds since the New York day's midnight: (hi, lo) differences stay
      // below 2^53, so minute and second buckets and session edges are exact, with no BigInt.
      const lo = view.getUint32(off + 8, true);
      const hi = view.getUint32(off + 12, true);
      let rel = (hi - this.dayHi) * 4294967296 + (lo - this.dayLo);
      if (rel >= this.dayLenNs || rel < 0) {
        if (rel < 0 && this.dayLenNs > 0) {
          skipped++; // a straggler from a day already screened
          continue;
        }
        this.moveDay(hi * 4.294967296 + lo * 1e-9);
        rel = (hi - this.dayHi) * 4294967296 + (lo - this.dayLo);
        if (rel < 0 || rel >= this.dayLenNs) {
          skipped++; // within a rounding error of midnight: nothing trades then
          continue;
        }
      }
      if (st.day[s] !== clock.days) this.resetDay(s);
      if (kind === 3 && st.hasTrades[s] !== 0) {
        // the common case (most records): a top-of-book update of a symbol that trades
        this.stats.quotes++;
        this.updateBook(view, off, s);
        continue;
      }
      this.off = off;
      this.rel = rel;
      const ts = this.dayStartS + rel / 1e9;
      const sess =
        !clock.trading || rel < this.preRel || rel >= this.postRel
          ? CLOSED
          : rel < this.openRel
            ? PRE
            : rel < this.closeRel
              ? REGULAR
              : 3;

      if (kind <= 2) {
        if (kind === 2) this.updateBook(view, off, s);
        if (view.getInt32(off + T_PRICE + 4, true) === 0x7fffffff) continue;
        const price = readI64_(view, off + T_PRICE);
        const size = view.getUint32(off + T_SIZE, true);
        st.hasTrades[s] = 1;
        this.stats.trades++;
        this.onPrint(s, price, size, ts, sess);
        if (price >= st.trigAbove[s]! || price <= st.trigBelow[s]!) this.fireTriggers(s, price);
      } else if (kind === 3) {
        this.stats.quotes++;
        this.updateBook(view, off, s);
        if (st.hasTrades[s] === 0) {
          const b = st.bid[s]!;
          const a = st.ask[s]!;
          if (b > 0 && a > 0 && a >= b) this.onPrint(s, (a + b) / 2, 0, ts, sess);
        }
      } else {
        this.stats.statuses++;
        this.onStatus(view, off, s, ts, sess);
      }
    }
    this.stats.records += n;
    this.stats.skipped += skipped;
  }

  /** Moves the session clock to the New York day of `ts` (seconds) and caches its edges in ns. */
  private moveDay(ts: number): void {
    const clock = this.clock;
    clock.moveTo(ts);
    const base = BigInt(clock.dayStart) * 1_000_000_000n;
    this.dayHi = Number(base >> 32n);
    this.dayLo = Number(base & 0xffffffffn);
    this.dayStartS = clock.dayStart;
    this.dayLenNs = (clock.dayEnd - clock.dayStart) * 1e9;
    this.preRel = (clock.preOpen - clock.dayStart) * 1e9;
    this.openRel = (clock.open - clock.dayStart) * 1e9;
    this.closeRel = (clock.close - clock.dayStart) * 1e9;
    this.postRel = (clock.postClose - clock.dayStart) * 1e9;
  }

  private updateBook(view: DataView, off: number, s: number): void {
    if (!isUndefPrice_(view, off + BID_PX)) this.st.bid[s] = readI64_(view, off + BID_PX);
    if (!isUndefPrice_(view, off + ASK_PX)) this.st.ask[s] = readI64_(view, off + ASK_PX);
  }

  /** A print (or, for a symbol without trades, a quote mid with size 0). */
  private onPrint(s: number, price: number, size: number, ts: number, sess: number): void {
    const st = this.st;
    if (sess === CLOSED) {
      st.last[s] = price;
      return;
    }
    const m = Math.floor((this.rel - this.preRel) / 60e9);
    if (m > st.curMin[s]!) this.rollMinute(s, m, price);

    let openPrint = false;
    if (sess === REGULAR) {
      if (st.regOpen[s] === 0) {
        openPrint = true;
        st.regOpen[s] = price;
        st.regHigh[s] = price;
        st.regLow[s] = price;
        // session VWAP: the regular session starts its own (the pre-market one ends here)
        st.vwapPV[s] = 0;
        st.vwapV[s] = 0;
        st.vwapSide[s] = 0;
      } else {
        if (price > st.regHigh[s]!) {
          highLowCheck_(this, s, price, ts, sess, true);
          st.regHigh[s] = price;
        } else if (price < st.regLow[s]!) {
          highLowCheck_(this, s, price, ts, sess, false);
          st.regLow[s] = price;
        }
      }
      st.regLast[s] = price;
    } else if (sess === PRE) {
      st.preVolume[s] = st.preVolume[s]! + size;
    } else if (this.rel < this.closeRel + CLOSING_PRINT_GRACE_NS && size > 0) {
      // the closing auction prints just after the bell: it is the day's official close
      st.regLast[s] = price;
    }

    // day totals
    if (size > 0) {
      st.mPV[s] = st.mPV[s]! + price * size;
      st.mTrades[s] = st.mTrades[s]! + 1;
      st.dayVolume[s] = st.dayVolume[s]! + size;
      st.dollarVolume[s] = st.dollarVolume[s]! + (price / SCALE) * size;
      st.vwapPV[s] = st.vwapPV[s]! + price * size;
      st.vwapV[s] = st.vwapV[s]! + size;
    }
    if (st.dayHigh[s] === 0) {
      st.dayHigh[s] = price;
      st.dayLow[s] = price;
    } else if (price > st.dayHigh[s]!) st.dayHigh[s] = price;
    else if (price < st.dayLow[s]!) st.dayLow[s] = price;
    st.last[s] = price;

    // bars
    if (price > st.mHigh[s]!) st.mHigh[s] = price;
    else if (price < st.mLow[s]!) st.mLow[s] = price;
    st.mClose[s] = price;
    st.mVol[s] = st.mVol[s]! + size;
    const sec = Math.floor(this.rel / 1e9);
    let newSecond = false;
    if (sec !== st.curSec[s]) {
      newSecond = true;
      st.curSec[s] = sec;
      st.sOpen[s] = price;
      st.sHigh[s] = price;
      st.sLow[s] = price;
      st.sVol[s] = 0;
    } else if (price > st.sHigh[s]!) st.sHigh[s] = price;
    else if (price < st.sLow[s]!) st.sLow[s] = price;
    st.sClose[s] = price;
    st.sVol[s] = st.sVol[s]! + size;

    // per-trade detectors
    const cfg = this.config;
    if (price >= this.minPriceRaw) {
      if (cfg.gap.enabled && (sess === PRE || openPrint) && st.prevClose[s]! > 0)
        gapCheck_(this, s, price, ts, sess, openPrint);
      if (size > 0) {
        if (cfg.volumeSpike.enabled) volumeSpikeCheck_(this, s, price, ts, sess, m);
        if (cfg.momentum.enabled) momentumCheck_(this, s, price, ts, sess, m);
      }
    }
    if (newSecond && this.ruleSet.rules.length > 0) {
      this.firing.s = s;
      this.firing.price = price;
      this.firing.ts = ts;
      this.firing.sess = sess;
      this.ruleSet.evaluate(st, s, sess, ts);
    }
  }

  private rollMinute(s: number, m: number, price: number): void {
    const st = this.st;
    const prev = st.curMin[s]!;
    if (prev >= 0) {
      const close = st.mClose[s]!;
      const cum = st.dayVolume[s]!;
      const end = Math.min(m, DAY_MINUTES_);
      for (let k = prev; k < end; k++) st.setMinute(s, k, close, cum);
      updateIndicators_(st, s, st.mHigh[s]!, st.mLow[s]!, close);
      if (this.config.indicators.enabled) barClosed_(this, s, prev, close);
      if (this.onBar !== null && st.mTrades[s]! > 0) this.emitBar(s, this.clock.preOpen + prev * 60);
    } else {
      st.firstMin[s] = m;
    }
    st.curMin[s] = m;
    st.mOpen[s] = price;
    st.mHigh[s] = price;
    st.mLow[s] = price;
    st.mClose[s] = price;
    st.mVol[s] = 0;
    st.mPV[s] = 0;
    st.mTrades[s] = 0;
  }

  private emitBar(s: number, ts: number): void {
    const st = this.st;
    this.onBar!({
      symbol: st.tickers[s]!,
      ts,
      open: st.mOpen[s]!,
      high: st.mHigh[s]!,
      low: st.mLow[s]!,
      close: st.mClose[s]!,
      volume: st.mVol[s]!,
      pv: st.mPV[s]!,
      trades: st.mTrades[s]!,
    });
  }

  /**
   * Reports every minute still open today (its bar so far) through onBar, without closing it: at the
   * end of a finite source or at shutdown, so the last minute of each symbol is not lost. The same
   * minute is reported again, complete, if it goes on; consumers upsert on (symbol, ts).
   */
  flushBars(): number {
    if (this.onBar === null) return 0;
    const st = this.st;
    let n = 0;
    for (let s = 0; s < st.count; s++) {
      if (st.day[s] !== this.clock.days || st.curMin[s]! < 0 || st.mTrades[s]! === 0) continue;
      this.emitBar(s, this.clock.preOpen + st.curMin[s]! * 60);
      n++;
    }
    return n;
  }

  private resetDay(s: number): void {
    const st = this.st;
    const old = st.day[s]!;
    if (old >= 0) {
      if (st.curMin[s]! >= 0) updateIndicators_(st, s, st.mHigh[s]!, st.mLow[s]!, st.mClose[s]!);
      // the old day's last minute closes here (once per symbol and day: off the per-print path)
      if (this.onBar !== null && st.curMin[s]! >= 0 && st.mTrades[s]! > 0)
        this.emitBar(s, tradingDayInfo(formatDays(old)).preOpen + st.curMin[s]! * 60);
      if (old < this.clock.days) {
        if (st.regLast[s]! > 0) st.prevClose[s] = st.regLast[s]!;
        if (st.dayVolume[s]! > 0) this.pushDailyVolume(s, st.dayVolume[s]!);
      }
    }
    st.day[s] = this.clock.days;
    st.dayHigh[s] = 0;
    st.dayLow[s] = 0;
    st.regOpen[s] = 0;
    st.regLast[s] = 0;
    st.regHigh[s] = 0;
    st.regLow[s] = 0;
    st.dayVolume[s] = 0;
    st.preVolume[s] = 0;
    st.dollarVolume[s] = 0;
    st.vwapPV[s] = 0;
    st.vwapV[s] = 0;
    st.vwapSide[s] = 0;
    st.curMin[s] = -1;
    st.firstMin[s] = -1;
    st.mVol[s] = 0;
    st.mPV[s] = 0;
    st.mTrades[s] = 0;
    st.curSec[s] = -1;
    st.evalSec[s] = -1;
    st.halted[s] = 0;
    st.gapUpPct[s] = 0;
    st.gapDownPct[s] = 0;
    st.gapUpCount[s] = 0;
    st.gapDownCount[s] = 0;
    st.hodLevel[s] = 0;
    st.lodLevel[s] = 0;
  }

  private pushDailyVolume(s: number, volume: number): void {
    const st = this.st;
    const n = st.volRingN[s]!;
    st.volRing[s * AVG_DAYS_ + (n % AVG_DAYS_)] = volume;
    st.volRingN[s] = n + 1;
    const k = Math.min(n + 1, AVG_DAYS_);
    let sum = 0;
    for (let i = 0; i < k; i++) sum += st.volRing[s * AVG_DAYS_ + i]!;
    st.avgVolume[s] = sum / k;
  }

  private onDailyBar(view: DataView, off: number): void {
    this.stats.dailyBars++;
    const iid = view.getUint32(off + 4, true);
    const s = iid < this.idTable.length ? this.idTable[iid]! : (this.bigIds.get(iid) ?? -1);
    if (s < 0) return;
    // ohlcv-1d bars are stamped with the UTC midnight that starts their date
    const barDay = Math.floor(readTsSeconds_(view, off + 8) / 86_400);
    if (this.clock.days >= 0 && barDay >= this.clock.days) return; // today's own bar: not a reference
    const st = this.st;
    this.pushDailyVolume(s, readI64_(view, off + O_VOLUME));
    if (barDay > st.refDay[s]!) {
      st.refDay[s] = barDay;
      st.prevClose[s] = readI64_(view, off + O_CLOSE);
    }
  }

  private onStatus(view: DataView, off: number, s: number, ts: number, sess: number): void {
    if (!this.config.halts.enabled) return;
    const st = this.st;
    const action = view.getUint16(off + S_ACTION, true);
    const reason = view.getUint16(off + S_REASON, true);
    const halt =
      action === StatusAction.HALT || action === StatusAction.PAUSE || action === StatusAction.SUSPEND;
    if (halt && st.halted[s] === 0) {
      st.halted[s] = 1;
      this.emit(s, 'halt', st.last[s]!, ts, sess, 1, { action, reason }, this.keyAt(s, 'halt', true));
    } else if (action === StatusAction.TRADING && st.halted[s] === 1) {
      st.halted[s] = 0;
      this.emit(s, 'resume', st.last[s]!, ts, sess, 1, { action, reason }, this.keyAt(s, 'resume', true));
    }
  }

  // ---- user rules ---------------------------------------------------------------------------------

  private fireRule(f: { s: number; price: number; ts: number; sess: number }, rule: CompiledRule): void {
    const { s, price, ts, sess } = f;
    const st = this.st;
    const rvol = this.rvolDay(s);
    const def = rule.def;
    const pc = st.prevClose[s]!;
    const key = `${st.tickers[s]}:rule:${def.id}:${this.clock.info.date}:${hhmmss(this.rel / 1e9)}`;
    this.emit(
      s,
      'rule',
      price,
      ts,
      sess,
      alertScore(1, rvol, st.dollarVolume[s]!),
      {
        rule_id: def.id,
        rule_name: def.name,
        channels: def.channels,
        ...(pc > 0 ? { change_pct: round2(((price - pc) / pc) * 100) } : {}),
        ...(Number.isFinite(rvol) ? { rvol: round2(rvol) } : {}),
      },
      key,
      def.user_id,
      def.id,
    );
  }

  // ---- price triggers -----------------------------------------------------------------------------

  private armTrigger(s: number, a: ArmedTrigger): void {
    let list = this.triggers.get(s);
    if (!list) {
      list = [];
      this.triggers.set(s, list);
    }
    list.push(a);
    this.refreshTriggerBounds(s, list);
  }

  private refreshTriggerBounds(s: number, list: readonly ArmedTrigger[]): void {
    let above = Number.POSITIVE_INFINITY;
    let below = Number.NEGATIVE_INFINITY;
    for (const a of list) {
      if (a.t.direction === 'above') above = Math.min(above, a.raw);
      else below = Math.max(below, a.raw);
    }
    this.st.trigAbove[s] = above;
    this.st.trigBelow[s] = below;
  }

  private fireTriggers(s: number, price: number): void {
    const list = this.triggers.get(s);
    if (!list) return;
    const keep: ArmedTrigger[] = [];
    const fired: ArmedTrigger[] = [];
    for (const a of list) {
      const hit = a.t.direction === 'above' ? price >= a.raw : price <= a.raw;
      (hit ? fired : keep).push(a);
    }
    if (keep.length > 0) this.triggers.set(s, keep);
    else this.triggers.delete(s);
    this.refreshTriggerBounds(s, keep);
    const ts = readU64String(this.view, this.off + 8);
    const p = fixedToDecimal(price);
    for (const a of fired) {
      this.firedTriggers.add(a.t.id);
      this.onTrigger({
        id: a.t.id,
        tradeId: a.t.tradeId,
        symbol: a.t.symbol,
        direction: a.t.direction,
        level: a.t.level,
        price: p,
        ts_event: ts,
      });
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private slotFor(ticker: string): number {
    let s = this.slotOf.get(ticker);
    if (s !== undefined) return s;
    const cap = this.st.capacity;
    s = this.st.add(ticker);
    this.slotOf.set(ticker, s);
    this.stats.symbols++;
    if (this.st.capacity !== cap) this.ruleSet.fit(this.st.capacity, this.st.tickers);
    else this.ruleSet.addSlot(s, ticker);
    if (this.pendingTriggers.length > 0) {
      const mine = this.pendingTriggers.filter((a) => a.t.symbol === ticker);
      if (mine.length > 0) {
        this.pendingTriggers = this.pendingTriggers.filter((a) => a.t.symbol !== ticker);
        for (const a of mine) this.armTrigger(s, a);
      }
    }
    return s;
  }

  /** Today's volume vs the expected volume by now (NaN without an average). */
  /** @internal (detectors) */
  rvolDay(s: number): number {
    const st = this.st;
    const avg = st.avgVolume[s]!;
    const m = st.curMin[s]!;
    return avg > 0 && m >= 0 ? st.dayVolume[s]! / (avg * CUMULATIVE_SHARE_[m]!) : Number.NaN;
  }

  /** @internal (detectors) */
  cooled(s: number, type: number, ts: number, cooldownS: number): boolean {
    const i = s * N_TYPES_ + type;
    // (event times are doubles of ~0.25 us precision: a cooldown exactly elapsed counts as elapsed)
    if (ts - this.st.lastFire[i]! < cooldownS - 1e-6) return false;
    this.st.lastFire[i] = ts;
    return true;
  }

  /** `SYM:type:DATE:HHMM` (or HHMMSS), New York time of the firing record. */
  /** @internal (detectors) */
  keyAt(s: number, type: AlertType, seconds: boolean): string {
    // New York local time of the record (the clock's day starts at local midnight)
    const local = this.rel / 1e9;
    return `${this.st.tickers[s]}:${type}:${this.clock.info.date}:${seconds ? hhmmss(local) : hhmm(local)}`;
  }

  /** @internal (detectors) */
  emit(
    s: number,
    type: AlertType,
    price: number,
    _ts: number,
    sess: number,
    score: number,
    details: Record<string, unknown>,
    dedupeKey: string,
    userId: string | null = null,
    ruleId: string | null = null,
  ): void {
    // a halt can arrive outside the sessions: report it with the nearest one
    const session = sess === CLOSED ? (this.rel < this.openRel ? 'pre' : 'post') : SESSION_NAMES[sess];
    const alert: Alert = {
      symbol: this.st.tickers[s]!,
      type,
      ts_event: readU64String(this.view, this.off + 8),
      price: fixedToDecimal(price),
      session: session as Alert['session'],
      score,
      details,
      dedupe_key: dedupeKey,
    };
    if (userId !== null) alert.user_id = userId;
    if (ruleId !== null) alert.rule_id = ruleId;
    this.stats.alerts++;
    this.onAlert(alert);
  }
}
