// The trade workflow's calendar: close follow-ups at 15:45 New York (12:45 on early closes), none
// on holidays or weekends, one per day; fired-trigger checks only while the screener can fire.
import { describe, expect, it } from 'vitest';
import { closeFollowupAt, firedCheckAfter } from './trade-lifecycle-schedule.ts';

const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('close follow-up', () => {
  it('is 15:45 New York: 20:45 UTC in winter (EST), 19:45 UTC in summer (EDT)', () => {
    const mon = utc('2026-11-23T15:00:00Z'); // Monday 10:00 EST
    expect(closeFollowupAt(mon, mon, null)).toEqual({ date: '2026-11-23', at: utc('2026-11-23T20:45:00Z') });
    const jul = utc('2026-07-14T14:00:00Z'); // Tuesday 10:00 EDT
    expect(iso(closeFollowupAt(jul, jul, null)!.at)).toBe('2026-07-14T19:45:00.000Z');
  });

  it('skips Thanksgiving and asks at 12:45 on the early close after it', () => {
    // Wednesday 2026-11-25, after its follow-up went out: next is Friday 11-27 (13:00 close).
    const wedEvening = utc('2026-11-25T22:00:00Z');
    expect(closeFollowupAt(wedEvening, utc('2026-11-23T15:00:00Z'), '2026-11-25')).toEqual({
      date: '2026-11-27',
      at: utc('2026-11-27T17:45:00Z'),
    });
  });

  it('skips the weekend, the day already asked, and a day the trade opened after 15:45', () => {
    const fri = utc('2026-12-04T20:50:00Z'); // Friday 15:50, asked already
    expect(closeFollowupAt(fri, utc('2026-12-04T15:00:00Z'), '2026-12-04')!.date).toBe('2026-12-07');
    const lateEntry = utc('2026-12-07T20:55:00Z'); // Monday 15:55: opened after the follow-up time
    expect(closeFollowupAt(lateEntry, lateEntry, null)!.date).toBe('2026-12-08');
    // Between 15:45 and the close, not asked yet: due now.
    const due = utc('2026-12-08T20:50:00Z');
    expect(closeFollowupAt(due, utc('2026-12-08T15:00:00Z'), null)).toEqual({
      date: '2026-12-08',
      at: utc('2026-12-08T20:45:00Z'),
    });
  });
});

describe('fired-trigger check', () => {
  it('runs every 15 min from 4:00 to past 20:00 on trading days, else at the next 4:00', () => {
    const midday = utc('2026-11-23T17:00:00Z'); // Monday 12:00 EST
    expect(iso(firedCheckAfter(midday))).toBe('2026-11-23T17:15:00.000Z');
    const night = utc('2026-11-24T03:00:00Z'); // Monday 22:00 EST
    expect(iso(firedCheckAfter(night))).toBe('2026-11-24T09:00:00.000Z'); // Tuesday 4:00 EST
    const beforeDawn = utc('2026-11-24T07:00:00Z'); // Tuesday 2:00
    expect(iso(firedCheckAfter(beforeDawn))).toBe('2026-11-24T09:00:00.000Z');
    const thanksgiving = utc('2026-11-26T15:00:00Z');
    expect(iso(firedCheckAfter(thanksgiving))).toBe('2026-11-27T09:00:00.000Z');
  });
});
