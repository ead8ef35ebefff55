import { describe, expect, it } from 'vitest';
import {
  EARLY_CLOSES,
  etDateOf,
  FULL_HOLIDAYS,
  nextTradingDay,
  previousTradingDay,
  SessionClock,
  SessionCode,
  sessionAt,
  tradingDayInfo,
} from './calendar.ts';

const utc = (iso: string) => Date.parse(iso) / 1000;

// Holidays recomputed from their rules (independently of the data table), to catch typos in the data.
function nthWeekday(y: number, m: number, wd: number, n: number): Date {
  const d = new Date(Date.UTC(y, m - 1, 1));
  while (d.getUTCDay() !== wd) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCDate(d.getUTCDate() + 7 * (n - 1));
  return d;
}
function lastMonday(y: number, m: number): Date {
  const d = new Date(Date.UTC(y, m, 0));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() - 1);
  return d;
}
function easter(y: number): Date {
  // Anonymous Gregorian computus (Meeus/Jones/Butcher).
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  return new Date(Date.UTC(y, Math.floor((h + l - 7 * m + 114) / 31) - 1, ((h + l - 7 * m + 114) % 31) + 1));
}
/** Saturday holidays move to Friday, Sunday ones to Monday. */
function observed(d: Date): Date {
  const r = new Date(d);
  if (r.getUTCDay() === 6) r.setUTCDate(r.getUTCDate() - 1);
  if (r.getUTCDay() === 0) r.setUTCDate(r.getUTCDate() + 1);
  return r;
}
const iso = (d: Date) => d.toISOString().slice(0, 10);
function ruleHolidays(y: number): string[] {
  const goodFriday = easter(y);
  goodFriday.setUTCDate(goodFriday.getUTCDate() - 2);
  const out = [
    nthWeekday(y, 1, 1, 3), // MLK: third Monday of January
    nthWeekday(y, 2, 1, 3), // Washington's Birthday: third Monday of February
    goodFriday,
    lastMonday(y, 5), // Memorial Day
    observed(new Date(Date.UTC(y, 5, 19))),
    observed(new Date(Date.UTC(y, 6, 4))),
    nthWeekday(y, 9, 1, 1), // Labor Day
    nthWeekday(y, 11, 4, 4), // Thanksgiving: fourth Thursday of November
    observed(new Date(Date.UTC(y, 11, 25))),
  ].map(iso);
  const ny = new Date(Date.UTC(y, 0, 1));
  if (ny.getUTCDay() !== 6) out.push(iso(observed(ny))); // a Saturday Jan 1 is not observed (Rule 7.2)
  return out.sort();
}

describe('exchange holidays (one test per year, against the NYSE announcements)', () => {
  const special: Record<number, string[]> = { 2025: ['2025-01-09'] }; // Carter national day of mourning
  const expectedEarly: Record<number, string[]> = {
    2023: ['2023-07-03', '2023-11-24'], // Dec 24 2023 is a Sunday: no early close
    2024: ['2024-07-03', '2024-11-29', '2024-12-24'],
    2025: ['2025-07-03', '2025-11-28', '2025-12-24'],
    2026: ['2026-11-27', '2026-12-24'], // July 4 is a Saturday: holiday Friday July 3, no early close
    2027: ['2027-11-26'], // Christmas observed Friday Dec 24: no Christmas Eve early close
  };
  for (const year of [2023, 2024, 2025, 2026, 2027]) {
    it(`${year}: full closures and early closes`, () => {
      const data = Object.keys(FULL_HOLIDAYS)
        .filter((d) => d.startsWith(`${year}-`))
        .sort();
      expect(data).toEqual([...ruleHolidays(year), ...(special[year] ?? [])].sort());
      for (const d of data) {
        const info = tradingDayInfo(d);
        expect(info.isTradingDay).toBe(false);
        expect(info.holiday).toBeTruthy();
      }
      const early = Object.keys(EARLY_CLOSES).filter((d) => d.startsWith(`${year}-`));
      expect(early.sort()).toEqual(expectedEarly[year]);
      for (const d of early) {
        const info = tradingDayInfo(d);
        expect(info.isTradingDay).toBe(true);
        expect(info.earlyClose).toBe(true);
        // 13:00 ET: 18:00 UTC in winter (EST, +5 h), 17:00 UTC in July (EDT, +4 h)
        const month = Number(d.slice(5, 7));
        expect(new Date(info.close * 1000).getUTCHours()).toBe(month === 7 ? 17 : 18);
      }
    });
  }
  it('rules agree with the data on dates listed explicitly by NYSE', () => {
    expect(FULL_HOLIDAYS['2026-07-03']).toMatch(/Independence/);
    expect(FULL_HOLIDAYS['2027-06-18']).toMatch(/Juneteenth/);
    expect(FULL_HOLIDAYS['2027-12-24']).toMatch(/Christmas/);
    expect(FULL_HOLIDAYS['2027-12-31']).toBeUndefined();
  });
});

describe('sessions across DST', () => {
  it('opens at 14:30 UTC in winter and 13:30 UTC in summer', () => {
    // Friday 2023-03-10 is EST (UTC-5): 9:30 ET = 14:30 UTC. DST starts Sunday 2023-03-12.
    expect(tradingDayInfo('2023-03-10').open).toBe(utc('2023-03-10T14:30:00Z'));
    // Monday 2023-03-13 is EDT (UTC-4): 9:30 ET = 13:30 UTC.
    expect(tradingDayInfo('2023-03-13').open).toBe(utc('2023-03-13T13:30:00Z'));
    // DST ends Sunday 2023-11-05: Friday 11-03 opens 13:30 UTC, Monday 11-06 14:30 UTC.
    expect(tradingDayInfo('2023-11-03').open).toBe(utc('2023-11-03T13:30:00Z'));
    expect(tradingDayInfo('2023-11-06').open).toBe(utc('2023-11-06T14:30:00Z'));
    // 2026: switches on March 8 and November 1.
    expect(tradingDayInfo('2026-03-09').open).toBe(utc('2026-03-09T13:30:00Z'));
    expect(tradingDayInfo('2026-03-06').close).toBe(utc('2026-03-06T21:00:00Z'));
    expect(tradingDayInfo('2026-11-02').preOpen).toBe(utc('2026-11-02T09:00:00Z'));
    expect(tradingDayInfo('2026-10-30').postClose).toBe(utc('2026-10-31T00:00:00Z'));
  });
  it('classifies each session boundary', () => {
    // 2023-11-21 (EST): pre 09:00Z, open 14:30Z, close 21:00Z, post ends 01:00Z next UTC day
    expect(sessionAt(utc('2023-11-21T08:59:59Z'))).toEqual({ session: 'closed', date: '2023-11-21' });
    expect(sessionAt(utc('2023-11-21T09:00:00Z'))).toEqual({ session: 'pre', date: '2023-11-21' });
    expect(sessionAt(utc('2023-11-21T14:29:59Z')).session).toBe('pre');
    expect(sessionAt(utc('2023-11-21T14:30:00Z')).session).toBe('regular');
    expect(sessionAt(utc('2023-11-21T20:59:59Z')).session).toBe('regular');
    expect(sessionAt(utc('2023-11-21T21:00:00Z')).session).toBe('post');
    // 19:59:59 ET is still the 21st in New York although UTC says the 22nd
    expect(sessionAt(utc('2023-11-22T00:59:59Z'))).toEqual({ session: 'post', date: '2023-11-21' });
    expect(sessionAt(utc('2023-11-22T01:00:00Z'))).toEqual({ session: 'closed', date: '2023-11-21' });
    // Early close 2023-11-24: 13:00 ET = 18:00 UTC starts the post-market
    expect(sessionAt(utc('2023-11-24T17:59:59Z')).session).toBe('regular');
    expect(sessionAt(utc('2023-11-24T18:00:00Z')).session).toBe('post');
  });
  it('is closed on weekends and holidays', () => {
    expect(sessionAt(utc('2023-11-25T15:00:00Z'))).toEqual({ session: 'closed', date: '2023-11-25' }); // Saturday
    expect(sessionAt(utc('2023-11-23T15:00:00Z'))).toEqual({ session: 'closed', date: '2023-11-23' }); // Thanksgiving
  });
  it('finds the previous and next trading day over weekends and holidays', () => {
    expect(previousTradingDay('2023-11-24')).toBe('2023-11-22'); // skips Thanksgiving
    expect(previousTradingDay('2024-01-02')).toBe('2023-12-29'); // skips the weekend and Jan 1
    expect(previousTradingDay('2026-07-06')).toBe('2026-07-02'); // skips Friday July 3 (observed)
    expect(nextTradingDay('2025-01-08')).toBe('2025-01-10'); // skips the Carter day of mourning
  });
  it('uses the New York date around midnight UTC and DST switch instants', () => {
    expect(etDateOf(utc('2024-03-10T06:59:59Z'))).toBe('2024-03-10'); // 01:59:59 EST
    expect(etDateOf(utc('2024-03-10T04:59:59Z'))).toBe('2024-03-09'); // 23:59:59 EST
    expect(etDateOf(utc('2024-07-01T03:59:59Z'))).toBe('2024-06-30'); // 23:59:59 EDT
    expect(etDateOf(utc('2024-07-01T04:00:00Z'))).toBe('2024-07-01');
    expect(tradingDayInfo('2024-03-10').dayEnd - tradingDayInfo('2024-03-10').dayStart).toBe(23 * 3600);
    expect(tradingDayInfo('2024-11-03').dayEnd - tradingDayInfo('2024-11-03').dayStart).toBe(25 * 3600);
  });
  it('SessionClock agrees with sessionAt over a week at 7-minute steps', () => {
    const clock = new SessionClock();
    const names = ['closed', 'pre', 'regular', 'post'];
    for (let t = utc('2024-11-01T00:00:00Z'); t < utc('2024-11-08T00:00:00Z'); t += 420) {
      const code = clock.classify(t);
      const ref = sessionAt(t);
      expect(names[code]).toBe(ref.session);
      expect(clock.info.date).toBe(ref.date);
    }
    expect(clock.classify(utc('2024-11-05T15:00:00Z'))).toBe(SessionCode.REGULAR);
  });
});
