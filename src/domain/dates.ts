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

function parts(date: Date, timeZone: string) {
  const found = Object.fromEntries(
    formatter(timeZone, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return found as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;
}

/** "November 20, 2010" */
export function formatDate(date: Date, timeZone: string): string {
  const { month, day, year } = parts(date, timeZone);
  return `${month} ${day}, ${year}`;
}

/** "November 20, 2010 at 07:05", as comments are dated. */
export function formatDateTime(date: Date, timeZone: string): string {
  const { hour, minute } = parts(date, timeZone);
  return `${formatDate(date, timeZone)} at ${hour}:${minute}`;
}

/** Year and two-digit month of a date in the site's time zone, as used in article URLs. */
export function yearMonth(date: Date, timeZone: string): { year: string; month: string } {
  const found = Object.fromEntries(
    formatter(timeZone, { year: 'numeric', month: '2-digit' })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return { year: found.year!, month: found.month! };
}
