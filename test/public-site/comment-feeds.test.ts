import { env } from 'cloudflare:workers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import { moderateComment } from '../../src/comments/moderation/moderation';
import { primaryDb } from '../../src/db/client';
import { afterPurge, clearPageCache, fetchPage, ORIGIN, SAMPLE_ARTICLE_PATH } from '../support/helpers';

const ARTICLE_FEED = `${SAMPLE_ARTICLE_PATH}/comments/atom.xml`;
const LATEST_FEED = '/comments/atom.xml';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, path) => ['feed.entry', 'feed.link', 'feed.entry.link'].includes(String(path)),
});

interface AtomEntry {
  id: string;
  title: { '#text': string };
  link: { '@href': string }[];
  published: string;
  updated: string;
  author: { name: string };
  summary: { '#text': string };
  content: { '@type': string; '#text': string };
}

async function fetchFeed(
  path: string,
): Promise<{ xml: string; feed: { entry?: AtomEntry[]; [key: string]: unknown } }> {
  const response = await fetchPage(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('Content-Type')).toBe('application/atom+xml; charset=UTF-8');
  const xml = await response.text();
  expect(XMLValidator.validate(xml), path).toBe(true);
  return { xml, feed: parser.parse(xml).feed };
}

async function insertComment(slug: string, body: string, status: string): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status, created_at)
     SELECT id, 'Feed Reader', 'feed.reader@example.com', ?1, ?1, ?2, ?3 FROM articles WHERE slug = ?4 RETURNING id`,
  )
    .bind(body, status, Date.now(), slug)
    .first<{ id: number }>();
  return row!.id;
}

beforeEach(clearPageCache);

describe("an article's comment feed", () => {
  it('is linked from the article page and lists its approved comments, newest first, without emails', async () => {
    const page = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(page).toContain(
      `<link rel="alternate" type="application/atom+xml" title="Comments on “Russia Eyes Korean Peninsula” (Atom)" href="${ARTICLE_FEED}"/>`,
    );
    const { xml, feed } = await fetchFeed(ARTICLE_FEED);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect((feed.title as { '#text': string })['#text']).toBe('Comments on “Russia Eyes Korean Peninsula”');
    const entries = feed.entry!;
    expect(entries.map((entry) => entry.author.name)).toEqual([
      'Mladen Matosevic',
      'Philipp Ivanov',
      'R. Jordan Prescott',
    ]);
    const [first] = entries;
    expect(first!.id).toMatch(/^tag:localhost,2010-11-19:comments\/\d+$/);
    expect(first!.link[0]!['@href']).toMatch(new RegExp(`^${ORIGIN}${SAMPLE_ARTICLE_PATH}#comment-\\d+$`));
    expect(first!.published).toBe('2010-11-19T22:05:00.000Z');
    expect(first!.content['@type']).toBe('html');
    expect(first!.content['#text']).toMatch(/^<div class="comment-body"><p>/);
    expect(first!.title['#text']).toBe('Comment by Mladen Matosevic');
    const { results } = await env.DB.prepare('SELECT DISTINCT author_email FROM comments').all<{
      author_email: string;
    }>();
    for (const { author_email } of results) expect(xml).not.toContain(author_email);
    expect(xml).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it('leaves out held, spam and deleted comments and other articles’ comments, and updates through the cache', async () => {
    const held = await insertComment('russia-eyes-korean-peninsula', `Held for now ${Date.now()}`, 'pending');
    await insertComment('russia-eyes-korean-peninsula', 'Spam text here', 'spam');
    await insertComment('korus-fta-seoul-stalemate', 'On another article', 'approved');
    const before = await fetchFeed(ARTICLE_FEED);
    expect(before.feed.entry).toHaveLength(3);
    expect(before.xml).not.toContain('Held for now');
    expect(before.xml).not.toContain('Spam text here');
    expect(before.xml).not.toContain('On another article');
    expect((await fetchPage(ARTICLE_FEED)).headers.get('X-Cache')).toBe('HIT');

    await moderateComment(env, primaryDb(env), held, 'approve');
    const after = await afterPurge(async () => {
      const feed = await fetchFeed(ARTICLE_FEED);
      expect(feed.feed.entry).toHaveLength(4);
      return feed;
    });
    expect(after.feed.entry![0]!.content['#text']).toContain('Held for now');
    await afterPurge(async () => expect((await fetchFeed(LATEST_FEED)).xml).toContain('Held for now'));
    await moderateComment(env, primaryDb(env), held, 'delete');
    await afterPurge(async () => expect((await fetchFeed(ARTICLE_FEED)).feed.entry).toHaveLength(3));
  });

  it('escapes what commenters write', async () => {
    await insertComment(
      'obama-india-indian-ocean',
      'Tom & <b>Jerry</b> ]]> \u0001 https://example.org/?a=1&b=2',
      'approved',
    );
    const { feed } = await fetchFeed('/2010/11/obama-india-indian-ocean/comments/atom.xml');
    const content = feed.entry![0]!.content['#text'];
    expect(content).toContain('Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; ]]&gt;');
    expect(content).toContain('<a href="https://example.org/?a=1&amp;b=2" rel="nofollow ugc noopener">');
  });

  it('is a 404 for an unknown article, a draft, or the wrong month', async () => {
    for (const path of [
      '/2010/11/no-such-article/comments/atom.xml',
      '/2010/11/draft-mekong-dams-briefing/comments/atom.xml',
      '/2010/10/russia-eyes-korean-peninsula/comments/atom.xml',
    ]) {
      expect((await fetchPage(path)).status, path).toBe(404);
    }
  });
});

describe('the latest comments feed', () => {
  it('is linked from every page and lists approved comments from every article, each titled with its article', async () => {
    for (const path of ['/', SAMPLE_ARTICLE_PATH, '/section/security']) {
      expect(await (await fetchPage(path)).text()).toContain(
        `<link rel="alternate" type="application/atom+xml" title="edgepress: latest comments (Atom)" href="${LATEST_FEED}"/>`,
      );
    }
    const { feed } = await fetchFeed(LATEST_FEED);
    const { n } = (await env.DB.prepare(
      `SELECT count(*) AS n FROM comments c JOIN articles a ON a.id = c.article_id
       WHERE c.status = 'approved' AND a.status = 'published'`,
    ).first<{ n: number }>())!;
    expect(feed.entry).toHaveLength(Math.min(n, 30));
    const titles = feed.entry!.map((entry) => entry.title['#text']);
    expect(titles).toContain('Mladen Matosevic on “Russia Eyes Korean Peninsula”');
    const times = feed.entry!.map((entry) => Date.parse(entry.published));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
