const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', { timeZone, ...options });
    formatters.set(key, cached);
  }
  return cached;
}

type WallClockField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** The numeric fields of `date` on the wall clock of `timeZone` ("2026", "11", "27", "09", "30", "05"). */
function wallClock(date: Date, timeZone: string): Record<WallClockField, string> {
  const fields = formatter(timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  return Object.fromEntries(fields.map((part) => [part.type, part.value])) as Record<WallClockField, string>;
}

/** `2010-11-16 18:00:05`: the wall-clock time in `timeZone`, as SQL (and WordPress) write a local time. */
export function wallClockText(date: Date, timeZone: string): string {
  const { year, month, day, hour, minute, second } = wallClock(date, timeZone);
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}

/** "November 20, 2010" */
export const formatDate = (date: Date, timeZone: string): string =>
  formatter(timeZone, { dateStyle: 'long' }).format(date);

/**
 * The zone's short name at `date` where English has one ("EST", "GMT", "UTC"), else its offset from UTC
 * ("UTC+9", "UTC+5:30"): Intl spells the latter "GMT+9", which readers take for Greenwich time.
 */
export function zoneName(date: Date, timeZone: string): string {
  const name =
    formatter(timeZone, { timeZoneName: 'short' })
      .formatToParts(date)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'UTC';
  return name.replace(/^GMT(?=[+-])/, 'UTC');
}

/** "November 20, 2010 at 07:05 UTC+9": every time a reader sees says its zone. */
export const formatDateTime = (date: Date, timeZone: string): string =>
  `${formatter(timeZone, { dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23' }).format(date)} ${zoneName(date, timeZone)}`;

/** Year and two-digit month of a date in the site's time zone, as used in article URLs. */
export function yearMonth(date: Date, timeZone: string): { year: string; month: string } {
  const { year, month } = wallClock(date, timeZone);
  return { year, month };
}

/** The ISO week of a date in the site's time zone, e.g. "2026-W48" (weeks start on Monday). */
export function isoWeek(date: Date, timeZone: string): string {
  const { year, month, day: dayOfMonth } = wallClock(date, timeZone);
  const day = new Date(Date.UTC(Number(year), Number(month) - 1, Number(dayOfMonth)));
  // The week belongs to the year of its Thursday.
  day.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
  const week = Math.floor((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / 86_400_000 / 7) + 1;
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** A date as an `<input type="datetime-local">` value in the site's time zone: "2026-11-27T09:30". */
export function toLocalDateTime(date: Date, timeZone: string): string {
  const { year, month, day, hour, minute } = wallClock(date, timeZone);
  return `${year}-${month}-${day}T${hour}:${minute}`;
}

/** The instant a "2026-11-27T09:30" wall-clock time in the site's time zone stands for; undefined if it is no such time. */
export function fromLocalDateTime(value: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(asUtc).getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  const offsetAt = (instant: number) => {
    const parts = wallClock(new Date(instant), timeZone);
    return (
      Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute) -
      Math.floor(instant / 60_000) * 60_000
    );
  };
  // Twice, so a wall-clock time near a daylight-saving change gets the offset in force at that instant.
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}

/** The last `count` days in the site's time zone, oldest first: each day's label ("2026-11-27") and the instant it starts. */
export function recentLocalDays(now: Date, timeZone: string, count: number): { day: string; start: Date }[] {
  const today = toLocalDateTime(now, timeZone).slice(0, 10);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_, index) => {
    const label = new Date(Date.UTC(year, month - 1, day - (count - 1 - index))).toISOString().slice(0, 10);
    return { day: label, start: fromLocalDateTime(`${label}T00:00`, timeZone)! };
  });
}

/** True when Intl knows `zone` as an IANA time zone ("Asia/Tokyo", "UTC"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The next instant, at or after `now`, at which the wall clock of `timeZone` reads `hour`:00. */
export function nextLocalHour(now: Date, timeZone: string, hour: number): Date {
  const [year, month, day] = toLocalDateTime(now, timeZone).slice(0, 10).split('-').map(Number) as [
    number,
    number,
    number,
  ];
  const clock = `T${String(hour).padStart(2, '0')}:00`;
  for (let offset = 0; ; offset++) {
    const date = new Date(Date.UTC(year, month - 1, day + offset)).toISOString().slice(0, 10);
    const at = fromLocalDateTime(date + clock, timeZone)!;
    if (at.getTime() >= now.getTime()) return at;
  }
}

/** "07:00": an hour of the day as a reader reads it. */
export const clockHour = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;
