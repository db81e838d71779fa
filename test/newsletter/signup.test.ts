import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../src/db/client';
import { isoWeek } from '../../src/lib/dates';
import { hmacSign } from '../../src/lib/hmac';
import { requestSubscription } from '../../src/newsletter/signup';
import { isBlockedDomain } from '../../src/newsletter/signup-input';
import {
  CONFIRMATION_TOKEN_LIFETIME_MS,
  checkSubscriptionToken,
  createSubscriptionToken,
} from '../../src/newsletter/subscription-token';
import { clearPageCache, fetchPage, freshAddress, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';
import { addSubscriber, linkIn, postForm, signUp, subscriberRows, watchMail } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

afterEach(() => {
  vi.restoreAllMocks();
});

const token = (purpose: 'confirm' | 'unsubscribe', id: number, now = Date.now()) =>
  createSubscriptionToken(env.NEWSLETTER_TOKEN_SECRET, purpose, id, now);

/** Signs up through the service as the route does, collecting the deferred email sends. */
async function signUpAt(email: string, now: Date) {
  const tasks: Promise<unknown>[] = [];
  await requestSubscription(env, createDb(env.DB), { email, now }, (task) => tasks.push(task));
  await Promise.all(tasks);
  return tasks.length;
}

describe('signing up and confirming', () => {
  it('sends a confirmation whose link confirms only when its button is pressed (POST), not when opened (GET)', async () => {
    const mail = watchMail();
    const email = uniqueEmail();
    const response = await signUp(email);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/newsletter/check-your-inbox');
    const inbox = await fetchPage('/newsletter/check-your-inbox');
    expect(visibleText(await inbox.text())).toContain('Check your inbox');

    const [confirmation] = await mail.waitFor(email);
    expect(confirmation!.headers.subject).toBe('Please confirm your subscription to The edgepress Brief');
    expect(confirmation!.headers.from).toBe('"The edgepress Brief" <newsletter@localhost.example>');
    const link = linkIn(confirmation!, '/newsletter/confirm');
    expect(confirmation!.html).toContain(link.href.replace(/&/g, '&amp;'));
    expect((await subscriberRows(email)).map((row) => row.status)).toEqual(['unconfirmed']);

    // What a mail scanner does: open the link, twice. Nothing is confirmed.
    for (let i = 0; i < 2; i++) {
      const opened = await fetchPage(link.pathname + link.search);
      expect(opened.status).toBe(200);
      expect(opened.headers.get('Cache-Control')).toBe('private, no-store');
      const html = await opened.text();
      expect(html).toContain('<button type="submit">Confirm my subscription</button>');
      expect(html).toContain('<form method="post" action="/newsletter/confirm">');
    }
    expect((await subscriberRows(email))[0]!.status).toBe('unconfirmed');

    const confirmed = await postForm('/newsletter/confirm', { token: link.searchParams.get('token')! });
    expect(confirmed.status).toBe(200);
    expect(visibleText(await confirmed.text())).toContain('You are subscribed');
    const [row] = await subscriberRows(email);
    expect(row!.status).toBe('confirmed');
    expect(row!.confirmed_at).toBeGreaterThan(0);

    // Pressing it again changes nothing and says the same.
    const again = await postForm('/newsletter/confirm', { token: link.searchParams.get('token')! });
    expect(again.status).toBe(200);
    expect((await subscriberRows(email))[0]!.confirmed_at).toBe(row!.confirmed_at);
  });

  it('refuses expired and tampered tokens with a clear page and a way to sign up again', async () => {
    const id = await addSubscriber(uniqueEmail(), 'unconfirmed');
    const expired = await token('confirm', id, Date.now() - CONFIRMATION_TOKEN_LIFETIME_MS - 60_000);
    const valid = await token('confirm', id);
    const [idPart, expiry, signature] = valid.split('.') as [string, string, string];
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const tampered = [
      `${idPart}.${expiry}.${flipped}`,
      `${Number(idPart) + 1}.${expiry}.${signature}`,
      `${idPart}.${Number(expiry) + 86_400}.${signature}`,
      await token('unsubscribe', id),
      'nonsense',
      '',
    ];

    for (const [candidate, status, heading] of [
      [expired, 410, 'This link has expired'],
      ...tampered.map((bad) => [bad, 400, 'This link is not valid'] as const),
    ] as const) {
      const opened = await fetchPage(`/newsletter/confirm?token=${encodeURIComponent(candidate)}`);
      expect(opened.status, candidate).toBe(status);
      const html = await opened.text();
      expect(visibleText(html)).toContain(heading);
      expect(html).toContain('<form method="post" action="/newsletter">');
      expect((await postForm('/newsletter/confirm', { token: candidate })).status, candidate).toBe(status);
    }
    const missing = await postForm('/newsletter/confirm', {});
    expect(missing.status).toBe(400);
    const row = await env.DB.prepare('SELECT status FROM subscribers WHERE id = ?')
      .bind(id)
      .first<{ status: string }>();
    expect(row!.status).toBe('unconfirmed');
  });

  it('does not confirm from an old link once the address has unsubscribed', async () => {
    const id = await addSubscriber(uniqueEmail(), 'unsubscribed');
    const response = await postForm('/newsletter/confirm', { token: await token('confirm', id) });
    expect(response.status).toBe(400);
    const row = await env.DB.prepare('SELECT status FROM subscribers WHERE id = ?')
      .bind(id)
      .first<{ status: string }>();
    expect(row!.status).toBe('unsubscribed');
  });
});

describe('what a signup reveals', () => {
  it('answers new, pending, confirmed and unsubscribed addresses identically (form and JSON)', async () => {
    const pending = uniqueEmail('pending');
    await signUpAt(pending, new Date());
    const confirmed = uniqueEmail('confirmed');
    await addSubscriber(confirmed, 'confirmed');
    const unsubscribed = uniqueEmail('unsubscribed');
    await addSubscriber(unsubscribed, 'unsubscribed');

    const answers = [];
    for (const email of [uniqueEmail('new'), pending, confirmed, unsubscribed]) {
      const form = await signUp(email);
      const json = await fetchPage('/api/newsletter/subscriptions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshAddress() },
        body: JSON.stringify({ email }),
      });
      answers.push({
        formStatus: form.status,
        location: form.headers.get('Location'),
        formBody: await form.text(),
        jsonStatus: json.status,
        json: await json.json(),
      });
    }
    expect(answers[0]).toMatchObject({ formStatus: 303, location: '/newsletter/check-your-inbox', jsonStatus: 202 });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('sends an unconfirmed address its confirmation again at most every 10 minutes, and an unsubscribed one a new opt-in', async () => {
    const mail = watchMail();
    const email = uniqueEmail();
    const start = Date.now();
    expect(await signUpAt(email, new Date(start))).toBe(1);
    expect(await signUpAt(email, new Date(start + 5 * 60_000))).toBe(0);
    expect(await signUpAt(email, new Date(start + 9 * 60_000))).toBe(0);
    expect(await signUpAt(email, new Date(start + 11 * 60_000))).toBe(1);
    expect(mail.to(email)).toHaveLength(2);

    const [row] = await subscriberRows(email);
    await env.DB.prepare("UPDATE subscribers SET status = 'confirmed' WHERE id = ?").bind(row!.id).run();
    expect(await signUpAt(email, new Date(start + 30 * 60_000))).toBe(0);
    await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE id = ?").bind(row!.id).run();
    expect(await signUpAt(email, new Date(start + 31 * 60_000))).toBe(1);
    expect((await subscriberRows(email)).map(({ id, status }) => ({ id, status }))).toEqual([
      { id: row!.id, status: 'unconfirmed' },
    ]);
  });

  it('keeps one row and sends one email for 100 concurrent signups of one address', async () => {
    const mail = watchMail();
    const email = uniqueEmail('concurrent');
    const now = new Date();
    const sends = await Promise.all(Array.from({ length: 100 }, () => signUpAt(email, now)));
    expect(sends.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await subscriberRows(email)).toHaveLength(1);
    expect(mail.to(email)).toHaveLength(1);
  });

  it('counts every spelling of one mailbox as that mailbox: one row, one email, one signup budget', async () => {
    const mail = watchMail();
    const local = `casevictim${Date.now()}`;
    // Every way of writing the address with capitals, over two networks: the whole class, not one example.
    const spellings = fc.sample(
      fc
        .array(fc.boolean(), { minLength: local.length, maxLength: local.length })
        .map((upper) => `${[...local].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join('')}@Example.org`),
      { numRuns: 20, seed: 7 },
    );
    const networks = [freshAddress(), freshAddress()];
    const statuses = [];
    for (const [i, spelling] of spellings.entries()) {
      statuses.push((await signUp(spelling, { 'CF-Connecting-IP': networks[i % 2]! })).status);
    }
    // The per-address budget (3 an hour) is the mailbox's: the rest are refused, whatever their case.
    expect(statuses.filter((status) => status === 303)).toHaveLength(3);
    const mailbox = `${local}@example.org`;
    expect(await subscriberRows(mailbox)).toHaveLength(1);
    for (const spelling of spellings) expect(await subscriberRows(spelling)).toHaveLength(1);
    // One confirmation, to the address as it was typed.
    await mail.waitFor(spellings[0]!.replace(/@Example\.org$/, '@example.org'));
    expect(mail.sent().filter((sent) => sent.to.toLowerCase() === mailbox)).toHaveLength(1);
  });

  it('finds a row hashed before addresses were folded under any spelling, and makes it the mailbox’s own', async () => {
    const typed = `Legacy${Date.now()}@example.org`;
    const legacyHash = await hmacSign(env.SUBSCRIBER_HASH_SALT, typed);
    await env.DB.prepare(
      "INSERT INTO subscribers (email, email_hash, status, confirmed_at) VALUES (?, ?, 'confirmed', ?)",
    )
      .bind(typed, legacyHash, Date.now())
      .run();
    const mail = watchMail();
    for (const spelling of [typed.toUpperCase(), typed.toLowerCase(), typed]) {
      expect((await signUp(spelling)).status).toBe(303);
    }
    const rows = await subscriberRows(typed);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: typed, status: 'confirmed' });
    const all = await env.DB.prepare('SELECT count(*) AS n FROM subscribers WHERE lower(email) = lower(?)')
      .bind(typed)
      .first<{ n: number }>();
    expect(all!.n).toBe(1);
    // Confirmed already: no spelling sends it anything.
    expect(mail.sent().filter((sent) => sent.to.toLowerCase() === typed.toLowerCase())).toEqual([]);
  });

  it('answers a filled honeypot like a signup, and stores and sends nothing', async () => {
    const mail = watchMail();
    const email = uniqueEmail('bot');
    const response = await postForm('/newsletter', { email, website: 'https://spam.example' });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/newsletter/check-your-inbox');
    expect(await subscriberRows(email)).toEqual([]);
    expect(mail.sent()).toEqual([]);
  });
});

describe('refused signups', () => {
  it('gives the form back with a clear message for a bad or blocked address (HTML and JSON)', async () => {
    for (const [email, message] of [
      ['not-an-address', 'Please enter a valid email address'],
      ['', 'Please enter your email address.'],
      ['someone@mailinator.com', 'We cannot send the newsletter to addresses at this domain.'],
      ['someone@eu.Mailinator.com', 'We cannot send the newsletter to addresses at this domain.'],
    ] as const) {
      const response = await signUp(email);
      expect(response.status, email).toBe(422);
      expect(response.headers.get('Cache-Control')).toBe('private, no-store');
      const html = await response.text();
      expect(visibleText(html)).toContain(message);
      expect(html).toContain('aria-invalid="true"');

      const json = await fetchPage('/api/newsletter/subscriptions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshAddress() },
        body: JSON.stringify({ email }),
      });
      expect(json.status, email).toBe(422);
      expect(JSON.stringify(await json.json())).toContain(message);
    }
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM subscribers WHERE email LIKE '%mailinator%'").first('n'),
    ).toBe(0);
    const broken = await fetchPage('/api/newsletter/subscriptions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"email":',
    });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
  });

  it('limits signups per network and per address, with a clear 429', async () => {
    const network = '203.0.113.';
    for (let i = 0; i < 10; i++)
      expect((await signUp(uniqueEmail('net'), { 'CF-Connecting-IP': `${network}${i}` })).status).toBe(303);
    const limited = await signUp(uniqueEmail('net'), { 'CF-Connecting-IP': `${network}200` });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(visibleText(await limited.text())).toContain('too many newsletter signups from your network');

    const email = uniqueEmail('again');
    for (let i = 0; i < 3; i++) expect((await signUp(email)).status).toBe(303);
    const json = await fetchPage('/api/newsletter/subscriptions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshAddress() },
      body: JSON.stringify({ email }),
    });
    expect(json.status).toBe(429);
    expect(((await json.json()) as { error: string }).error).toContain('signed up several times');
  });
});

describe('unsubscribing', () => {
  const oneClick = (url: string, headers: Record<string, string> = {}) =>
    fetchPage(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: 'List-Unsubscribe=One-Click',
    });

  it('unsubscribes at once on the RFC 8058 one-click POST (no Origin, or another site’s), 200 with an empty body, idempotently', async () => {
    for (const headers of [{}, { Origin: 'https://mail.provider.example' }] as Record<string, string>[]) {
      const email = uniqueEmail();
      const id = await addSubscriber(email, 'confirmed');
      const url = `/newsletter/unsubscribe?token=${await token('unsubscribe', id)}`;
      for (let i = 0; i < 2; i++) {
        const response = await oneClick(url, headers);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('');
        expect((await subscriberRows(email))[0]!.status).toBe('unsubscribed');
      }
    }
    expect((await oneClick('/newsletter/unsubscribe?token=1..forged')).status).toBe(400);
  });

  it('shows a page with an Unsubscribe button on GET, which unsubscribes nobody', async () => {
    const email = uniqueEmail();
    const id = await addSubscriber(email, 'confirmed');
    const path = `/newsletter/unsubscribe?token=${await token('unsubscribe', id)}`;
    const page = await fetchPage(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toBe('private, no-store');
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="${path}"><button type="submit">Unsubscribe</button></form>`);
    expect((await subscriberRows(email))[0]!.status).toBe('confirmed');

    const pressed = await postForm(path, {});
    expect(pressed.status).toBe(200);
    expect(visibleText(await pressed.text())).toContain('You are unsubscribed');
    expect((await subscriberRows(email))[0]!.status).toBe('unsubscribed');
    expect((await fetchPage('/newsletter/unsubscribe?token=bad')).status).toBe(400);
  });

  it('erases the address on request, keeping only its salted hash, so the row is reused and nobody is resubscribed', async () => {
    const email = uniqueEmail('erase');
    const id = await addSubscriber(email, 'confirmed');
    const response = await postForm('/newsletter/erase', { token: await token('unsubscribe', id) });
    expect(response.status).toBe(200);
    expect(visibleText(await response.text())).toContain('Your address is deleted');
    const [row] = await subscriberRows(email);
    expect(row).toMatchObject({ id, email: null, status: 'unsubscribed' });
    expect(row!.erased_at).toBeGreaterThan(0);
    expect(row!.email_hash).not.toContain(email.split('@')[0]);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM subscribers WHERE email = ?').bind(email).first('n')).toBe(
      0,
    );

    // A later signup by the reader is a new double opt-in on the same row.
    expect(await signUpAt(email, new Date())).toBe(1);
    expect((await subscriberRows(email)).map(({ id, email, status }) => ({ id, email, status }))).toEqual([
      { id, email, status: 'unconfirmed' },
    ]);
  });

  it('lets an editor erase an address by bearer token', async () => {
    const email = uniqueEmail('asked-by-mail');
    await addSubscriber(email, 'confirmed');
    const erase = (authorization?: string) =>
      fetchPage('/api/newsletter/subscribers/erase', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
        body: JSON.stringify({ email }),
      });
    expect((await erase()).status).toBe(401);
    expect((await erase('Bearer wrong')).status).toBe(401);
    expect((await erase(`Bearer ${env.MODERATOR_TOKEN}`)).status).toBe(200);
    expect((await subscriberRows(email))[0]!.email).toBeNull();
  });
});

describe('cross-site forms', () => {
  it('refuses cross-site posts to every newsletter form but the one-click unsubscribe', async () => {
    const id = await addSubscriber(uniqueEmail(), 'unconfirmed');
    const evil = { Origin: 'https://evil.example' };
    expect((await postForm('/newsletter', { email: uniqueEmail() }, evil)).status).toBe(403);
    expect((await postForm('/newsletter/confirm', { token: await token('confirm', id) }, evil)).status).toBe(403);
    expect((await postForm('/newsletter/erase', { token: await token('unsubscribe', id) }, evil)).status).toBe(403);
    expect(
      (await postForm(`${SAMPLE_ARTICLE_PATH}/comments`, { name: 'X', email: 'x@example.com', comment: 'Hi' }, evil))
        .status,
    ).toBe(403);
    const row = await env.DB.prepare('SELECT status FROM subscribers WHERE id = ?')
      .bind(id)
      .first<{ status: string }>();
    expect(row!.status).toBe('unconfirmed');
  });
});

describe('the signup block', () => {
  it('is in the footer of every page and under the article, and no page shows a subscriber’s address', async () => {
    await clearPageCache();
    const emails = [uniqueEmail('private'), uniqueEmail('private')];
    for (const email of emails) await signUp(email);
    await addSubscriber(uniqueEmail('private'), 'confirmed');

    const article = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(article.match(/<form method="post" action="\/newsletter">/g)).toHaveLength(2);
    expect(visibleText(article)).toContain('Sign up for our weekly newsletter');
    expect(visibleText(article)).toContain('The edgepress Brief');

    const { results } = await env.DB.prepare('SELECT email FROM subscribers WHERE email IS NOT NULL').all<{
      email: string;
    }>();
    expect(results.length).toBeGreaterThanOrEqual(3);
    for (const path of [
      '/',
      SAMPLE_ARTICLE_PATH,
      '/section/security',
      '/newsletter',
      '/newsletter/check-your-inbox',
      '/no-such-page',
    ]) {
      const html = await (await fetchPage(path)).text();
      expect(html, path).toContain('action="/newsletter"');
      for (const { email } of results) expect(html, path).not.toContain(email);
      expect(html, path).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    }
  });
});

describe('subscription tokens', () => {
  const secret = 'unit-test-secret';
  it('confirm tokens hold for 7 days; unsubscribe tokens never expire; each only for its purpose and secret', async () => {
    const now = Date.UTC(2026, 10, 30);
    const confirm = await createSubscriptionToken(secret, 'confirm', 42, now);
    expect(
      await checkSubscriptionToken(secret, 'confirm', confirm, now + CONFIRMATION_TOKEN_LIFETIME_MS - 1000),
    ).toEqual({ status: 'valid', subscriberId: 42 });
    expect(
      await checkSubscriptionToken(secret, 'confirm', confirm, now + CONFIRMATION_TOKEN_LIFETIME_MS + 1000),
    ).toEqual({ status: 'expired' });
    expect(await checkSubscriptionToken(secret, 'unsubscribe', confirm, now)).toEqual({ status: 'invalid' });
    expect(await checkSubscriptionToken('another-secret', 'confirm', confirm, now)).toEqual({ status: 'invalid' });

    const unsubscribe = await createSubscriptionToken(secret, 'unsubscribe', 42, now);
    expect(unsubscribe).toMatch(/^42\.\.[\w-]{43}$/);
    expect(await checkSubscriptionToken(secret, 'unsubscribe', unsubscribe, now + 10 * 365 * 86_400_000)).toEqual({
      status: 'valid',
      subscriberId: 42,
    });
    expect(await checkSubscriptionToken(secret, 'confirm', unsubscribe, now)).toEqual({ status: 'invalid' });
  });
});

describe('newsletter rules', () => {
  it('blocks a listed domain and its subdomains, in any case, and nothing else', () => {
    const blocked = ['mailinator.com', 'YopMail.com'];
    expect(isBlockedDomain('a@mailinator.com', blocked)).toBe(true);
    expect(isBlockedDomain('a@eu.mailinator.com', blocked)).toBe(true);
    expect(isBlockedDomain('a@yopmail.com', blocked)).toBe(true);
    expect(isBlockedDomain('a@notmailinator.com', blocked)).toBe(false);
    expect(isBlockedDomain('mailinator.com@example.com', blocked)).toBe(false);
  });

  it('names the ISO week in the site’s time zone', () => {
    expect(isoWeek(new Date('2026-11-29T16:00:00Z'), 'Asia/Tokyo')).toBe('2026-W49');
    expect(isoWeek(new Date('2026-11-29T16:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'), 'UTC')).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });
});
