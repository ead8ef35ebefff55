// Indicators on 1-minute bars, updated once per closed bar in O(1) per symbol:
// EMA(n) seeded with the simple mean of the first n closes; MACD(12, 26, 9) = EMA12 - EMA26 with a
// 9-bar EMA signal seeded the same way; RSI(14) and ATR(14) with Wilder's smoothing seeded by simple
// means; Bollinger(20, 2) from rolling sums over a 20-close ring (population standard deviation, as
// Bollinger defines it), re-summed exactly each time the ring wraps so rounding cannot drift.
import { EMA_PERIODS as EMA_PERIODS_IMPORT } from '@tradeassist/core/rule';
import { BB_PERIOD as BB_PERIOD_IMPORT, type SlotState } from './slot-state.ts';

// module-local copies: imported bindings cost a getter call per access under tsx
const EMA_PERIODS: readonly number[] = [...EMA_PERIODS_IMPORT];
const BB_PERIOD = BB_PERIOD_IMPORT;

const EMA12 = EMA_PERIODS.indexOf(12);
const EMA26 = EMA_PERIODS.indexOf(26);
const RSI_N = 14;
const ATR_N = 14;
const SIGNAL_N = 9;

/** Folds a closed bar into the slot's indicators. */
export function updateIndicators(st: SlotState, s: number, high: number, low: number, close: number): void {
  const n = st.barCount[s]! + 1;
  st.barCount[s] = n;
  const prev = st.barPrevClose[s]!;

  for (let k = 0; k < EMA_PERIODS.length; k++) {
    const p = EMA_PERIODS[k]!;
    const e = st.ema[k]!;
    if (n < p) e[s] = e[s]! + close;
    else if (n === p) e[s] = (e[s]! + close) / p;
    else e[s] = e[s]! + ((close - e[s]!) * 2) / (p + 1);
  }

  if (n >= 26) {
    const macd = st.ema[EMA12]![s]! - st.ema[EMA26]![s]!;
    const prevDiff = n >= 35 ? st.macd[s]! - st.macdSignal[s]! : Number.NaN;
    st.macd[s] = macd;
    const m = n - 25; // MACD values so far
    if (m < SIGNAL_N) st.macdSignal[s] = st.macdSignal[s]! + macd;
    else if (m === SIGNAL_N) st.macdSignal[s] = (st.macdSignal[s]! + macd) / SIGNAL_N;
    else st.macdSignal[s] = st.macdSignal[s]! + ((macd - st.macdSignal[s]!) * 2) / (SIGNAL_N + 1);
    st.macdPrevDiff[s] = prevDiff;
  }

  // RSI: n - 1 changes so far
  st.rsiPrev[s] = st.rsi[s]!;
  if (n >= 2) {
    const ch = close - prev;
    const gain = Math.max(ch, 0);
    const loss = Math.max(-ch, 0);
    const c = n - 1;
    if (c < RSI_N) {
      st.rsiGain[s] = st.rsiGain[s]! + gain;
      st.rsiLoss[s] = st.rsiLoss[s]! + loss;
    } else if (c === RSI_N) {
      st.rsiGain[s] = (st.rsiGain[s]! + gain) / RSI_N;
      st.rsiLoss[s] = (st.rsiLoss[s]! + loss) / RSI_N;
    } else {
      st.rsiGain[s] = (st.rsiGain[s]! * (RSI_N - 1) + gain) / RSI_N;
      st.rsiLoss[s] = (st.rsiLoss[s]! * (RSI_N - 1) + loss) / RSI_N;
    }
    if (c >= RSI_N) {
      const g = st.rsiGain[s]!;
      const l = st.rsiLoss[s]!;
      st.rsi[s] = l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l);
    }
  }

  // ATR
  const tr = n === 1 ? high - low : Math.max(high - low, Math.abs(high - prev), Math.abs(low - prev));
  if (n < ATR_N) st.atr[s] = st.atr[s]! + tr;
  else if (n === ATR_N) st.atr[s] = (st.atr[s]! + tr) / ATR_N;
  else st.atr[s] = (st.atr[s]! * (ATR_N - 1) + tr) / ATR_N;

  // Bollinger
  const base = s * BB_PERIOD;
  const idx = (n - 1) % BB_PERIOD;
  const old = n > BB_PERIOD ? st.bbRing[base + idx]! : 0;
  st.bbRing[base + idx] = close;
  if (idx === BB_PERIOD - 1) {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < BB_PERIOD; i++) {
      const v = st.bbRing[base + i]!;
      sum += v;
      sq += v * v;
    }
    st.bbSum[s] = sum;
    st.bbSumSq[s] = sq;
  } else {
    st.bbSum[s] = st.bbSum[s]! + close - old;
    st.bbSumSq[s] = st.bbSumSq[s]! + close * close - old * old;
  }
  if (n >= BB_PERIOD) {
    const mean = st.bbSum[s]! / BB_PERIOD;
    const variance = Math.max(0, st.bbSumSq[s]! / BB_PERIOD - mean * mean);
    const sd = Math.sqrt(variance);
    st.bbMiddle[s] = mean;
    st.bbUpper[s] = mean + 2 * sd;
    st.bbLower[s] = mean - 2 * sd;
  }

  st.barPrevClose[s] = close;
}
