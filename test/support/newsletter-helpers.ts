import { env } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import { subscriberEmailHash } from '../../src/newsletter/signup';
import { fetchPage, freshAddress, ORIGIN } from './helpers';

/** An email as the send_email binding got it: headers (lower-case names) and its decoded parts. */
export interface SentMail {
  to: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

function decodePart(part: string): { type: string; body: string } {
  const [head = '', ...rest] = part.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n').replace(/\r\n$/, '');
  const type = /content-type: ([^;\r\n]+)/i.exec(head)?.[1] ?? '';
  if (/content-transfer-encoding: base64/i.test(head)) {
    const bytes = Uint8Array.from(atob(body.replace(/\s/g, '')), (char) => char.charCodeAt(0));
    return { type, body: new TextDecoder().decode(bytes) };
  }
  return { type, body: body.replace(/\r\n/g, '\n') };
}

/** A header value with its RFC 2047 encoded words (`=?UTF-8?B?…?=`, as the mailer writes non-ASCII) decoded. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, base64: string) =>
      new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))),
    );
}

/** Reads the raw MIME message handed to `new EmailMessage(from, to, raw)`. */
export function parseMail(to: string, raw: string): SentMail {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw
    .slice(0, headerEnd)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'] ?? '')?.[1];
  const parts = raw
    .slice(headerEnd + 4)
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => decodePart(part.replace(/^\r\n/, '')));
  return {
    to,
    headers,
    text: parts.find((part) => part.type === 'text/plain')?.body ?? '',
    html: parts.find((part) => part.type === 'text/html')?.body ?? '',
  };
}

/** Watches the real send_email binding (which still sends: locally, writes a file) and reads what it was given. */
export function watchMail() {
  const send = vi.spyOn(env.EMAIL, 'send');
  const sent = () =>
    send.mock.calls.map(([message]) => {
      const { to, 'EmailMessage::raw': raw } = message as unknown as { to: string; 'EmailMessage::raw': string };
      return parseMail(to, raw);
    });
  return {
    send,
    sent,
    to: (email: string) => sent().filter((mail) => mail.to === email),
    /** Waits for the `waitUntil` that sends a confirmation after the response. */
    waitFor: async (email: string, count = 1) => {
      await vi.waitFor(() => expect(sent().filter((mail) => mail.to === email)).toHaveLength(count), { timeout: 5000 });
      return sent().filter((mail) => mail.to === email);
    },
  };
}

export const linkIn = (mail: SentMail, path: string) => {
  const link = new RegExp(`https?://[^\\s"<>]+${path.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9._-]+`).exec(
    mail.text,
  )?.[0];
  expect(link, `a ${path} link in the text part`).toBeDefined();
  return new URL(link!);
};

let emailCounter = 0;
export const freshEmail = (label = 'reader') => `${label}-${++emailCounter}-${Date.now()}@example.com`;

export function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetchPage(path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: ORIGIN,
      'CF-Connecting-IP': freshAddress(),
      ...headers,
    },
    body: new URLSearchParams(fields),
  });
}

export const signUp = (email: string, headers?: Record<string, string>) => postForm('/newsletter', { email }, headers);

export interface SubscriberRow {
  id: number;
  email: string | null;
  email_hash: string;
  status: string;
  confirmed_at: number | null;
  erased_at: number | null;
}

export async function subscriberRows(email: string): Promise<SubscriberRow[]> {
  const hash = await subscriberEmailHash(env, email);
  const { results } = await env.DB.prepare('SELECT * FROM subscribers WHERE email_hash = ?')
    .bind(hash)
    .all<SubscriberRow>();
  return results;
}

/** A subscriber put straight into the database, in any status. */
export async function addSubscriber(
  email: string,
  status: 'unconfirmed' | 'confirmed' | 'unsubscribed',
): Promise<number> {
  const row = await env.DB.prepare('INSERT INTO subscribers (email, email_hash, status) VALUES (?, ?, ?) RETURNING id')
    .bind(email, await subscriberEmailHash(env, email), status)
    .first<{ id: number }>();
  return row!.id;
}
