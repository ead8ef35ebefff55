// When the trade workflow wakes up, on the exchange calendar (America/New_York, holidays and early
// closes from packages/core calendar.ts): the "hold overnight or exit?" follow-up 15 minutes before
// each close, and the slow check of fired triggers while the screener can fire (the extended
// session). Pure functions of UTC milliseconds: the workflow sandbox runs them deterministically.
import { etDaysOf, formatDays, nextTradingDay, tradingDayInfo } from '@tradeassist/core/calendar';

/** The follow-up goes out this long before the close (15:45, or 12:45 on an early close). */
export const CLOSE_FOLLOWUP_BEFORE_S = 15 * 60;
/** Fired triggers are read this often while the screener can fire (the lost-signal safety net). */
export const FIRED_CHECK_MS = 15 * 60_000;

/**
 * The next close follow-up from `now`: the first trading day whose close is still ahead, that has
 * not had its follow-up (`lastDate`), and on which the trade was already open at follow-up time.
 */
export function closeFollowupAt(
  now: number,
  openedAtMs: number,
  lastDate: string | null,
): { date: string; at: number } | null {
  let days = etDaysOf(Math.floor(now / 1000));
  for (let i = 0; i < 15; i++, days++) {
    const info = tradingDayInfo(formatDays(days));
    if (!info.isTradingDay || info.date === lastDate) continue;
    const at = (info.close - CLOSE_FOLLOWUP_BEFORE_S) * 1000;
    // Past the close, or a trade opened after the follow-up time: that day is done.
    if (now >= info.close * 1000 || openedAtMs >= at) continue;
    return { date: info.date, at };
  }
  return null;
}

/** The next fired-trigger check after one at `now`: every 15 min in the extended session, else at 4:00. */
export function firedCheckAfter(now: number): number {
  const info = tradingDayInfo(formatDays(etDaysOf(Math.floor(now / 1000))));
  if (info.isTradingDay && now < info.postClose * 1000 + FIRED_CHECK_MS) {
    return Math.max(now + FIRED_CHECK_MS, info.preOpen * 1000);
  }
  return tradingDayInfo(nextTradingDay(info.date)).preOpen * 1000;
}
