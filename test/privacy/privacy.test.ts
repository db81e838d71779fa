import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import { createDataLinkToken, DATA_LINK_LIFETIME_MS } from '../../src/privacy/link-token';
import { afterPurge, clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';
import { addSubscriber, linkIn, postForm, watchMail } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

const SLUG = 'russia-eyes-korean-peninsula';
const DAY_MS = 24 * 60 * 60 * 1000;

afterEach(() => {
  vi.restoreAllMocks();
});
beforeEach(clearPageCache);

async function insertComment(fields: {
  email: string;
  name?: string;
  body: string;
  parentId?: number;
  createdAt?: number;
  ipHash?: string | null;
}): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status, ip_hash, created_at)
     SELECT id, ?1, ?1, ?2, ?3, ?4, ?5, ?5, 'approved', ?6, ?7 FROM articles WHERE slug = ?8 RETURNING id`,
  )
    .bind(
      fields.parentId ?? null,
      fields.parentId ? 1 : 0,
      fields.name ?? 'Privacy Reader',
      fields.email,
      fields.body,
      fields.ipHash === undefined ? 'a-network-hash' : fields.ipHash,
      fields.createdAt ?? Date.now(),
      SLUG,
    )
    .first<{ id: number }>();
  return row!.id;
}

const commentRow = (id: number) =>
  env.DB.prepare('SELECT * FROM comments WHERE id = ?').bind(id).first<{
    author_name: string;
    author_email: string;
    body: string;
    ip_hash: string | null;
    removal: string | null;
  }>();

describe('the privacy page', () => {
  it('says what is stored, why and for how long, with the retention setting, and offers the request form', async () => {
    const response = await fetchPage('/privacy');
    expect(response.status).toBe(200);
    const text = visibleText(await response.text());
    for (const phrase of [
      'The name you give with a comment.',
      'The email address you give with a comment.',
      'Your comment’s text',
      'A salted hash (HMAC-SHA-256) of the network your comment came from',
      '90 days, then a daily job deletes it.',
      'If you sign up for The edgepress Brief',
      'Get or erase your data',
      'Email me a link',
    ]) {
      expect(text).toContain(phrase);
    }
  });

  it('is linked from every comment form and every newsletter signup form', async () => {
    const article = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const form = article.slice(
      article.indexOf('<form method="post" action="/2010'),
      article.indexOf('</form>', article.indexOf('action="/2010')),
    );
    expect(form).toContain('href="/privacy"');
    for (const path of ['/', SAMPLE_ARTICLE_PATH, '/newsletter']) {
      const html = await (await fetchPage(path)).text();
      for (const block of html.split('<section class="newsletter-signup"').slice(1)) {
        expect(block.slice(0, block.indexOf('</section>')), path).toContain('href="/privacy"');
      }
    }
  });
});

describe('getting and erasing one’s data', () => {
  it('mails a link; the link shows what is held, downloads it all by POST and erases it by POST', async () => {
    const mail = watchMail();
    const email = uniqueEmail('privacy');
    const other = uniqueEmail('other');
    const replied = await insertComment({ email, name: 'Erin Erased', body: `Replied to ${email.length} times` });
    await insertComment({ email: other, name: 'Ollie Other', body: 'A reply that stays', parentId: replied });
    const lonely = await insertComment({ email: email.toUpperCase(), body: 'Nobody answered this one' });
    const subscriber = await addSubscriber(email, 'confirmed');

    const request = await postForm('/privacy', { email });
    expect(request.status).toBe(303);
    expect(request.headers.get('Location')).toBe('/privacy/requested');
    const [message] = await mail.waitFor(email);
    expect(message!.headers.subject).toBe('Your data at edgepress');
    const link = linkIn(message!, '/privacy/data');
    expect(link.href).not.toContain(encodeURIComponent(email));
    expect(link.href).not.toContain(email);

    // Opening the link (as a mail scanner would) shows the choices and changes nothing.
    const opened = await fetchPage(link.pathname + link.search);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('Cache-Control')).toBe('private, no-store');
    expect(visibleText(await opened.text())).toContain('2 comments and 1 newsletter subscription');
    expect((await commentRow(lonely))!.body).toBe('Nobody answered this one');
    const token = link.searchParams.get('token')!;

    const download = await postForm('/privacy/data/export', { token });
    expect(download.status).toBe(200);
    expect(download.headers.get('Content-Disposition')).toBe('attachment; filename="edgepress-your-data.json"');
    expect(download.headers.get('Cache-Control')).toBe('private, no-store');
    const data = (await download.json()) as {
      comments: { id: number; text: string; email: string; networkAddressHash: string; url: string }[];
      newsletterSubscriptions: { email: string; status: string }[];
    };
    expect(data.comments.map((comment) => comment.id).sort()).toEqual([replied, lonely].sort());
    expect(data.comments.map((comment) => comment.text)).toContain('Nobody answered this one');
    expect(data.comments.every((comment) => comment.networkAddressHash === 'a-network-hash')).toBe(true);
    expect(data.comments[0]!.url).toBe(`http://localhost:8787${SAMPLE_ARTICLE_PATH}`);
    expect(data.newsletterSubscriptions).toEqual([expect.objectContaining({ email, status: 'confirmed' })]);
    expect(JSON.stringify(data)).not.toContain(other);

    const before = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(before).toContain('Erin Erased');
    const erased = await postForm('/privacy/data/erase', { token });
    expect(erased.status).toBe(200);
    expect(visibleText(await erased.text())).toContain('2 comments and 1 subscription erased');

    expect(await commentRow(lonely)).toBeNull();
    expect(await commentRow(replied)).toMatchObject({
      author_name: '',
      author_email: '',
      body: '',
      ip_hash: null,
      removal: 'erased',
    });
    const subscriberRow = await env.DB.prepare('SELECT email, status FROM subscribers WHERE id = ?')
      .bind(subscriber)
      .first();
    expect(subscriberRow).toEqual({ email: null, status: 'unsubscribed' });

    const page = await afterPurge(async () => {
      const shown = visibleText(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text());
      expect(shown).toContain('[removed at the author’s request]');
      return shown;
    });
    expect(page).not.toContain('Erin Erased');
    expect(page).not.toContain('Nobody answered this one');
    expect(page).toContain('A reply that stays');
    const stillThere = await env.DB.prepare('SELECT count(*) AS n FROM comments WHERE lower(author_email) = lower(?)')
      .bind(email)
      .first<{ n: number }>();
    expect(stillThere!.n).toBe(0);
  });

  it('answers an address with nothing stored exactly as any other, and mails nothing', async () => {
    const mail = watchMail();
    const response = await postForm('/privacy', { email: uniqueEmail('nobody') });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/privacy/requested');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mail.sent()).toHaveLength(0);
  });

  it('refuses a bad address with the text kept, and too many requests for one address with a 429', async () => {
    const bad = await postForm('/privacy', { email: 'not-an-address' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('value="not-an-address"');
    expect(visibleText(html)).toContain('Please enter a valid email address');

    const email = uniqueEmail('often');
    for (let attempt = 0; attempt < 3; attempt++) expect((await postForm('/privacy', { email })).status).toBe(303);
    const limited = await postForm('/privacy', { email });
    expect(limited.status).toBe(429);
    expect(visibleText(await limited.text())).toContain('several times in the last hour');
  });

  it('does nothing for a forged, altered or expired link', async () => {
    const email = uniqueEmail('forged');
    const id = await insertComment({ email, body: 'Keep me, forger' });
    const valid = await createDataLinkToken(env, email, Date.now());
    const altered = `${valid.slice(0, -2)}${valid.endsWith('A') ? 'B' : 'A'}A`;
    const expired = await createDataLinkToken(env, email, Date.now() - DATA_LINK_LIFETIME_MS - 1000);
    expect((await postForm('/privacy/data/erase', { token: altered })).status).toBe(400);
    expect((await postForm('/privacy/data/erase', { token: 'garbage' })).status).toBe(400);
    expect((await postForm('/privacy/data/export', { token: expired })).status).toBe(410);
    expect((await fetchPage(`/privacy/data?token=${altered}`)).status).toBe(400);
    expect((await commentRow(id))!.body).toBe('Keep me, forger');
  });
});

describe('retention of network-address hashes', () => {
  async function runDailyCron(workerEnv: Env, at: number) {
    const controller = createScheduledController({ scheduledTime: at, cron: '30 3 * * *' });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, workerEnv, ctx);
    await waitOnExecutionContext(ctx);
  }

  it('empties hashes older than IP_HASH_RETENTION_DAYS (90 by default) in the daily Cron Trigger, and no others', async () => {
    const now = Date.now();
    const old = await insertComment({ email: uniqueEmail(), body: 'Old enough', createdAt: now - 91 * DAY_MS });
    const recent = await insertComment({ email: uniqueEmail(), body: 'Still recent', createdAt: now - 89 * DAY_MS });
    await runDailyCron(env, now);
    expect((await commentRow(old))!.ip_hash).toBeNull();
    expect((await commentRow(old))!.body).toBe('Old enough');
    expect((await commentRow(recent))!.ip_hash).toBe('a-network-hash');

    await runDailyCron({ ...env, IP_HASH_RETENTION_DAYS: '30' } as Env, now);
    expect((await commentRow(recent))!.ip_hash).toBeNull();
  });
});
