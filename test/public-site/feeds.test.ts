import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/app';
import { siteConfig } from '../../src/config';
import { withAbsoluteLinks } from '../../src/lib/absolute-links';
import { jsonForScript } from '../../src/lib/json-ld';
import { escapeXml } from '../../src/lib/xml';
import { purgeArticlePages } from '../../src/page-cache/purge';
import { absoluteUrl, feedPath, pagePath, tagPath } from '../../src/paths';
import {
  MATCH_END,
  MATCH_START,
  matchExpression,
  searchTerms,
  snippetSegments,
  withoutMarkdown,
} from '../../src/public-site/search-terms';
import { clearPageCache, fetchPage, ORIGIN, SAMPLE_ARTICLE_PATH } from '../support/helpers';
import { ProductionSite } from '../support/production';

const DRAFT_SLUG = 'draft-mekong-dams-briefing';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, path) => ['rss.channel.item', 'feed.entry', 'feed.link', 'feed.entry.link'].includes(String(path)),
});

/** Fetches an XML document, checks it is well-formed, and parses it. */
async function fetchXml(path: string, contentType: RegExp) {
  const response = await fetchPage(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('Content-Type'), path).toMatch(contentType);
  const xml = await response.text();
  expect(XMLValidator.validate(xml), path).toBe(true);
  return parser.parse(xml);
}

const fetchRss = async (path: string) => (await fetchXml(path, /^application\/rss\+xml; charset=UTF-8$/)).rss.channel;
const fetchAtom = async (path: string) => (await fetchXml(path, /^application\/atom\+xml; charset=UTF-8$/)).feed;

const publishedSlugs = async (section?: string) =>
  (
    await env.DB.prepare(
      `SELECT a.slug FROM articles a JOIN sections s ON s.id = a.section_id
       WHERE a.status = 'published' AND (?1 IS NULL OR s.slug = ?1) ORDER BY a.published_at DESC`,
    )
      .bind(section ?? null)
      .all<{ slug: string }>()
  ).results.map((row) => row.slug);

const slugOf = (url: string) => new URL(url).pathname.split('/').pop();

/** JSON Feed 1.1 (jsonfeed.org/version/1.1), field by field: no other field (extensions start with `_`: none here). */
const httpUrl = z.url({ protocol: /^https?$/ });
const rfc3339 = z.iso.datetime({ offset: true });
const jsonFeedAuthor = z
  .strictObject({ name: z.string().min(1).optional(), url: httpUrl.optional(), avatar: httpUrl.optional() })
  .refine((author) => Object.keys(author).length > 0, 'an author has a name, a url or an avatar');
const jsonFeedItem = z
  .strictObject({
    id: z.string().min(1),
    url: httpUrl.optional(),
    external_url: httpUrl.optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    image: httpUrl.optional(),
    banner_image: httpUrl.optional(),
    date_published: rfc3339.optional(),
    date_modified: rfc3339.optional(),
    authors: z.array(jsonFeedAuthor).min(1).optional(),
    tags: z.array(z.string()).optional(),
    language: z.string().optional(),
  })
  .refine((item) => item.content_html !== undefined || item.content_text !== undefined, 'an item has content');
const jsonFeed11 = z.strictObject({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string().min(1),
  home_page_url: httpUrl.optional(),
  feed_url: httpUrl.optional(),
  description: z.string().optional(),
  user_comment: z.string().optional(),
  next_url: httpUrl.optional(),
  icon: httpUrl.optional(),
  favicon: httpUrl.optional(),
  authors: z.array(jsonFeedAuthor).min(1).optional(),
  language: z.string().optional(),
  expired: z.boolean().optional(),
  items: z.array(jsonFeedItem),
});

/** Fetches a JSON Feed and checks it against the JSON Feed 1.1 rules. */
async function fetchJsonFeed(path: string) {
  const response = await fetchPage(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('Content-Type'), path).toBe('application/feed+json; charset=UTF-8');
  const feed = jsonFeed11.parse(await response.json());
  expect(new Set(feed.items.map((item) => item.id)).size, path).toBe(feed.items.length);
  return feed;
}

beforeEach(clearPageCache);

describe('the RSS 2.0 feed', () => {
  it('lists every published article, newest first, and never the draft', async () => {
    const channel = await fetchRss('/feed.xml');
    expect(channel.title).toBe('edgepress');
    expect(channel.link).toBe(`${ORIGIN}/`);
    expect(channel['atom:link']['@href']).toBe(`${ORIGIN}/feed.xml`);
    const links = channel.item.map((item: { link: string }) => item.link);
    expect(links.map(slugOf)).toEqual(await publishedSlugs());
    expect(links.map(slugOf)).not.toContain(DRAFT_SLUG);
  });

  it('gives each item its title, link, guid, date, author, summary and full HTML body', async () => {
    const channel = await fetchRss('/feed.xml');
    const item = channel.item.find((one: { link: string }) => one.link === `${ORIGIN}${SAMPLE_ARTICLE_PATH}`);
    expect(item.title).toBe('Russia Eyes Korean Peninsula');
    expect(item.guid['#text']).toMatch(/^tag:localhost,\d{4}-\d{2}-\d{2}:articles\/\d+$/);
    expect(item.guid['@isPermaLink']).toBe('false');
    expect(new Date(item.pubDate).toISOString()).toBe('2010-11-16T09:00:00.000Z');
    expect(item['dc:creator']).toBe('Richard Weitz');
    expect(item.category).toBe('Security');
    expect(item.description).toMatch(/^Moscow has long been a bystander/);
    expect(item['content:encoded']).toMatch(/<p>.*proliferation/s);
  });
});

describe('the Atom feed', () => {
  it('lists every published article with id, dates, author, summary and HTML content', async () => {
    const feed = await fetchAtom('/atom.xml');
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.link.map((link: { '@rel': string; '@href': string }) => [link['@rel'], link['@href']])).toEqual([
      ['alternate', `${ORIGIN}/`],
      ['self', `${ORIGIN}/atom.xml`],
    ]);
    expect(Date.parse(feed.updated)).not.toBeNaN();
    const hrefs = feed.entry.map((entry: { link: { '@href': string }[] }) => entry.link[0]!['@href']);
    expect(hrefs.map(slugOf)).toEqual(await publishedSlugs());

    const entry = feed.entry.find(
      (one: { link: { '@href': string }[] }) => one.link[0]!['@href'] === `${ORIGIN}${SAMPLE_ARTICLE_PATH}`,
    );
    expect(entry.title['#text']).toBe('Russia Eyes Korean Peninsula');
    expect(entry.id).toMatch(/^tag:localhost,/);
    expect(entry.published).toBe('2010-11-16T09:00:00.000Z');
    expect(Date.parse(entry.updated)).toBeGreaterThanOrEqual(Date.parse(entry.published));
    expect(entry.author).toEqual({ name: 'Richard Weitz', uri: `${ORIGIN}/author/richard-weitz` });
    expect(entry.summary['#text']).toMatch(/^Moscow has long been a bystander/);
    expect(entry.content['@type']).toBe('html');
    expect(entry.content['#text']).toMatch(/<p>.*proliferation/s);
  });
});

describe('section feeds', () => {
  it('carry only that section’s published articles, in both formats', async () => {
    const rss = await fetchRss('/section/security/feed.xml');
    expect(rss.title).toBe('edgepress: Security');
    expect(rss.item.map((item: { link: string }) => slugOf(item.link))).toEqual(await publishedSlugs('security'));
    const atom = await fetchAtom('/section/security/atom.xml');
    expect(atom.entry).toHaveLength(rss.item.length);

    const environment = await fetchRss('/section/environment/feed.xml');
    const slugs = environment.item.map((item: { link: string }) => slugOf(item.link));
    expect(slugs).toEqual(await publishedSlugs('environment'));
    expect(slugs).not.toContain(DRAFT_SLUG);
  });

  it('is a 404 for an unknown section', async () => {
    expect((await fetchPage('/section/no-such-section/feed.xml')).status).toBe(404);
    expect((await fetchPage('/section/no-such-section/atom.xml')).status).toBe(404);
  });
});

describe('the JSON Feed', () => {
  it('is JSON Feed 1.1 with the same articles as the RSS feed, site-wide and per section, tag and author', async () => {
    for (const listingPath of [undefined, '/section/security', '/tag/russia', '/author/richard-weitz']) {
      const feed = await fetchJsonFeed(feedPath('json', listingPath));
      const rss = await fetchRss(feedPath('rss', listingPath));
      expect(feed.items.length, listingPath).toBeGreaterThan(0);
      expect(
        feed.items.map((item) => [item.id, item.url]),
        listingPath,
      ).toEqual(rss.item.map((item: { guid: { '#text': string }; link: string }) => [item.guid['#text'], item.link]));
      expect(feed.title).toBe(rss.title);
      expect(feed.home_page_url).toBe(rss.link);
      expect(feed.feed_url).toBe(`${ORIGIN}${feedPath('json', listingPath)}`);
    }
  });

  it('gives each item its title, link, dates, author, section, summary, hero image and HTML body with absolute links', async () => {
    const feed = await fetchJsonFeed('/feed.json');
    expect(feed).toMatchObject({ title: 'edgepress', home_page_url: `${ORIGIN}/`, language: 'en' });
    const item = feed.items.find((one) => one.url === `${ORIGIN}${SAMPLE_ARTICLE_PATH}`)!;
    expect(item).toMatchObject({
      id: expect.stringMatching(/^tag:localhost,\d{4}-\d{2}-\d{2}:articles\/\d+$/),
      title: 'Russia Eyes Korean Peninsula',
      summary: expect.stringMatching(/^Moscow has long been a bystander/),
      content_html: expect.stringMatching(/<p>.*proliferation/s),
      date_published: '2010-11-16T09:00:00.000Z',
      authors: [{ name: 'Richard Weitz', url: `${ORIGIN}/author/richard-weitz` }],
      tags: ['Security'],
      image: expect.stringMatching(new RegExp(`^${ORIGIN}/media/[0-9a-f]{64}/\\d+$`)),
    });
    expect(Date.parse(item.date_modified!)).toBeGreaterThanOrEqual(Date.parse(item.date_published!));
    for (const one of feed.items) expect(one.content_html).not.toMatch(/(href|src)="\//);
  });

  it('resolves the addresses of an article body against the article', async () => {
    const html = await withAbsoluteLinks(
      '<p><a href="/tag/x">x</a> <a href="#note">1</a> <a href="https://other.example/a?b=1&amp;c=2">o</a></p><img src="/media/a/640" srcset="/media/a/320 320w, /media/a/640 640w" alt="">',
      `${ORIGIN}/2010/11/a`,
    );
    expect(html).toBe(
      `<p><a href="${ORIGIN}/tag/x">x</a> <a href="${ORIGIN}/2010/11/a#note">1</a> <a href="https://other.example/a?b=1&amp;c=2">o</a></p><img src="${ORIGIN}/media/a/640" srcset="${ORIGIN}/media/a/320 320w, ${ORIGIN}/media/a/640 640w" alt="">`,
    );
    // However an attribute is spelled or quoted; a body with absolute addresses only is returned as it is.
    expect(await withAbsoluteLinks(`<a HREF = '/x'>x</a><img src=/y alt="">`, `${ORIGIN}/a`)).toBe(
      `<a HREF="${ORIGIN}/x">x</a><img src="${ORIGIN}/y" alt="">`,
    );
    const absolute = '<p><a href="https://other.example/">o</a> <a href="mailto:ed@x.org">m</a> href=</p>';
    expect(await withAbsoluteLinks(absolute, `${ORIGIN}/a`)).toBe(absolute);
  });
});

describe('tag and author feeds', () => {
  it('carry the articles their page lists, in every format, and are a 404 for an unknown tag or author', async () => {
    const tagged = await env.DB.prepare(
      `SELECT a.slug FROM articles a JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id
       WHERE t.slug = 'russia' AND a.status = 'published' ORDER BY a.published_at DESC`,
    ).all<{ slug: string }>();
    const rss = await fetchRss('/tag/russia/feed.xml');
    expect(rss.title).toBe('edgepress: Russia');
    expect(rss.item.map((item: { link: string }) => slugOf(item.link))).toEqual(tagged.results.map((row) => row.slug));
    const atom = await fetchAtom('/author/richard-weitz/atom.xml');
    for (const entry of atom.entry) expect(entry.author.name).toBe('Richard Weitz');
    for (const listing of ['/tag/no-such-tag', '/author/no-such-author']) {
      for (const format of ['rss', 'atom', 'json'] as const) {
        expect((await fetchPage(feedPath(format, listing))).status, listing).toBe(404);
      }
    }
  });
});

describe('feed escaping', () => {
  it('keeps markup, ampersands and characters XML cannot carry from breaking the feeds', async () => {
    const headline = 'Tom & Jerry <script>alert("x")</script> ]]> \u0001done';
    const id = (await env.DB.prepare("SELECT id FROM articles WHERE slug = 'korus-fta-seoul-stalemate'").first<{
      id: number;
    }>())!.id;
    const before = await env.DB.prepare('SELECT headline FROM articles WHERE id = ?')
      .bind(id)
      .first<{ headline: string }>();
    await env.DB.prepare('UPDATE articles SET headline = ? WHERE id = ?').bind(headline, id).run();
    try {
      const rss = await fetchRss('/feed.xml');
      const atom = await fetchAtom('/atom.xml');
      const expected = 'Tom & Jerry <script>alert("x")</script> ]]> done';
      // RSS readers take a title as HTML: it arrives escaped as HTML, which shows the text.
      expect(rss.item.map((item: { title: string }) => item.title)).toContain(escapeXml(expected));
      expect(atom.entry.map((entry: { title: { '#text': string } }) => entry.title['#text'])).toContain(expected);
    } finally {
      await env.DB.prepare('UPDATE articles SET headline = ? WHERE id = ?').bind(before!.headline, id).run();
    }
  });
});

describe('feeds in the page cache', () => {
  const feedPaths = [
    '/feed.xml',
    '/atom.xml',
    '/feed.json',
    '/section/security/feed.xml',
    '/section/security/atom.xml',
    '/section/security/feed.json',
    '/tag/russia/feed.json',
    '/author/richard-weitz/feed.json',
  ];

  it('are stored and served back with their own content type', async () => {
    for (const path of [...feedPaths, '/sitemap.xml', '/llms.txt']) {
      const miss = await fetchPage(path);
      expect(miss.headers.get('X-Cache'), path).toBe('MISS');
      const hit = await fetchPage(path);
      expect(hit.headers.get('X-Cache'), path).toBe('HIT');
      expect(hit.headers.get('Content-Type'), path).toBe(miss.headers.get('Content-Type'));
      expect(await hit.text(), path).toBe(await miss.text());
    }
  });

  it('are purged with an article: site-wide feeds, its section’s, author’s and tags’ feeds, the sitemap and llms.txt, not other sections’', async () => {
    const site = new ProductionSite();
    const paths = [...feedPaths, '/sitemap.xml', '/llms.txt', '/section/economy/feed.xml'];
    for (const path of paths) await site.fetch(path);
    for (const path of paths) expect((await site.fetch(path)).headers.get('X-Cache'), path).toBe('HIT');
    const id = (await env.DB.prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'").first<{
      id: number;
    }>())!.id;
    await purgeArticlePages(site.env(), id);
    await site.drainPurges();
    const after = await Promise.all(paths.map(async (path) => (await site.fetch(path)).headers.get('X-Cache')));
    expect(after).toEqual([...feedPaths.map(() => 'MISS'), 'MISS', 'MISS', 'HIT']);
  });
});

describe('feed discovery', () => {
  it('every page links the site-wide feeds; a section, tag or author page its own too', async () => {
    const home = await (await fetchPage('/')).text();
    expect(home).toContain(
      '<link rel="alternate" type="application/rss+xml" title="edgepress (RSS)" href="/feed.xml"/>',
    );
    expect(home).toContain(
      '<link rel="alternate" type="application/atom+xml" title="edgepress (Atom)" href="/atom.xml"/>',
    );
    expect(home).toContain(
      '<link rel="alternate" type="application/feed+json" title="edgepress (JSON Feed)" href="/feed.json"/>',
    );
    expect(home).not.toContain('/section/security/feed.xml');
    const section = await (await fetchPage('/section/security')).text();
    expect(section).toContain('href="/feed.xml"');
    expect(section).toContain(
      '<link rel="alternate" type="application/rss+xml" title="edgepress: Security (RSS)" href="/section/security/feed.xml"/>',
    );
    expect(section).toContain('href="/section/security/atom.xml"');
    expect(section).toContain(
      '<link rel="alternate" type="application/feed+json" title="edgepress: Security (JSON Feed)" href="/section/security/feed.json"/>',
    );
    const tag = await (await fetchPage('/tag/russia')).text();
    for (const file of ['feed.xml', 'atom.xml', 'feed.json']) expect(tag).toContain(`href="/tag/russia/${file}"`);
    const author = await (await fetchPage('/author/richard-weitz')).text();
    expect(author).toContain(
      '<link rel="alternate" type="application/feed+json" title="edgepress: Richard Weitz (JSON Feed)" href="/author/richard-weitz/feed.json"/>',
    );
  });
});

describe('search queries', () => {
  it('keeps only words, so no FTS5 syntax reaches the index', () => {
    expect(searchTerms('  nuclear "proliferation" AND col:ton* NEAR(a b) -x ^y ')).toEqual([
      'nuclear',
      'proliferation',
      'AND',
      'col',
      'ton',
      'NEAR',
      'a',
      'b',
      'x',
      'y',
    ]);
    expect(searchTerms('"*" () : - ^ \u0002')).toEqual([]);
    expect(searchTerms('Seúl 東京 2010')).toEqual(['Seúl', '東京', '2010']);
    expect(searchTerms(Array.from({ length: 30 }, (_, index) => `w${index}`).join(' '))).toHaveLength(12);
    expect(matchExpression(['nuclear', 'AND'])).toBe('"nuclear" "AND"');
  });

  it('splits a marked snippet into plain and matching text, dropping stray markers', () => {
    expect(snippetSegments(`a <b> ${MATCH_START}word${MATCH_END} & ${MATCH_START}x`)).toEqual([
      { text: 'a <b> ', match: false },
      { text: 'word', match: true },
      { text: ' & x', match: false },
    ]);
    expect(snippetSegments('')).toEqual([]);
  });

  it('drops Markdown link targets and emphasis from snippets', () => {
    expect(withoutMarkdown('## Head\nsee [the **report**](https://example.com/x) and `code`')).toBe(
      'Head\nsee the report and code',
    );
  });
});

describe('XML and JSON-LD escaping', () => {
  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>\u0001\uFFFE\uD800`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
    expect(escapeXml('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('writes JSON that cannot end a script element and parses back to the same value', () => {
    const value = { text: '</script><!-- & \u2028' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('discovery paths', () => {
  it('builds feed, paginated and absolute addresses', () => {
    expect(feedPath('rss')).toBe('/feed.xml');
    expect(feedPath('atom', '/section/security')).toBe('/section/security/atom.xml');
    expect(feedPath('json', tagPath('nuclear'))).toBe('/tag/nuclear/feed.json');
    expect(pagePath('/search?q=a+b', 2)).toBe('/search?q=a+b&page=2');
    expect(pagePath('/section/security', 3)).toBe('/section/security?page=3');
    expect(absoluteUrl('https://edgepress.example', '/2010/11/x')).toBe('https://edgepress.example/2010/11/x');
    expect(absoluteUrl('https://edgepress.example', 'https://cdn.example/a.jpg')).toBe('https://cdn.example/a.jpg');
  });
});

describe('llms.txt', () => {
  it('names the site, sums it up, and links the sections with their descriptions and the latest articles’ Markdown', async () => {
    const response = await fetchPage('/llms.txt');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain; ?charset=UTF-8$/);
    const text = await response.text();
    const [intro, sections, articles, ...rest] = text.split(/^## /m).map((part) => part.trimEnd().split('\n'));
    expect(rest).toEqual([]);
    expect(intro!.slice(0, 4)).toEqual([
      '# edgepress',
      '',
      '> Current affairs from the Asia-Pacific, at the speed of the edge',
      '',
    ]);
    expect(intro!.join('\n')).toContain(`[JSON Feed](${ORIGIN}/feed.json)`);

    const described = (
      await env.DB.prepare('SELECT slug, name, description FROM sections ORDER BY position, name').all<{
        slug: string;
        name: string;
        description: string;
      }>()
    ).results;
    expect(sections).toEqual([
      'Sections',
      '',
      ...described.map(
        (section) =>
          `- [${section.name}](${ORIGIN}/section/${section.slug})${section.description ? `: ${section.description}` : ''}`,
      ),
    ]);

    const [heading, blank, ...items] = articles!;
    expect([heading, blank]).toEqual(['Latest articles', '']);
    const links = items.map((item) => /^- \[[^\]]+\]\(([^)]+)\)(: .+)?$/.exec(item)![1]!);
    expect(links.map((link) => slugOf(link.replace(/\.md$/, '')))).toEqual(await publishedSlugs());
    expect(items).toContain(
      `- [Russia Eyes Korean Peninsula](${ORIGIN}${SAMPLE_ARTICLE_PATH}.md): Moscow has long been a bystander in East Asia. Medvedev's visit to Seoul ahead of the G-20 suggests it wants a bigger say on the Korean Peninsula, and the trade figures give it a reason.`,
    );
    for (const link of links) {
      const markdown = await fetchPage(new URL(link).pathname);
      expect([markdown.status, markdown.headers.get('Content-Type')], link).toEqual([
        200,
        'text/markdown; charset=utf-8',
      ]);
    }
  });
});

describe('robots.txt', () => {
  it('points crawlers at the sitemap by its absolute URL and keeps them out of admin, API and search', async () => {
    const response = await fetchPage('/robots.txt');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain(`Sitemap: ${ORIGIN}/sitemap.xml`);
    expect(text).toMatch(/^User-agent: \*$/m);
    expect(text).toMatch(/^Disallow: \/admin$/m);
    expect(text).toMatch(/^Disallow: \/search$/m);
    expect(text).toMatch(/^User-agent: \*\nContent-Signal: search=yes, ai-input=yes, ai-train=no\n/m);
  });

  it('says the content signals the settings give, and a setting other than yes or no stops the site, saying which', async () => {
    const signals = { CONTENT_SIGNAL_SEARCH: 'yes', CONTENT_SIGNAL_AI_INPUT: 'no', CONTENT_SIGNAL_AI_TRAIN: 'yes' };
    const response = await createApp().fetch(
      new Request(`${ORIGIN}/robots.txt`),
      { ...env, ...signals } as Env,
      createExecutionContext(),
    );
    expect(await response.text()).toMatch(/^Content-Signal: search=yes, ai-input=no, ai-train=yes$/m);
    for (const wrong of ['maybe', 'Yes', '']) {
      expect(() => siteConfig({ ...env, CONTENT_SIGNAL_AI_TRAIN: wrong } as Env), wrong).toThrow(
        /wrangler\.toml[\s\S]*must be yes or no[\s\S]*CONTENT_SIGNAL_AI_TRAIN/,
      );
    }
  });
});

describe('text in the RSS feeds', () => {
  it('arrives as the text it is: markup in a headline, standfirst or section description is escaped as HTML, then as XML', async () => {
    const markup = `<img src=x onerror=alert(1)> Tom & Jerry's "cut"`;
    const article = await env.DB.prepare(
      "SELECT headline, standfirst FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ headline: string; standfirst: string }>();
    const section = await env.DB.prepare("SELECT description FROM sections WHERE slug = 'security'").first<{
      description: string;
    }>();
    const setTexts = async (headline: string, standfirst: string, description: string) => {
      await env.DB.batch([
        env.DB.prepare(
          "UPDATE articles SET headline = ?, standfirst = ? WHERE slug = 'russia-eyes-korean-peninsula'",
        ).bind(headline, standfirst),
        env.DB.prepare("UPDATE sections SET description = ? WHERE slug = 'security'").bind(description),
      ]);
      await clearPageCache();
    };
    await setTexts(markup, markup, markup);
    try {
      // What an RSS reader gets once the XML is read: HTML that shows the text, with no element in it.
      const asHtml = escapeXml(markup);
      const channel = await fetchRss('/section/security/feed.xml');
      expect(channel.description).toBe(asHtml);
      const item = channel.item.find((each: { link: string }) => each.link.endsWith(SAMPLE_ARTICLE_PATH));
      expect(item).toMatchObject({ title: asHtml, description: asHtml });
      // Atom says type="text": escaped once, read as text.
      const entry = (await fetchAtom('/section/security/atom.xml')).entry.find(
        (each: { title: { '#text': string } }) => each.title['#text'] === markup,
      );
      expect(entry?.summary['#text']).toBe(markup);
      // JSON Feed's texts are plain text: the very characters, once.
      const feed = await fetchJsonFeed('/section/security/feed.json');
      expect(feed.description).toBe(markup);
      expect(feed.items.find((each) => each.url?.endsWith(SAMPLE_ARTICLE_PATH))).toMatchObject({
        title: markup,
        summary: markup,
      });
    } finally {
      await setTexts(article!.headline, article!.standfirst, section!.description);
    }
  });
});
