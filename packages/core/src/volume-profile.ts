// The expected share of a day's volume traded in each minute of the extended day (4:00-20:00 ET,
// 960 minutes), used for relative volume: expected volume so far = 20-day average daily volume x
// the cumulative share. A standard U-shaped intraday profile: US stocks trade heavily in the first
// minutes after the open, least around midday, and pick up again into the close (closing auction
// prints included). Extended hours carry a small share: pre-market 4% (rising towards the open),
// post-market 3% (falling after the close), regular session 93%.
//
// Regular minute i (0 = 9:30, 389 = 15:59) has weight
//   w(i) = 1 + 3·e^(-i/10) + 1.5·e^(-(389-i)/15) + 0.6·((i-195)/195)²
// i.e. the open runs at ~4x the midday rate, the last minutes at ~2.5x. Early-close days use the same
// minute-of-day shares (their 13:00-16:00 minutes count as post-market volume) - a conservative
// approximation that slightly under-states relative volume before an early close.
export const DAY_MINUTES = 960;
export const OPEN_MINUTE = 330; // 9:30 is 330 minutes after 4:00
export const CLOSE_MINUTE = 720; // 16:00

const PRE_SHARE = 0.04;
const REGULAR_SHARE = 0.93;
const POST_SHARE = 0.03;

function normalised(weights: number[], share: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (w / sum) * share);
}

function build(): { minute: Float64Array; cumulative: Float64Array } {
  const pre = normalised(
    Array.from({ length: OPEN_MINUTE }, (_, m) => Math.exp((m - OPEN_MINUTE) / 60)),
    PRE_SHARE,
  );
  const regular = normalised(
    Array.from(
      { length: CLOSE_MINUTE - OPEN_MINUTE },
      (_, i) => 1 + 3 * Math.exp(-i / 10) + 1.5 * Math.exp(-(389 - i) / 15) + 0.6 * ((i - 195) / 195) ** 2,
    ),
    REGULAR_SHARE,
  );
  const post = normalised(
    Array.from({ length: DAY_MINUTES - CLOSE_MINUTE }, (_, m) => Math.exp(-m / 30)),
    POST_SHARE,
  );
  const minute = Float64Array.from([...pre, ...regular, ...post]);
  const cumulative = new Float64Array(DAY_MINUTES);
  let acc = 0;
  for (let m = 0; m < DAY_MINUTES; m++) {
    acc += minute[m]!;
    cumulative[m] = acc;
  }
  return { minute, cumulative };
}

const profile = build();
/** Share of the daily volume expected in minute m (0 = 4:00 ET). Sums to 1 over the day. */
export const MINUTE_SHARE: Float64Array = profile.minute;
/** Share expected from 4:00 through the end of minute m. */
export const CUMULATIVE_SHARE: Float64Array = profile.cumulative;
