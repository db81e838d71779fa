/**
 * The local "mailbox": wrangler dev writes each message sent through the `send_email` binding as an
 * .eml file and logs its path ("send_email binding called… Email: /…/x.eml"); they go when it stops.
 */
import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';

const SERVER_LOG = inject('serverLog');

function sentMessages(): string[] {
  const paths = [...readFileSync(SERVER_LOG, 'utf8').matchAll(/^Email: (\S+\.eml)$/gm)].map((match) => match[1]!);
  return paths.filter((path) => existsSync(path)).map((path) => readFileSync(path, 'utf8'));
}

/** Waits for a message to `to` whose raw text matches `pattern`, and returns that raw text. */
export async function waitForMail(to: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = sentMessages().find((raw) => raw.includes(`\r\nTo: ${to}\r\n`) && pattern.test(raw));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`No message to ${to} matching ${pattern} within ${timeoutMs / 1000} s`);
}

/** The first link in a message that starts with `prefix` (the text part keeps links readable). */
export function linkIn(raw: string, prefix: string): string {
  const link = raw.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`No link starting with ${prefix} in the message`);
  return link.replace(/[>)]+$/, '');
}
