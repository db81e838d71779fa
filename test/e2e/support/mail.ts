/**
 * The local "mailbox": wrangler dev logs each message sent through the `send_email` binding (its
 * structured form: "send_email binding called with MessageBuilder", then the files it wrote the
 * parts to), and its local explorer API gives each one back whole, header fields included.
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';

const SERVER_LOG = inject('serverLog');
const BASE_URL = inject('baseUrl');

interface SentEmail {
  from: string;
  to: string[];
  subject: string;
  headers?: Record<string, string>;
  text?: string;
  html?: string;
}

const HTML_PART = '\r\n--- HTML part ---\r\n';

/** A sent message as one text: its header fields, a blank line, the text part, then the HTML part. */
function asText(email: SentEmail): string {
  const fields = { From: email.from, To: email.to.join(', '), Subject: email.subject, ...email.headers };
  const head = Object.entries(fields).map(([name, value]) => `${name}: ${value}`);
  return `${head.join('\r\n')}\r\n\r\n${email.text ?? ''}${HTML_PART}${email.html ?? ''}`;
}

const fetched = new Map<string, string>();

async function sentMessages(): Promise<string[]> {
  const ids = [
    ...readFileSync(SERVER_LOG, 'utf8').matchAll(/^(?:Text|HTML): \S+\/email-(?:text|html)\/(\S+)\.(?:txt|html)$/gm),
  ].map((match) => `<${match[1]!}>`);
  for (const id of new Set(ids)) {
    if (fetched.has(id)) continue;
    const response = await fetch(
      `${BASE_URL}/cdn-cgi/explorer/api/local/email/sending?email_id=${encodeURIComponent(id)}`,
    );
    if (response.ok) fetched.set(id, asText(((await response.json()) as { result: SentEmail }).result));
  }
  return [...fetched.values()];
}

/** Every message sent so far to `to` whose text (header fields and parts) matches `pattern`, in the order sent. */
export const mailTo = async (to: string, pattern: RegExp): Promise<string[]> =>
  (await sentMessages()).filter((text) => text.includes(`\r\nTo: ${to}\r\n`) && pattern.test(text));

/** Waits for a message to `to` whose text (header fields and parts) matches `pattern`, and returns that text. */
export async function waitForMail(to: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [found] = await mailTo(to, pattern);
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

/** The HTML part of a message waitForMail returned. */
export const htmlPart = (raw: string) => raw.slice(raw.indexOf(HTML_PART) + HTML_PART.length);
