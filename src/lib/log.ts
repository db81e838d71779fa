type Field = string | number | boolean | null | undefined;

/**
 * One JSON line for Workers Logs: what happened (`event`), the request it belongs to and counts.
 * Never put an email, a network address or a name in `fields`: at most an IP group's hash.
 *
 * @example
 * logEvent('warn', 'page-cache.write-refused', { requestId: c.var.requestId, key, reason: 'rate' })
 */
export function logEvent(level: 'info' | 'warn' | 'error', event: string, fields: Record<string, Field> = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
