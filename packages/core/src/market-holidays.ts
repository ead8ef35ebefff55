// NYSE / Nasdaq full closures and 1:00 p.m. early closes, as published by the exchanges (NYSE Group
// holiday and early-closings calendars announced 2020-12-28, 2021-12-27, 2024-11-08, 2025-12-23;
// Nasdaq follows the same calendar). Dates are America/New_York trading dates. Extend a year at a
// time when the exchanges announce it; calendar.test.ts has a test per year.

/** First and last year for which the exchange calendar below is complete. */
export const CALENDAR_FIRST_YEAR = 2023;
export const CALENDAR_LAST_YEAR = 2027;

/** Full-day closures: date -> name. */
export const FULL_HOLIDAYS: Readonly<Record<string, string>> = {
  // 2023
  '2023-01-02': "New Year's Day (observed)",
  '2023-01-16': 'Martin Luther King, Jr. Day',
  '2023-02-20': "Washington's Birthday",
  '2023-04-07': 'Good Friday',
  '2023-05-29': 'Memorial Day',
  '2023-06-19': 'Juneteenth National Independence Day',
  '2023-07-04': 'Independence Day',
  '2023-09-04': 'Labor Day',
  '2023-11-23': 'Thanksgiving Day',
  '2023-12-25': 'Christmas Day',
  // 2024
  '2024-01-01': "New Year's Day",
  '2024-01-15': 'Martin Luther King, Jr. Day',
  '2024-02-19': "Washington's Birthday",
  '2024-03-29': 'Good Friday',
  '2024-05-27': 'Memorial Day',
  '2024-06-19': 'Juneteenth National Independence Day',
  '2024-07-04': 'Independence Day',
  '2024-09-02': 'Labor Day',
  '2024-11-28': 'Thanksgiving Day',
  '2024-12-25': 'Christmas Day',
  // 2025
  '2025-01-01': "New Year's Day",
  '2025-01-09': 'National Day of Mourning for President Jimmy Carter',
  '2025-01-20': 'Martin Luther King, Jr. Day',
  '2025-02-17': "Washington's Birthday",
  '2025-04-18': 'Good Friday',
  '2025-05-26': 'Memorial Day',
  '2025-06-19': 'Juneteenth National Independence Day',
  '2025-07-04': 'Independence Day',
  '2025-09-01': 'Labor Day',
  '2025-11-27': 'Thanksgiving Day',
  '2025-12-25': 'Christmas Day',
  // 2026
  '2026-01-01': "New Year's Day",
  '2026-01-19': 'Martin Luther King, Jr. Day',
  '2026-02-16': "Washington's Birthday",
  '2026-04-03': 'Good Friday',
  '2026-05-25': 'Memorial Day',
  '2026-06-19': 'Juneteenth National Independence Day',
  '2026-07-03': 'Independence Day (observed)',
  '2026-09-07': 'Labor Day',
  '2026-11-26': 'Thanksgiving Day',
  '2026-12-25': 'Christmas Day',
  // 2027 (no New Year's Day holiday for Saturday 2028-01-01, NYSE Rule 7.2)
  '2027-01-01': "New Year's Day",
  '2027-01-18': 'Martin Luther King, Jr. Day',
  '2027-02-15': "Washington's Birthday",
  '2027-03-26': 'Good Friday',
  '2027-05-31': 'Memorial Day',
  '2027-06-18': 'Juneteenth National Independence Day (observed)',
  '2027-07-05': 'Independence Day (observed)',
  '2027-09-06': 'Labor Day',
  '2027-11-25': 'Thanksgiving Day',
  '2027-12-24': 'Christmas Day (observed)',
};

/** Early closes: the regular session ends at 13:00 ET; the post-market follows as usual. */
export const EARLY_CLOSES: Readonly<Record<string, string>> = {
  '2023-07-03': 'Day before Independence Day',
  '2023-11-24': 'Day after Thanksgiving',
  '2024-07-03': 'Day before Independence Day',
  '2024-11-29': 'Day after Thanksgiving',
  '2024-12-24': 'Christmas Eve',
  '2025-07-03': 'Day before Independence Day',
  '2025-11-28': 'Day after Thanksgiving',
  '2025-12-24': 'Christmas Eve',
  '2026-11-27': 'Day after Thanksgiving',
  '2026-12-24': 'Christmas Eve',
  '2027-11-26': 'Day after Thanksgiving',
};
