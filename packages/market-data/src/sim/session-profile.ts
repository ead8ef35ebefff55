// The intraday shape of US equity activity, as a multiplier of a name's average regular-session rate
// (1.0 = ADV spread evenly over 9:30-16:00). Regular session: the U-curve of published intraday volume
// profiles (about 4.5x at the open, under 1x at midday, about 2.6x into the close; the first 30
// minutes carry ~17% of the day). Pre-market from 4:00 is thin (0.03x rising to ~0.12x by 9:29),
// post-market thinner, fading to 20:00.
//
// `t` is seconds after the open (negative in the pre-market); `closeSec` is 23,400 (or 12,600 on an
// early-close day).

const OPEN_AMP = 2.6;
const OPEN_TAU_MIN = 12;
const CLOSE_AMP = 1.3;
const CLOSE_TAU_MIN = 20;
const FLOOR = 0.55;
export const PRE_MARKET_SECONDS = 19_800; // 4:00-9:30
export const POST_MARKET_SECONDS = 14_400; // close-20:00

function rawRegular(tm: number, closeMin: number): number {
  return (
    FLOOR + OPEN_AMP * Math.exp(-tm / OPEN_TAU_MIN) + CLOSE_AMP * Math.exp(-(closeMin - tm) / CLOSE_TAU_MIN)
  );
}

const normCache = new Map<number, number>();
/** Mean of the raw curve over the session, so that the profile averages exactly 1. */
function norm(closeMin: number): number {
  let v = normCache.get(closeMin);
  if (v === undefined) {
    const mean =
      FLOOR +
      (OPEN_AMP * OPEN_TAU_MIN * (1 - Math.exp(-closeMin / OPEN_TAU_MIN)) +
        CLOSE_AMP * CLOSE_TAU_MIN * (1 - Math.exp(-closeMin / CLOSE_TAU_MIN))) /
        closeMin;
    v = mean;
    normCache.set(closeMin, v);
  }
  return v;
}

export function activityAt(t: number, closeSec: number): number {
  if (t < 0) {
    if (t < -PRE_MARKET_SECONDS) return 0;
    const x = 1 + t / PRE_MARKET_SECONDS; // 0 at 4:00, 1 at 9:30
    return 0.03 + 0.09 * x * x;
  }
  if (t < closeSec) {
    const closeMin = closeSec / 60;
    return rawRegular(t / 60, closeMin) / norm(closeMin);
  }
  const after = t - closeSec;
  if (after >= POST_MARKET_SECONDS) return 0;
  return 0.02 + 0.1 * Math.exp(-after / 1800);
}

/** Expected share of a day's volume traded in [t0, t1) seconds after the open, by midpoint sums per second. */
export function volumeShare(t0: number, t1: number, closeSec: number): number {
  let s = 0;
  for (let t = Math.floor(t0); t < t1; t++) s += activityAt(t + 0.5, closeSec);
  return s / closeSec;
}
