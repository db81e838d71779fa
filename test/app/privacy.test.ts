import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearPageCache, fetchPage, returningReader, SAMPLE_ARTICLE_PATH, submitCommentForm } from '../support/helpers';

const ADDRESSES = ['203.0.113.77', '2001:db8:77::1'];

/** Every public address: found from the sitemap and the feeds, plus pages they do not list. */
async function publicUrls(): Promise<string[]> {
  const locs = async (path: string) =>
    [...(await (await fetchPage(path)).text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map(
      (match) => new URL(match[1]!).pathname,
    );
  const files = await locs('/sitemap.xml');
  const listed = [...files, ...(await Promise.all(files.map(locs))).flat()];
  expect(listed.length).toBeGreaterThan(10);
  const { results: articles } = await env.DB.prepare("SELECT slug FROM articles WHERE status = 'published'").all<{
    slug: string;
  }>();
  const { results: sections } = await env.DB.prepare('SELECT slug FROM sections').all<{ slug: string }>();
  return [
    ...listed,
    '/?page=2',
    '/robots.txt',
    '/sitemap.xml',
    '/llms.txt',
    '/feed.xml',
    '/atom.xml',
    '/feed.json',
    ...sections.flatMap(({ slug }) => ['feed.xml', 'atom.xml', 'feed.json'].map((file) => `/section/${slug}/${file}`)),
    ...listed.filter((path) => /^\/(tag|author)\//.test(path)).map((path) => `${path}/feed.json`),
    ...listed.filter((path) => /^\/\d{4}\/\d{2}\//.test(path)).map((path) => `${path}.md`),
    ...articles.map(({ slug }) => `/api/articles/${slug}/comments`),
    '/comments/atom.xml',
    ...listed.filter((path) => /^\/\d{4}\/\d{2}\//.test(path)).map((path) => `${path}/comments/atom.xml`),
    '/privacy',
    '/privacy/requested',
    '/search?q=Russia',
    '/search?q=Privacy+Walker',
    '/newsletter',
    '/newsletter/check-your-inbox',
    '/account/sign-in',
    '/account/check-your-inbox',
    '/newsletter/issues/atom.xml',
    `${SAMPLE_ARTICLE_PATH}?replyto=1`,
    '/no/such/page',
  ];
}

beforeAll(async () => {
  for (const [index, address] of ADDRESSES.entries()) {
    const email = await returningReader();
    await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Privacy Walker', email, comment: `Visible comment ${index}` },
      { address },
    );
    await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Held Walker', email: `held-${index}@example.com`, comment: `Held comment ${index}` },
      { address: `198.51.100.${index + 1}` },
    );
  }
  for (const [index, email] of ['subscriber.one@example.com', 'Subscriber.Two@Example.org'].entries()) {
    await fetchPage('/newsletter', {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://localhost:8787',
        'CF-Connecting-IP': `192.0.2.${index + 10}`,
      },
      body: new URLSearchParams({ email }),
    });
  }
  await clearPageCache();
});

describe('privacy', () => {
  it('no public page, feed or API response shows a stored email or a client address', async () => {
    const { results: commentEmails } = await env.DB.prepare('SELECT DISTINCT author_email AS email FROM comments').all<{
      email: string;
    }>();
    const { results: subscriberEmails } = await env.DB.prepare(
      'SELECT email FROM subscribers WHERE email IS NOT NULL',
    ).all<{ email: string }>();
    const emails = [...commentEmails, ...subscriberEmails].map((row) => row.email.toLowerCase());
    expect(emails).toEqual(expect.arrayContaining(['subscriber.one@example.com', 'held-0@example.com']));
    const { visible } = (await env.DB.prepare(
      "SELECT count(*) AS visible FROM comments WHERE author_name = 'Privacy Walker' AND status = 'approved'",
    ).first<{ visible: number }>())!;
    expect(visible).toBe(2);

    const urls = await publicUrls();
    for (const url of urls) {
      const response = await fetchPage(url);
      expect(response.status, url).toBeLessThan(500);
      const body = (await response.text()).toLowerCase();
      for (const email of emails) expect(body, `${email} in ${url}`).not.toContain(email);
      for (const address of [...ADDRESSES, '198.51.100.1', '192.0.2.10'])
        expect(body, `${address} in ${url}`).not.toContain(address);
    }
    const article = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(article).toContain('Visible comment 0');
    expect(article).not.toContain('Held comment 0');
  });
});
