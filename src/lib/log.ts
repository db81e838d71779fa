type Field = string | number | boolean | null | undefined;

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6 =
  /\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|(?:\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*\b)?/gi;

/** A text with every email and network address replaced, e.g. an error message a binding wrote. */
export function redact(text: string): string {
  return text.replace(EMAIL, '[email]').replace(IPV4, '[address]').replace(IPV6, '[address]');
}

/**
 * One JSON line for Workers Logs: what happened (`event`), the request it belongs to and counts.
 * Never put an email, a network address or a name in `fields`: at most an IP group's hash. Text
 * fields are redacted anyway, since an error message may quote an address.
 *
 * @example
 * logEvent('warn', 'page-cache.write-refused', { requestId: c.var.requestId, key, reason: 'rate' })
 */
export function logEvent(level: 'info' | 'warn' | 'error', event: string, fields: Record<string, Field> = {}): void {
  const safe = Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? redact(value) : value]),
  );
  const line = JSON.stringify({ level, event, ...safe });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
