// Per-symbol state as struct-of-arrays, indexed by a dense slot (one per ticker). Every array grows
// by doubling when slots run out; the day's 1-minute ring (close and cumulative volume for each of
// the 960 minutes from 4:00 to 20:00 ET) is allocated in chunks of 1024 slots so growth never copies
// it past the first chunk (which starts at the capacity's size, so a small state stays small). Prices are raw 1e-9 fixed-point integers held in Float64Array (exact below 2^53); indicator
// values derived from them (EMA, VWAP, bands) are in the same raw units, as doubles.
import { ALERT_TYPES } from '@tradeassist/core/alert';
import { EMA_PERIODS as EMA_PERIODS_IMPORT } from '@tradeassist/core/rule';
import { DAY_MINUTES as DAY_MINUTES_IMPORT } from './volume-profile.ts';

// module-local copies: imported bindings cost a getter call per access under tsx
const EMA_PERIODS: readonly number[] = [...EMA_PERIODS_IMPORT];
const DAY_MINUTES = DAY_MINUTES_IMPORT;

export const N_TYPES = ALERT_TYPES.length;
export const BB_PERIOD = 20;
export const AVG_DAYS = 20;
const CHUNK_SHIFT = 10;
const CHUNK = 1 << CHUNK_SHIFT;

function grow64(a: Float64Array, cap: number, fill = 0): Float64Array {
  const b = new Float64Array(cap);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
function grow32(a: Int32Array, cap: number, fill = 0): Int32Array {
  const b = new Int32Array(cap);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
function grow8(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
function growI8(a: Int8Array, cap: number): Int8Array {
  const b = new Int8Array(cap);
  b.set(a);
  return b;
}

export class SlotState {
  capacity: number;
  count = 0;
  readonly tickers: string[] = [];

  // top of book and last print
  last: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  hasTrades: Uint8Array;
  // reference
  prevClose: Float64Array;
  avgVolume: Float64Array;
  volRing: Float64Array; // AVG_DAYS past daily volumes
  volRingN: Int32Array;
  refDay: Int32Array; // day number of the newest ohlcv-1d bar absorbed
  // today
  day: Int32Array;
  dayHigh: Float64Array;
  dayLow: Float64Array;
  regOpen: Float64Array;
  regLast: Float64Array;
  regHigh: Float64Array;
  regLow: Float64Array;
  dayVolume: Float64Array;
  preVolume: Float64Array;
  dollarVolume: Float64Array; // dollars (not raw), for liquidity scoring
  vwapPV: Float64Array;
  vwapV: Float64Array;
  // bars
  curMin: Int32Array;
  firstMin: Int32Array;
  mOpen: Float64Array;
  mHigh: Float64Array;
  mLow: Float64Array;
  mClose: Float64Array;
  mVol: Float64Array;
  mPV: Float64Array; // sum of price x size this minute (raw units), for the bar's own VWAP
  mTrades: Int32Array; // prints with size > 0 this minute
  curSec: Float64Array;
  sOpen: Float64Array;
  sHigh: Float64Array;
  sLow: Float64Array;
  sClose: Float64Array;
  sVol: Float64Array;
  evalSec: Float64Array;
  // indicators on 1-minute bars (carried across days, like a chart)
  barCount: Int32Array;
  barPrevClose: Float64Array;
  ema: Float64Array[];
  macd: Float64Array;
  macdSignal: Float64Array;
  macdPrevDiff: Float64Array;
  rsiGain: Float64Array;
  rsiLoss: Float64Array;
  rsi: Float64Array;
  rsiPrev: Float64Array;
  bbRing: Float64Array;
  bbSum: Float64Array;
  bbSumSq: Float64Array;
  bbUpper: Float64Array;
  bbMiddle: Float64Array;
  bbLower: Float64Array;
  bbSide: Int8Array;
  atr: Float64Array;
  vwapSide: Int8Array;
  // detector state
  halted: Uint8Array;
  gapUpPct: Float64Array;
  gapDownPct: Float64Array;
  gapUpCount: Int32Array;
  gapDownCount: Int32Array;
  hodLevel: Float64Array;
  lodLevel: Float64Array;
  lastFire: Float64Array; // slot * N_TYPES + type index: ts (s) of the last alert
  // price triggers: lowest 'above' level and highest 'below' level pending on the slot
  trigAbove: Float64Array;
  trigBelow: Float64Array;
  // 1-minute ring for today, chunked
  ringClose: Float64Array[] = [];
  ringCumVol: Float32Array[] = [];

  constructor(capacity = 1024) {
    const c = capacity;
    this.capacity = c;
    const f = () => new Float64Array(c);
    this.last = f();
    this.bid = f();
    this.ask = f();
    this.hasTrades = new Uint8Array(c);
    this.prevClose = f();
    this.avgVolume = f();
    this.volRing = new Float64Array(c * AVG_DAYS);
    this.volRingN = new Int32Array(c);
    this.refDay = new Int32Array(c).fill(-1);
    this.day = new Int32Array(c).fill(-1);
    this.dayHigh = f();
    this.dayLow = f();
    this.regOpen = f();
    this.regLast = f();
    this.regHigh = f();
    this.regLow = f();
    this.dayVolume = f();
    this.preVolume = f();
    this.dollarVolume = f();
    this.vwapPV = f();
    this.vwapV = f();
    this.curMin = new Int32Array(c).fill(-1);
    this.firstMin = new Int32Array(c).fill(-1);
    this.mOpen = f();
    this.mHigh = f();
    this.mLow = f();
    this.mClose = f();
    this.mVol = f();
    this.mPV = f();
    this.mTrades = new Int32Array(c);
    this.curSec = f().fill(-1);
    this.sOpen = f();
    this.sHigh = f();
    this.sLow = f();
    this.sClose = f();
    this.sVol = f();
    this.evalSec = f().fill(-1);
    this.barCount = new Int32Array(c);
    this.barPrevClose = f();
    this.ema = EMA_PERIODS.map(() => f());
    this.macd = f();
    this.macdSignal = f();
    this.macdPrevDiff = f();
    this.rsiGain = f();
    this.rsiLoss = f();
    this.rsi = f().fill(Number.NaN);
    this.rsiPrev = f().fill(Number.NaN);
    this.bbRing = new Float64Array(c * BB_PERIOD);
    this.bbSum = f();
    this.bbSumSq = f();
    this.bbUpper = f().fill(Number.NaN);
    this.bbMiddle = f().fill(Number.NaN);
    this.bbLower = f().fill(Number.NaN);
    this.bbSide = new Int8Array(c);
    this.atr = f();
    this.vwapSide = new Int8Array(c);
    this.halted = new Uint8Array(c);
    this.gapUpPct = f();
    this.gapDownPct = f();
    this.gapUpCount = new Int32Array(c);
    this.gapDownCount = new Int32Array(c);
    this.hodLevel = f();
    this.lodLevel = f();
    this.lastFire = new Float64Array(c * N_TYPES).fill(Number.NEGATIVE_INFINITY);
    this.trigAbove = f().fill(Number.POSITIVE_INFINITY);
    this.trigBelow = f().fill(Number.NEGATIVE_INFINITY);
    // the first chunk of the ring up front, sized to the capacity (a small state stays small)
    const first = Math.min(c, CHUNK) * DAY_MINUTES;
    this.ringClose.push(new Float64Array(first));
    this.ringCumVol.push(new Float32Array(first));
  }

  /** Adds a slot for a ticker; returns its index. */
  add(ticker: string): number {
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    const s = this.count++;
    this.tickers.push(ticker);
    const chunk = s >> CHUNK_SHIFT;
    if (chunk >= this.ringClose.length) {
      this.ringClose.push(new Float64Array(CHUNK * DAY_MINUTES));
      this.ringCumVol.push(new Float32Array(CHUNK * DAY_MINUTES));
    }
    return s;
  }

  /** Close of minute m (0 = 4:00 ET) today; valid for firstMin <= m < curMin. */
  closeAt(s: number, m: number): number {
    return this.ringClose[s >> CHUNK_SHIFT]![(s & (CHUNK - 1)) * DAY_MINUTES + m]!;
  }
  /** Shares traded today through the end of minute m. */
  cumVolAt(s: number, m: number): number {
    return this.ringCumVol[s >> CHUNK_SHIFT]![(s & (CHUNK - 1)) * DAY_MINUTES + m]!;
  }
  setMinute(s: number, m: number, close: number, cumVol: number): void {
    const i = (s & (CHUNK - 1)) * DAY_MINUTES + m;
    this.ringClose[s >> CHUNK_SHIFT]![i] = close;
    this.ringCumVol[s >> CHUNK_SHIFT]![i] = cumVol;
  }

  private grow(cap: number): void {
    const NaNv = Number.NaN;
    const first = Math.min(cap, CHUNK) * DAY_MINUTES;
    if (this.ringClose[0]!.length < first) {
      const close = new Float64Array(first);
      close.set(this.ringClose[0]!);
      this.ringClose[0] = close;
      const cum = new Float32Array(first);
      cum.set(this.ringCumVol[0]!);
      this.ringCumVol[0] = cum;
    }
    this.last = grow64(this.last, cap);
    this.bid = grow64(this.bid, cap);
    this.ask = grow64(this.ask, cap);
    this.hasTrades = grow8(this.hasTrades, cap);
    this.prevClose = grow64(this.prevClose, cap);
    this.avgVolume = grow64(this.avgVolume, cap);
    this.volRing = grow64(this.volRing, cap * AVG_DAYS);
    this.volRingN = grow32(this.volRingN, cap);
    this.refDay = grow32(this.refDay, cap, -1);
    this.day = grow32(this.day, cap, -1);
    this.dayHigh = grow64(this.dayHigh, cap);
    this.dayLow = grow64(this.dayLow, cap);
    this.regOpen = grow64(this.regOpen, cap);
    this.regLast = grow64(this.regLast, cap);
    this.regHigh = grow64(this.regHigh, cap);
    this.regLow = grow64(this.regLow, cap);
    this.dayVolume = grow64(this.dayVolume, cap);
    this.preVolume = grow64(this.preVolume, cap);
    this.dollarVolume = grow64(this.dollarVolume, cap);
    this.vwapPV = grow64(this.vwapPV, cap);
    this.vwapV = grow64(this.vwapV, cap);
    this.curMin = grow32(this.curMin, cap, -1);
    this.firstMin = grow32(this.firstMin, cap, -1);
    this.mOpen = grow64(this.mOpen, cap);
    this.mHigh = grow64(this.mHigh, cap);
    this.mLow = grow64(this.mLow, cap);
    this.mClose = grow64(this.mClose, cap);
    this.mVol = grow64(this.mVol, cap);
    this.mPV = grow64(this.mPV, cap);
    this.mTrades = grow32(this.mTrades, cap);
    this.curSec = grow64(this.curSec, cap, -1);
    this.sOpen = grow64(this.sOpen, cap);
    this.sHigh = grow64(this.sHigh, cap);
    this.sLow = grow64(this.sLow, cap);
    this.sClose = grow64(this.sClose, cap);
    this.sVol = grow64(this.sVol, cap);
    this.evalSec = grow64(this.evalSec, cap, -1);
    this.barCount = grow32(this.barCount, cap);
    this.barPrevClose = grow64(this.barPrevClose, cap);
    this.ema = this.ema.map((e) => grow64(e, cap));
    this.macd = grow64(this.macd, cap);
    this.macdSignal = grow64(this.macdSignal, cap);
    this.macdPrevDiff = grow64(this.macdPrevDiff, cap);
    this.rsiGain = grow64(this.rsiGain, cap);
    this.rsiLoss = grow64(this.rsiLoss, cap);
    this.rsi = grow64(this.rsi, cap, NaNv);
    this.rsiPrev = grow64(this.rsiPrev, cap, NaNv);
    this.bbRing = grow64(this.bbRing, cap * BB_PERIOD);
    this.bbSum = grow64(this.bbSum, cap);
    this.bbSumSq = grow64(this.bbSumSq, cap);
    this.bbUpper = grow64(this.bbUpper, cap, NaNv);
    this.bbMiddle = grow64(this.bbMiddle, cap, NaNv);
    this.bbLower = grow64(this.bbLower, cap, NaNv);
    this.bbSide = growI8(this.bbSide, cap);
    this.atr = grow64(this.atr, cap);
    this.vwapSide = growI8(this.vwapSide, cap);
    this.halted = grow8(this.halted, cap);
    this.gapUpPct = grow64(this.gapUpPct, cap);
    this.gapDownPct = grow64(this.gapDownPct, cap);
    this.gapUpCount = grow32(this.gapUpCount, cap);
    this.gapDownCount = grow32(this.gapDownCount, cap);
    this.hodLevel = grow64(this.hodLevel, cap);
    this.lodLevel = grow64(this.lodLevel, cap);
    this.lastFire = grow64(this.lastFire, cap * N_TYPES, Number.NEGATIVE_INFINITY);
    this.trigAbove = grow64(this.trigAbove, cap, Number.POSITIVE_INFINITY);
    this.trigBelow = grow64(this.trigBelow, cap, Number.NEGATIVE_INFINITY);
    this.capacity = cap;
  }

  // ---- derived values (NaN while unknown) ----

  vwap(s: number): number {
    const v = this.vwapV[s]!;
    return v > 0 ? this.vwapPV[s]! / v : Number.NaN;
  }
  emaValue(k: number, s: number): number {
    return this.barCount[s]! >= EMA_PERIODS[k]! ? this.ema[k]![s]! : Number.NaN;
  }
  macdValue(s: number): number {
    return this.barCount[s]! >= 26 ? this.macd[s]! : Number.NaN;
  }
  macdSignalValue(s: number): number {
    return this.barCount[s]! >= 34 ? this.macdSignal[s]! : Number.NaN;
  }
  atrValue(s: number): number {
    return this.barCount[s]! >= 14 ? this.atr[s]! : Number.NaN;
  }
}
