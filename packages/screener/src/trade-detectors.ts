// Built-in detectors evaluated on each trade: gap up/down (pre-market once volume means it, and the
// opening print), volume spike (this minute vs the expected volume for the minute), momentum (% over
// N minutes with relative volume behind it), new high/low of day (after a quiet period, by a margin).
import { ALERT_TYPES, type AlertType } from '@tradeassist/core/alert';
import { fixedToDecimal } from '@tradeassist/core/money';
import { round2 } from './alert-keys.ts';
import type { DetectorHost } from './detector-host.ts';
import { alertScore } from './score.ts';
import { CUMULATIVE_SHARE, MINUTE_SHARE } from './volume-profile.ts';

// module-local copies: imported bindings cost a getter call per access under tsx
const CUMULATIVE_SHARE_ = CUMULATIVE_SHARE;
const MINUTE_SHARE_ = MINUTE_SHARE;
const T = Object.fromEntries(ALERT_TYPES.map((t, i) => [t, i])) as Record<AlertType, number>;

export function gapCheck(
  h: DetectorHost,
  s: number,
  price: number,
  ts: number,
  sess: number,
  openPrint: boolean,
): void {
  const st = h.st;
  const cfg = h.config.gap;
  if (!openPrint && st.preVolume[s]! < cfg.minPremarketVolume) return;
  const pc = st.prevClose[s]!;
  const pct = ((price - pc) / pc) * 100;
  const up = pct > 0;
  const mag = up ? pct : -pct;
  if (mag < cfg.pct) return;
  const done = up ? st.gapUpPct[s]! : st.gapDownPct[s]!;
  if (done > 0 && mag < done * cfg.rearmFactor) return;
  const count = (up ? st.gapUpCount[s]! : st.gapDownCount[s]!) + 1;
  if (up) {
    st.gapUpPct[s] = mag;
    st.gapUpCount[s] = count;
  } else {
    st.gapDownPct[s] = mag;
    st.gapDownCount[s] = count;
  }
  const type: AlertType = up ? 'gap_up' : 'gap_down';
  const rvol = h.rvolDay(s);
  const key = `${h.st.tickers[s]}:${type}:${h.clock.info.date}${count > 1 ? `:${count}` : ''}`;
  h.emit(
    s,
    type,
    price,
    ts,
    sess,
    alertScore(mag / cfg.pct, rvol, st.dollarVolume[s]!),
    {
      prev_close: fixedToDecimal(pc),
      pct: round2(pct),
      premarket_volume: st.preVolume[s]!,
      at_open: openPrint,
      ...(Number.isFinite(rvol) ? { rvol: round2(rvol) } : {}),
    },
    key,
  );
}

export function volumeSpikeCheck(
  h: DetectorHost,
  s: number,
  price: number,
  ts: number,
  sess: number,
  m: number,
): void {
  const st = h.st;
  const cfg = h.config.volumeSpike;
  const vol = st.mVol[s]!;
  const avg = st.avgVolume[s]!;
  if (vol < cfg.minShares || avg <= 0) return;
  const expected = avg * MINUTE_SHARE_[m]!;
  if (vol < cfg.multiple * expected) return;
  if (!h.cooled(s, T.volume_spike, ts, cfg.cooldownS)) return;
  const rvol1m = vol / expected;
  h.emit(
    s,
    'volume_spike',
    price,
    ts,
    sess,
    alertScore(rvol1m / cfg.multiple, rvol1m, st.dollarVolume[s]!),
    {
      minute_volume: vol,
      expected_volume: Math.round(expected),
      rvol_1m: round2(rvol1m),
      avg_volume: Math.round(avg),
    },
    h.keyAt(s, 'volume_spike', false),
  );
}

export function momentumCheck(
  h: DetectorHost,
  s: number,
  price: number,
  ts: number,
  sess: number,
  m: number,
): void {
  const st = h.st;
  const cfg = h.config.momentum;
  const from = m - cfg.windowMin;
  if (from < st.firstMin[s]! || from < 0) return;
  const ref = st.closeAt(s, from);
  if (ref <= 0) return;
  const pct = ((price - ref) / ref) * 100;
  const mag = pct > 0 ? pct : -pct;
  if (mag < cfg.pct) return;
  const avg = st.avgVolume[s]!;
  if (avg <= 0) return;
  const vol = st.dayVolume[s]! - st.cumVolAt(s, from);
  const expected = avg * (CUMULATIVE_SHARE_[m]! - CUMULATIVE_SHARE_[from]!);
  const rvol = vol / expected;
  if (rvol < cfg.minRvol) return;
  const type: AlertType = pct > 0 ? 'momentum_up' : 'momentum_down';
  if (!h.cooled(s, T[type], ts, cfg.cooldownS)) return;
  h.emit(
    s,
    type,
    price,
    ts,
    sess,
    alertScore(mag / cfg.pct, rvol, st.dollarVolume[s]!),
    {
      pct: round2(pct),
      window_min: cfg.windowMin,
      from_price: fixedToDecimal(ref),
      rvol: round2(rvol),
      volume: vol,
    },
    h.keyAt(s, type, false),
  );
}

export function highLowCheck(
  h: DetectorHost,
  s: number,
  price: number,
  ts: number,
  sess: number,
  high: boolean,
): void {
  const cfg = h.config.highLow;
  if (!cfg.enabled || price < h.minPriceRaw) return;
  if (h.rel < h.openRel + cfg.afterOpenMin * 60e9) return;
  const st = h.st;
  // the reference level starts at the extreme of the quiet period and moves only when an alert fires,
  // so a slow grind of tiny new highs still alerts once it clears the margin
  if (high && st.hodLevel[s] === 0) st.hodLevel[s] = st.regHigh[s]!;
  if (!high && st.lodLevel[s] === 0) st.lodLevel[s] = st.regLow[s]!;
  const level = high ? st.hodLevel[s]! : st.lodLevel[s]!;
  const need = high ? level * (1 + cfg.marginPct / 100) : level * (1 - cfg.marginPct / 100);
  if (high ? price < need : price > need) return;
  if (st.dayVolume[s]! < cfg.minDayVolume) return;
  const type: AlertType = high ? 'new_high_of_day' : 'new_low_of_day';
  if (!h.cooled(s, T[type], ts, cfg.cooldownS)) return;
  if (high) st.hodLevel[s] = price;
  else st.lodLevel[s] = price;
  const prior = high ? st.regHigh[s]! : st.regLow[s]!;
  const pct = ((price - level) / level) * 100;
  const rvol = h.rvolDay(s);
  h.emit(
    s,
    type,
    price,
    ts,
    sess,
    alertScore(Math.abs(pct) / cfg.marginPct, rvol, st.dollarVolume[s]!),
    {
      prior_extreme: fixedToDecimal(prior),
      pct_beyond_level: round2(pct),
      open: fixedToDecimal(st.regOpen[s]!),
      ...(st.prevClose[s]! > 0
        ? { change_pct: round2(((price - st.prevClose[s]!) / st.prevClose[s]!) * 100) }
        : {}),
    },
    h.keyAt(s, type, false),
  );
}
