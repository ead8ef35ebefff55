// The US equities trading calendar in America/New_York time, without a tz library: US daylight
// saving time (second Sunday of March to the first Sunday of November, switching at 2:00 local) is
// computed, holidays and early closes are data (market-holidays.ts). Sessions: pre 4:00-9:30,
// regular 9:30-16:00 (13:00 on early closes), post to 20:00. `SessionClock` caches one day's
// boundaries so classifying a record is a couple of comparisons; the day math runs once per day.
import type { Session } from './alert.ts';
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, EARLY_CLOSES, FULL_HOLIDAYS } from './market-holidays.ts';

export { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, EARLY_CLOSES, FULL_HOLIDAYS } from './market-holidays.ts';

export type MarketSession = Session | 'closed';

/** Numeric session codes for hot loops (index into SESSION_NAMES). */
export const SessionCode = { CLOSED: 0, PRE: 1, REGULAR: 2, POST: 3 } as const;
export type SessionCode = (typeof SessionCode)[keyof typeof SessionCode];
export const SESSION_NAMES: readonly MarketSession[] = ['closed', 'pre', 'regular', 'post'];

const DAY = 86_400;
const HOUR = 3_600;
const PRE_OPEN_S = 4 * HOUR;
const OPEN_S = 9 * HOUR + 30 * 60;
const CLOSE_S = 16 * HOUR;
const EARLY_CLOSE_S = 13 * HOUR;
const POST_CLOSE_S = 20 * HOUR;

// ---- civil dates <-> days since 1970-01-01 (H. Hinnant's algorithms) ----

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOfDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

export function formatDays(days: number): string {
  const { y, m, d } = civilFromDays(days);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD (a real calendar date) to days since the epoch. */
export function parseDate(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const days = daysFromCivil(y, mo, d);
  const back = civilFromDays(days);
  if (back.m !== mo || back.d !== d) throw new RangeError(`no such date: ${date}`);
  return days;
}

// ---- US daylight saving time (Energy Policy Act of 2005 rules, in force since 2007) ----

/** Day number of the n-th Sunday of a month (n = 1, 2, ...). */
function nthSunday(y: number, m: number, n: number): number {
  const first = daysFromCivil(y, m, 1);
  const toSunday = (7 - weekdayOfDays(first)) % 7;
  return first + toSunday + (n - 1) * 7;
}

const dstCache = new Map<number, readonly [start: number, end: number]>();
/** [second Sunday of March, first Sunday of November] as day numbers. */
function dstDays(y: number): readonly [number, number] {
  let r = dstCache.get(y);
  if (!r) {
    r = [nthSunday(y, 3, 2), nthSunday(y, 11, 1)];
    dstCache.set(y, r);
  }
  return r;
}

/** UTC offset of New York (seconds to add to local time to get UTC) on day `days` after 2:00 local. */
function dayOffsetSeconds(days: number): number {
  const [start, end] = dstDays(civilFromDays(days).y);
  return days >= start && days < end ? 4 * HOUR : 5 * HOUR;
}

/** Seconds to add to New York local time to get UTC, at the UTC instant `tsSeconds` (4 h or 5 h). */
export function etOffsetSeconds(tsSeconds: number): number {
  const y = civilFromDays(Math.floor(tsSeconds / DAY)).y;
  const [start, end] = dstDays(y);
  // 2:00 EST = 7:00 UTC on the March switch; 2:00 EDT = 6:00 UTC on the November switch.
  return tsSeconds >= start * DAY + 7 * HOUR && tsSeconds < end * DAY + 6 * HOUR ? 4 * HOUR : 5 * HOUR;
}

/** New York calendar day (days since the epoch) of a UTC instant. */
export function etDaysOf(tsSeconds: number): number {
  return Math.floor((tsSeconds - etOffsetSeconds(tsSeconds)) / DAY);
}

/** New York calendar date (YYYY-MM-DD) of a UTC instant. */
export function etDateOf(tsSeconds: number): string {
  return formatDays(etDaysOf(tsSeconds));
}

/** UTC seconds of New York local midnight starting day `days`. */
function localMidnightUtc(days: number): number {
  // Midnight precedes the 2:00 switch: on the March switch day it is still EST, on November's EDT.
  const [start, end] = dstDays(civilFromDays(days).y);
  const dst = days > start && days <= end;
  return days * DAY + (dst ? 4 : 5) * HOUR;
}

// ---- trading days ----

export interface TradingDayInfo {
  /** YYYY-MM-DD, New York. */
  readonly date: string;
  /** Days since 1970-01-01. */
  readonly days: number;
  readonly isTradingDay: boolean;
  readonly earlyClose: boolean;
  /** Holiday name when the exchanges are closed for one. */
  readonly holiday: string | null;
  /** False outside the years whose holidays are in the data (then only weekends close). */
  readonly calendarKnown: boolean;
  /** UTC seconds. Computed for every day, trading or not. */
  readonly preOpen: number;
  readonly open: number;
  readonly close: number;
  readonly postClose: number;
  /** Local midnight at the start and the end of the day, UTC seconds (23 h or 25 h on DST switches). */
  readonly dayStart: number;
  readonly dayEnd: number;
}

function infoOfDays(days: number): TradingDayInfo {
  const date = formatDays(days);
  const { y } = civilFromDays(days);
  const wd = weekdayOfDays(days);
  const holiday = FULL_HOLIDAYS[date] ?? null;
  const isTradingDay = wd !== 0 && wd !== 6 && holiday === null;
  const earlyClose = isTradingDay && EARLY_CLOSES[date] !== undefined;
  const base = days * DAY + dayOffsetSeconds(days);
  return {
    date,
    days,
    isTradingDay,
    earlyClose,
    holiday,
    calendarKnown: y >= CALENDAR_FIRST_YEAR && y <= CALENDAR_LAST_YEAR,
    preOpen: base + PRE_OPEN_S,
    open: base + OPEN_S,
    close: base + (earlyClose ? EARLY_CLOSE_S : CLOSE_S),
    postClose: base + POST_CLOSE_S,
    dayStart: localMidnightUtc(days),
    dayEnd: localMidnightUtc(days + 1),
  };
}

export function tradingDayInfo(date: string): TradingDayInfo {
  return infoOfDays(parseDate(date));
}

export function isTradingDay(date: string): boolean {
  return infoOfDays(parseDate(date)).isTradingDay;
}

function isTradingDays(days: number): boolean {
  const wd = weekdayOfDays(days);
  return wd !== 0 && wd !== 6 && FULL_HOLIDAYS[formatDays(days)] === undefined;
}

/** The trading day before `date` (which need not be a trading day itself). */
export function previousTradingDay(date: string): string {
  let d = parseDate(date) - 1;
  while (!isTradingDays(d)) d--;
  return formatDays(d);
}

export function nextTradingDay(date: string): string {
  let d = parseDate(date) + 1;
  while (!isTradingDays(d)) d++;
  return formatDays(d);
}

/** Session and New York date of a UTC instant (allocates; hot paths use SessionClock). */
export function sessionAt(tsSeconds: number): { session: MarketSession; date: string } {
  const info = infoOfDays(etDaysOf(tsSeconds));
  return { session: SESSION_NAMES[classifyIn(info, tsSeconds)]!, date: info.date };
}

function classifyIn(info: TradingDayInfo, ts: number): SessionCode {
  if (!info.isTradingDay || ts < info.preOpen || ts >= info.postClose) return SessionCode.CLOSED;
  if (ts < info.open) return SessionCode.PRE;
  if (ts < info.close) return SessionCode.REGULAR;
  return SessionCode.POST;
}

/**
 * Classifies a stream of UTC instants. Holds the current New York day's boundaries; `classify` is
 * two range checks plus up to four comparisons unless the day changes (then one day computation).
 */
export class SessionClock {
  /** The current New York day (undefined-like -Infinity bounds until the first call). */
  info: TradingDayInfo = infoOfDays(0);
  dayStart = Number.POSITIVE_INFINITY;
  dayEnd = Number.NEGATIVE_INFINITY;
  preOpen = 0;
  open = 0;
  close = 0;
  postClose = 0;
  trading = false;
  /** Days since the epoch of the current New York day. */
  days = -1;

  /** Moves to the New York day containing `ts` (any direction). */
  moveTo(ts: number): void {
    const info = infoOfDays(etDaysOf(ts));
    this.info = info;
    this.days = info.days;
    this.dayStart = info.dayStart;
    this.dayEnd = info.dayEnd;
    this.preOpen = info.preOpen;
    this.open = info.open;
    this.close = info.close;
    this.postClose = info.postClose;
    this.trading = info.isTradingDay;
  }

  classify(ts: number): SessionCode {
    if (ts < this.dayStart || ts >= this.dayEnd) this.moveTo(ts);
    if (!this.trading || ts < this.preOpen || ts >= this.postClose) return SessionCode.CLOSED;
    if (ts < this.open) return SessionCode.PRE;
    if (ts < this.close) return SessionCode.REGULAR;
    return SessionCode.POST;
  }
}
