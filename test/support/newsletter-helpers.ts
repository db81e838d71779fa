import { env } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import { subscriberEmailHash } from '../../src/newsletter/signup';
import { fetchPage, freshAddress, ORIGIN } from './helpers';

/** An email as the send_email binding got it (its structured form): header fields with lower-case names, and its two parts. */
export interface SentMail {
  to: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

/** A header value with RFC 2047 encoded words (`=?UTF-8?B?…?=`) decoded; plain values are returned as they are. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, base64: string) =>
      new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))),
    );
}

const address = (value: string | EmailAddress) =>
  typeof value === 'string' ? value : `${JSON.stringify(value.name)} <${value.email}>`;

/** Reads the structured message handed to `env.EMAIL.send({ from, to, subject, text, html, headers })`. */
export function readMail(message: EmailMessageBuilder): SentMail {
  const to = [message.to ?? []].flat().map(address).join(', ');
  return {
    to,
    headers: {
      ...Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
      from: address(message.from),
      to,
      subject: message.subject,
    },
    text: message.text ?? '',
    html: message.html ?? '',
  };
}

/** Watches the real send_email binding (which still sends: locally, writes files) and reads what it was given. */
export function watchMail() {
  const send = vi.spyOn(env.EMAIL, 'send');
  const sent = () => send.mock.calls.map(([message]) => readMail(message as EmailMessageBuilder));
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

/** A same-origin form POST from a fresh address, not following its redirect. */
export const formPost = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
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

export function postForm(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  site = fetchPage,
) {
  return site(path, formPost(fields, headers));
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

/** A copy of a seed article under its own slug and headline, published `ageMs` ago; returns its id. */
export async function publishRecentArticle(slug: string, headline: string, ageMs: number): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, author_id, section_id, status, published_at)
     SELECT ?, ?, 'A standfirst for ' || ?, body_markdown, body_html, author_id, section_id, 'published', ?
     FROM articles WHERE slug = 'russia-eyes-korean-peninsula' RETURNING id`,
  )
    .bind(slug, headline, headline, Date.now() - ageMs)
    .first<{ id: number }>();
  return row!.id;
}

/** A draft issue put straight into the database for `week`, with the next free number; returns its id. */
export async function insertDraftIssue(week: string, intro = ''): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO newsletter_issues (number, week, subject, html, text, intro)
     SELECT coalesce(max(number), 0) + 1, ?, 'Draft for ' || ?, '', '', ? FROM newsletter_issues RETURNING id`,
  )
    .bind(week, week, intro)
    .first<{ id: number }>();
  return row!.id;
}

let testIssueNumber = 900;
/** An issue recorded straight into the database (its bodies carry the unsubscribe placeholder); returns its id. */
export async function recordTestIssue(subject = 'The edgepress Brief, a test issue'): Promise<number> {
  testIssueNumber += 1;
  const row = await env.DB.prepare(
    `INSERT INTO newsletter_issues (number, week, subject, html, text)
     VALUES (?, ?, ?, '<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>', 'Unsubscribe: {{unsubscribe_url}}') RETURNING id`,
  )
    .bind(testIssueNumber, `test-${testIssueNumber}-${Date.now()}`, subject)
    .first<{ id: number }>();
  return row!.id;
}
