// Indicator events on closed 1-minute bars of the regular session: VWAP cross, RSI overbought /
// oversold, MACD cross, Bollinger break. Each keeps its side per symbol on every bar; an alert needs
// the price, volume and movement (ATR vs price) filters so a flat, noisy stock stays silent.
import { ALERT_TYPES, type AlertType } from '@tradeassist/core/alert';
import { SessionCode } from '@tradeassist/core/calendar';
import { fixedToDecimal, PRICE_SCALE } from '@tradeassist/core/money';
import { hhmm, round2 } from './alert-keys.ts';
import type { DetectorHost } from './detector-host.ts';
import { alertScore } from './score.ts';

const T = Object.fromEntries(ALERT_TYPES.map((t, i) => [t, i])) as Record<AlertType, number>;
const REGULAR = SessionCode.REGULAR;
const SCALE = PRICE_SCALE;

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
/** Indicator events on the 1-minute bar (minute index `minute`) that just closed at `close`. */
export function barClosed(h: DetectorHost, s: number, minute: number, close: number): void {
  const st = h.st;
  const clock = h.clock;
  const cfg = h.config.indicators;
  const start = clock.preOpen + minute * 60;
  if (start < clock.open || start >= clock.close) return;

  // sides are tracked on every regular bar; alerts only where the filters pass
  const vwap = st.vwap(s);
  let vwapCross = 0;
  if (vwap > 0) {
    const dist = ((close - vwap) / vwap) * 100;
    const prevSide = st.vwapSide[s]!;
    const side = dist >= cfg.vwapMinDistancePct ? 1 : dist <= -cfg.vwapMinDistancePct ? -1 : prevSide;
    if (prevSide !== 0 && side !== prevSide) vwapCross = side;
    st.vwapSide[s] = side;
  }
  let bbBreak = 0;
  const upper = st.bbUpper[s]!;
  const lower = st.bbLower[s]!;
  if (!Number.isNaN(upper)) {
    const side = close > upper ? 1 : close < lower ? -1 : 0;
    if (side !== 0 && side !== st.bbSide[s]) bbBreak = side;
    st.bbSide[s] = side;
  }
  const rsi = st.rsi[s]!;
  const rsiPrev = st.rsiPrev[s]!;
  let rsiEvent = 0;
  if (!Number.isNaN(rsiPrev) && !Number.isNaN(rsi)) {
    if (rsiPrev < cfg.rsiOverbought && rsi >= cfg.rsiOverbought) rsiEvent = 1;
    else if (rsiPrev > cfg.rsiOversold && rsi <= cfg.rsiOversold) rsiEvent = -1;
  }
  let macdCross = 0;
  const prevDiff = st.macdPrevDiff[s]!;
  const diff = st.macd[s]! - st.macdSignal[s]!;
  if (!Number.isNaN(prevDiff) && st.barCount[s]! >= 35) {
    if (prevDiff <= 0 && diff > 0) macdCross = 1;
    else if (prevDiff >= 0 && diff < 0) macdCross = -1;
  }
  if (vwapCross === 0 && bbBreak === 0 && rsiEvent === 0 && macdCross === 0) return;

  // filters: price, volume, and a stock that actually moves (ATR vs price, the day's range)
  if (close < h.minPriceRaw) return;
  const barVol = st.mVol[s]!;
  if (barVol < cfg.minBarVolume || st.dayVolume[s]! < cfg.minDayVolume) return;
  const atr = st.atrValue(s);
  if (!(atr >= 0) || (atr / close) * 100 < cfg.minAtrPct) return;
  // ... and that has actually moved today: a name pinned within a few ticks all session is flat
  // even when its tick bounce makes 1-minute bars look busy against a low price
  const hi = st.regHigh[s]!;
  const lo = st.regLow[s]!;
  if (!(hi > 0 && lo > 0) || ((hi - lo) / close) * 100 < cfg.minDayRangePct) return;

  const ts = h.dayStartS + h.rel / 1e9;
  const sess = h.rel < h.closeRel ? REGULAR : 3;
  const rvol = h.rvolDay(s);
  const dv = st.dollarVolume[s]!;
  const barTime = hhmm(start - (clock.preOpen - 4 * 3600));
  const common = { bar: barTime, bar_volume: barVol, atr: fixedToDecimal(Math.round(atr)) };
  if (vwapCross !== 0) {
    const type: AlertType = vwapCross > 0 ? 'vwap_cross_up' : 'vwap_cross_down';
    if (h.cooled(s, T[type], ts, cfg.cooldownS)) {
      const dist = ((close - vwap) / vwap) * 100;
      h.emit(
        s,
        type,
        close,
        ts,
        sess,
        alertScore(Math.abs(dist) / cfg.vwapMinDistancePct / 2, rvol, dv),
        { ...common, vwap: fixedToDecimal(Math.round(vwap)), pct_from_vwap: round2(dist) },
        h.keyAt(s, type, false),
      );
    }
  }
  if (rsiEvent !== 0) {
    const type: AlertType = rsiEvent > 0 ? 'rsi_overbought' : 'rsi_oversold';
    if (h.cooled(s, T[type], ts, cfg.cooldownS)) {
      const ratio =
        rsiEvent > 0 ? (rsi - 50) / (cfg.rsiOverbought - 50) : (50 - rsi) / (50 - cfg.rsiOversold);
      h.emit(
        s,
        type,
        close,
        ts,
        sess,
        alertScore(ratio, rvol, dv),
        { ...common, rsi: round2(rsi), rsi_prev: round2(rsiPrev) },
        h.keyAt(s, type, false),
      );
    }
  }
  if (macdCross !== 0) {
    const type: AlertType = macdCross > 0 ? 'macd_cross_up' : 'macd_cross_down';
    const gapPct = (Math.abs(diff) / close) * 100;
    if (gapPct >= cfg.macdMinGapPct && h.cooled(s, T[type], ts, cfg.cooldownS)) {
      h.emit(
        s,
        type,
        close,
        ts,
        sess,
        alertScore(1 + Math.min(3, gapPct / 0.05), rvol, dv),
        {
          ...common,
          macd: round6(st.macd[s]! / SCALE),
          signal: round6(st.macdSignal[s]! / SCALE),
        },
        h.keyAt(s, type, false),
      );
    }
  }
  if (bbBreak !== 0) {
    const type: AlertType = bbBreak > 0 ? 'bollinger_break_up' : 'bollinger_break_down';
    const middle = st.bbMiddle[s]!;
    const width = ((upper - lower) / middle) * 100;
    if (width >= cfg.bollingerMinWidthPct && h.cooled(s, T[type], ts, cfg.cooldownS)) {
      const band = bbBreak > 0 ? upper : lower;
      const beyond = (Math.abs(close - band) * 4) / (upper - lower); // in standard deviations (band width = 4σ)
      h.emit(
        s,
        type,
        close,
        ts,
        sess,
        alertScore(1 + beyond, rvol, dv),
        {
          ...common,
          upper: fixedToDecimal(Math.round(upper)),
          lower: fixedToDecimal(Math.round(lower)),
          width_pct: round2(width),
        },
        h.keyAt(s, type, false),
      );
    }
  }
}
