// Quiet hours in the trader's own time zone. The profile stores a start and an end wall-clock time
// ('22:00', '07:00'); start > end wraps midnight. The zone's rules (DST included) come from Intl,
// so a window keeps its wall-clock meaning across the spring-forward and fall-back days.

/** Minutes since local midnight (0..1439) of `at` in `timeZone` (an IANA name). */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(at);
  let hour = 0;
  let minute = 0;
  for (const p of parts) {
    if (p.type === 'hour')
      hour = Number(p.value) % 24; // some engines print midnight as 24
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return hour * 60 + minute;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws a RangeError for an unknown zone: the profile's CHECK only admits IANA names.
    f = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** 'HH:MM' or 'HH:MM:SS' (Postgres `time`) to minutes since midnight. */
export function parseClock(value: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new Error(`not a time of day: ${JSON.stringify(value)}`);
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

export interface QuietHours {
  start: string;
  end: string;
}

/** True when `at` falls in [start, end) of the trader's local day; start == end means no window. */
export function inQuietHours(at: Date, timeZone: string, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const start = parseClock(quiet.start);
  const end = parseClock(quiet.end);
  if (start === end) return false;
  const now = localMinutes(at, timeZone);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
