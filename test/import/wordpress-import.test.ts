/**
 * `npm run import -- wordpress`'s plan and SQL, applied to the real local D1 (as wrangler would run
 * them) and read back as readers get the site. The exports are the WordPress importer's own test data
 * (test/fixtures/wordpress/SOURCE.md).
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { planWordpressImport, wordpressSource } from '../../src/cli/wordpress-import';
import { readWxr } from '../../src/cli/wxr';
import { hmacSign } from '../../src/lib/hmac';
import { ipGroup } from '../../src/lib/ip-group';
import { articlePath } from '../../src/paths';
import crazyCdata from '../fixtures/wordpress/crazy-cdata-escaped.xml?raw';
import hostile from '../fixtures/wordpress/hostile.xml?raw';
import themeUnitTest from '../fixtures/wordpress/theme-unit-test-data.xml?raw';
import wxr10 from '../fixtures/wordpress/valid-wxr-1.0.xml?raw';
import utf8Challenges from '../fixtures/wordpress/wxr-utf-8-challenges.xml?raw';
import { clearPageCache, fetchPage, visibleText } from '../support/helpers';
import { applyImport } from '../support/import';

function importExport(text: string, now = new Date()) {
  const wxr = readWxr(text);
  return applyImport(wordpressSource(wxr), () => planWordpressImport(wxr), { now });
}

const article = (slug: string) =>
  env.DB.prepare(
    'SELECT id, slug, headline, standfirst, body_markdown, status, published_at FROM articles WHERE slug = ?',
  )
    .bind(slug)
    .first<{
      id: number;
      slug: string;
      headline: string;
      standfirst: string;
      body_markdown: string;
      status: string;
      published_at: number | null;
    }>();
const pathOf = async (slug: string) => {
  const row = (await article(slug))!;
  return articlePath(
    { slug: row.slug, publishedAt: row.published_at === null ? null : new Date(row.published_at) },
    'Asia/Tokyo',
  );
};
const counts = async () =>
  env.DB.prepare(
    'SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM static_pages) AS pages, (SELECT count(*) FROM tags) AS tags, (SELECT count(*) FROM sections) AS sections, (SELECT count(*) FROM authors) AS authors',
  ).first();

describe('a WordPress export (the Theme Unit Test data, WXR 1.2)', { timeout: 60_000 }, () => {
  let first: Awaited<ReturnType<typeof importExport>>['report'];
  beforeAll(async () => {
    first = (await importExport(themeUnitTest)).report;
    await clearPageCache();
  });

  it('brings posts as articles, pages as static pages, with what was left out and why', () => {
    expect(first.created.articles).toBe(58);
    expect(first.created['static pages']).toBe(21);
    expect(first.created.authors).toBe(3);
    const reasons = first.skipped.map((skipped) => skipped.reason);
    // Attachments are fetched by the command into the media library (test/cli/wordpress-media.test.ts).
    expect(planWordpressImport(readWxr(themeUnitTest)).attachments).toHaveLength(37);
    // Of its menus, the one with the most links to pages makes the navigation; the other 52 items are left out.
    expect(reasons.filter((reason) => reason.includes('menu item of another menu'))).toHaveLength(52);
    expect(reasons.filter((reason) => /pingback|trackback/.test(reason))).toHaveLength(4);
    expect(first.removed['[gallery] shortcode']).toBeGreaterThan(0);
    // 68 categories, but only five trees hold posts: the header's navigation stays short.
    expect(first.created.sections + first.unchanged.sections).toBe(5);
  });

  it('keeps a published post’s time and author, readable at its address with its excerpt as standfirst', async () => {
    const row = (await article('template-excerpt-defined'))!;
    expect(row.status).toBe('published');
    expect(new Date(row.published_at!).toISOString()).toBe('2012-03-15T21:38:08.000Z');
    expect(row.standfirst).toContain('This is a user-defined post excerpt.');
    const html = await (await fetchPage(await pathOf('template-excerpt-defined'))).text();
    expect(visibleText(html)).toContain('Template: Excerpt (Defined)');
    expect(visibleText(html)).toContain('By Theme Buster');
  });

  it('keeps comment threads, replies under their parents, the held one in the moderation queue', async () => {
    const path = await pathOf('template-comments');
    const { results } = await env.DB.prepare(
      "SELECT depth, status FROM comments WHERE article_id = (SELECT id FROM articles WHERE slug = 'template-comments') ORDER BY depth",
    ).all<{ depth: number; status: string }>();
    expect(results).toHaveLength(20);
    expect(Math.max(...results.map((row) => row.depth))).toBe(9);
    expect(results.filter((row) => row.status === 'pending')).toHaveLength(1);
    const html = await (await fetchPage(path)).text();
    expect(html).toContain('comment-body');
    expect(html).not.toContain('example@example.org');
  });

  it('turns WordPress markup into Markdown our editor edits: headings, lists, tables, captions', async () => {
    const body = (await article('markup-html-tags-and-formatting'))!.body_markdown;
    expect(body).toContain('## Header two');
    expect(body).toContain('| Employee | Salary |');
    expect(body).toContain('- List item one');
    expect(body).not.toMatch(/<!-- wp:|<p>|<\/?div/);
    const caption = (await article('post-format-image-caption'))!.body_markdown;
    expect(caption).toMatch(/!\[Bell on Wharf\]\(https:\/\/.*100_5478\.jpg.*\)\n\n\*Bell on wharf in San Francisco\*/);
  });

  it('makes future posts scheduled and drafts private', async () => {
    const scheduled = (await article('scheduled'))!;
    expect(scheduled.status).toBe('published');
    expect(new Date(scheduled.published_at!).getUTCFullYear()).toBe(2030);
    expect((await fetchPage(await pathOf('scheduled'))).status).toBe(404);
    const { results: drafts } = await env.DB.prepare("SELECT slug FROM articles WHERE headline = 'Draft'").all<{
      slug: string;
    }>();
    expect(drafts).toHaveLength(1);
    expect((await article(drafts[0]!.slug))!.status).toBe('draft');
  });

  it('makes the featured image the hero, its caption the credit', async () => {
    const row = await env.DB.prepare(
      "SELECT hero_image_url, hero_image_alt, hero_image_credit FROM articles WHERE slug = 'theme-block-category'",
    ).first();
    expect(row).toEqual({
      hero_image_url: 'https://wpthemetestdata.files.wordpress.com/2008/06/dsc20050102_192118_51.jpg',
      hero_image_alt: 'Wind Farm',
      hero_image_credit: 'Albany wind-farm against the sunset, Western Australia',
    });
  });

  it('takes the navigation from the export’s menu: its pages in the header, in the menu’s order', async () => {
    await clearPageCache();
    const header = /<header[\s\S]*?<\/header>/.exec(await (await fetchPage('/')).text())![0];
    const links = [...header.matchAll(/href="\/(about|lorem-ipsum|page-with-comments)"/g)].map((match) => match[1]);
    expect(links).toEqual(['about', 'page-with-comments', 'lorem-ipsum']);
  });

  it('serves a page at its own address', async () => {
    const response = await fetchPage('/about');
    expect(response.status).toBe(200);
    expect(/<h1>([^<]*)<\/h1>/.exec(await response.text())?.[1]).toBe('About The Tests');
  });

  it('answers the old addresses with a 301 to the new ones', async () => {
    const redirected = async (path: string) => {
      const response = await fetchPage(path, { redirect: 'manual' });
      return [response.status, response.headers.get('Location')];
    };
    const article = await pathOf('template-excerpt-defined');
    const { id } = readWxr(themeUnitTest).items.find((item) => item.name === 'template-excerpt-defined')!;
    expect(await redirected('/2012/03/15/template-excerpt-defined/')).toEqual([301, article]);
    expect(await redirected(`/?p=${id}`)).toEqual([301, article]);
    const about = readWxr(themeUnitTest).items.find((item) => item.name === 'about')!;
    expect(await redirected(`/?page_id=${about.id}`)).toEqual([301, '/about']);
    expect(await redirected('/about/')).toEqual([301, '/about']);
    expect(await redirected('/category/parent-category/child-category-01/')).toEqual([301, '/tag/child-category-01']);
    expect(await redirected('/category/block/')).toEqual([301, '/section/block']);
    expect(await redirected('/tag/content/')).toEqual([301, '/tag/content']);
    expect(await redirected('/feed/')).toEqual([301, '/feed.xml']);
    expect(await redirected('/category/block/feed/')).toEqual([301, '/section/block/feed.xml']);
    expect((await fetchPage('/about')).status).toBe(200);
    // The slash-less form of another site's address stays on this one.
    const doubled = await exports.default.fetch(
      new Request('http://localhost:8787//evil.example/', { redirect: 'manual' }),
    );
    expect([doubled.status, doubled.headers.get('Location')]).toEqual([301, '/evil.example']);
    // Date archives have no page here: the home page, the newest articles.
    expect(await redirected('/2012/03/')).toEqual([301, '/']);
    expect(await redirected('/2012/03/15/')).toEqual([301, '/']);
    expect(await redirected('/2012')).toEqual([301, '/']);
    expect(first.unmapped.filter((path) => /^\/\d{4}(\/\d{2})*$/.test(path))).toEqual([]);
    expect(first.created['old addresses']).toBeGreaterThan(100);
  });

  it('changes nothing when run again: every row unchanged, no statement but none', async () => {
    const before = await counts();
    const { report, statements } = await importExport(themeUnitTest);
    expect(statements).toEqual([]);
    expect(Object.values(report.created).every((n) => n === 0)).toBe(true);
    expect(report.unchanged.articles).toBe(58);
    expect(report.unchanged.comments).toBe(first.created.comments);
    expect(await counts()).toEqual(before);
  });

  it('updates an article whose text changed in the export, and leaves one deleted here deleted', async () => {
    const changed = themeUnitTest.replace('This is a user-defined post excerpt.', 'An excerpt edited in WordPress.');
    await env.DB.batch([
      env.DB.prepare(
        "DELETE FROM comments WHERE article_id = (SELECT id FROM articles WHERE slug = 'edge-case-no-content')",
      ),
      env.DB.prepare(
        "DELETE FROM article_tags WHERE article_id = (SELECT id FROM articles WHERE slug = 'edge-case-no-content')",
      ),
      env.DB.prepare("DELETE FROM articles WHERE slug = 'edge-case-no-content'"),
    ]);
    const { report } = await importExport(changed);
    expect(report.updated.articles).toBe(1);
    expect((await article('template-excerpt-defined'))!.standfirst).toMatch(
      /^An excerpt edited in WordPress\. It should/,
    );
    expect(await article('edge-case-no-content')).toBeNull();
    expect(report.skipped.some((skipped) => skipped.reason.includes('deleted here since it was imported'))).toBe(true);
  });
});

describe('WordPress exports as they really are', { timeout: 30_000 }, () => {
  it('reads WXR 1.0 (authors only as dc:creator); a category tree becomes its top as the section, the rest as tags', async () => {
    const { report } = await importExport(wxr10);
    expect(report.created.articles).toBeGreaterThanOrEqual(2);
    const row = await env.DB.prepare(
      "SELECT s.slug AS section, au.slug AS author, (SELECT group_concat(t.slug) FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id) AS tags FROM articles a JOIN sections s ON s.id = a.section_id JOIN authors au ON au.id = a.author_id WHERE a.headline = 'Child post'",
    ).first();
    expect(row).toEqual({ section: 'parent', author: 'admin', tags: 'child' });
  });

  it('keeps UTF-8 beyond the Basic Multilingual Plane as written', async () => {
    await importExport(utf8Challenges);
    const { title } = readWxr(utf8Challenges).items[0]!;
    const headline = title.replace(/\s+/g, ' ').trim();
    const row = (await env.DB.prepare('SELECT slug, headline, body_markdown FROM articles WHERE headline = ?')
      .bind(headline)
      .first<{ slug: string; headline: string; body_markdown: string }>())!;
    // post_name is percent-encoded UTF-8 with bidi controls and an emoji: the slug keeps its letters.
    expect(row.slug).toMatch(/^hello-w-?orld-utf8-test$/);
    expect(row.headline).toContain('🌲');
    expect(row.body_markdown).toContain('🚀🌟💫');
  });

  it('joins CDATA split in two (how WordPress writes “]]>”)', async () => {
    const { report } = await importExport(crazyCdata);
    expect(report.created.articles + report.updated.articles).toBe(1);
    const { results } = await env.DB.prepare(
      "SELECT body_markdown FROM articles WHERE body_markdown LIKE '%nested%'",
    ).all<{
      body_markdown: string;
    }>();
    expect(results.map((row) => row.body_markdown)).toContain('Content with nested \\<!\\[CDATA\\[ tags \\]\\]\\> :)');
  });
});

describe('unsafe markup and commenters’ privacy', { timeout: 30_000 }, () => {
  it('drops scripts, iframes, event handlers and javascript: links, and counts them', async () => {
    const { report } = await importExport(hostile);
    expect(report.removed).toMatchObject({
      '<script>': 1,
      '<iframe>': 1,
      'onclick= (event handler)': 1,
      'javascript: link': 3,
    });
    const row = (await article('hostile-post'))!;
    expect(row.body_markdown).not.toMatch(/javascript|script|iframe|onclick/i);
    const html = await (await fetchPage(await pathOf('hostile-post'))).text();
    expect(html).toContain('<a href="https://example.org/">link</a>');
    expect(html).not.toMatch(/javascript:|<iframe|onclick|<script>document/i);
  });

  it('publishes approved comments, holds pending ones, keeps spam unpublished, leaves trash and pingbacks out', async () => {
    const { results } = await env.DB.prepare(
      "SELECT author_name, author_email, status, depth, ip_hash FROM comments WHERE article_id = (SELECT id FROM articles WHERE slug = 'hostile-post') ORDER BY id",
    ).all<{ author_name: string; author_email: string; status: string; depth: number; ip_hash: string | null }>();
    expect(results.map(({ author_name, status, depth }) => [author_name, status, depth])).toEqual([
      ['Reader One', 'approved', 0],
      ['Reader Two', 'pending', 1],
      ['Spammer', 'spam', 0],
    ]);
    expect(results[0]!.author_email).toBe('reader@example.org');
    // The comments are from 2011: older than the 90 days the site keeps a network's hash.
    expect(results.map((row) => row.ip_hash)).toEqual([null, null, null]);
    const html = await (await fetchPage(await pathOf('hostile-post'))).text();
    expect(visibleText(html)).toContain('First comment, approved.');
    expect(html).not.toMatch(/reader@example\.org|Buy things|held for moderation|203\.0\.113/i);
  });

  it('hashes a recent commenter’s network exactly as the site does, never storing the address', async () => {
    // Another site's export (WordPress's comment ids are per site), the same post under another slug.
    const recent = hostile
      .replaceAll('https://hostile.example', 'https://recent.example')
      .replace(
        '<wp:post_name><![CDATA[hostile-post]]></wp:post_name>',
        '<wp:post_name><![CDATA[hostile-recent]]></wp:post_name>',
      );
    await importExport(recent, new Date('2011-03-06T00:00:00Z'));
    const row = await env.DB.prepare(
      "SELECT ip_hash FROM comments WHERE author_name = 'Reader One' AND article_id = (SELECT id FROM articles WHERE slug = 'hostile-recent')",
    ).first<{ ip_hash: string }>();
    expect(row!.ip_hash).toBe(await hmacSign(env.IP_HASH_SALT, ipGroup('203.0.113.9')));
    const stored = JSON.stringify((await env.DB.prepare('SELECT * FROM comments').all()).results);
    expect(stored).not.toContain('203.0.113.9');
  });
});
