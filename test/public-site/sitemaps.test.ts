import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/app-env';
import { siteConfig } from '../../src/config';
import { primaryDb } from '../../src/db/client';
import { sitemapRoutes } from '../../src/public-site/sitemap-routes';
import { clearPageCache, fetchPage, ORIGIN } from '../support/helpers';
import { nextNumber } from '../support/unique';

type Entry = { loc: string; lastmod?: string };
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'url' || name === 'sitemap' });

/** Fetches a sitemap document (from the site, or from `fetcher`), checks it is well-formed XML of its type, and parses it. */
async function sitemapDocument(path: string, fetcher: (path: string) => Promise<Response> = fetchPage) {
  const response = await fetcher(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('Content-Type')).toBe('application/xml; charset=UTF-8');
  const xml = await response.text();
  expect(XMLValidator.validate(xml), path).toBe(true);
  return parser.parse(xml);
}

/** The index's files, and every address they list. */
async function allSitemaps(fetcher?: (path: string) => Promise<Response>) {
  const index = await sitemapDocument('/sitemap.xml', fetcher);
  expect(index.sitemapindex['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  const files: Entry[] = index.sitemapindex.sitemap;
  const urls = new Map<string, Entry[]>();
  for (const file of files) {
    const document = await sitemapDocument(new URL(file.loc).pathname, fetcher);
    expect(document.urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    urls.set(new URL(file.loc).pathname, document.urlset.url ?? []);
  }
  return { files, urls };
}

const articleLoc = /\/\d{4}\/\d{2}\/[^/]+$/;

describe('the sitemap index', () => {
  it('names the pages, articles, tags and News files, each with its last change', async () => {
    const { files } = await allSitemaps();
    expect(files.map((file) => file.loc)).toEqual([
      `${ORIGIN}/sitemaps/pages.xml`,
      `${ORIGIN}/sitemaps/articles-1.xml`,
      `${ORIGIN}/sitemaps/tags-1.xml`,
      `${ORIGIN}/sitemaps/news.xml`,
    ]);
    const latest = await env.DB.prepare(
      "SELECT max(updated_at) AS at FROM articles WHERE status = 'published' AND noindex = 0",
    ).first<{ at: number }>();
    for (const file of files) expect(file.lastmod, file.loc).toBe(new Date(latest!.at).toISOString());
  });

  it('lists every published article once with its last change, never a draft', async () => {
    const { urls } = await allSitemaps();
    const articles = [...urls.values()].flat().filter((url) => articleLoc.test(url.loc) && !url.loc.includes('/news'));
    const { results: published } = await env.DB.prepare(
      "SELECT slug, updated_at FROM articles WHERE status = 'published' AND noindex = 0 ORDER BY id",
    ).all<{ slug: string; updated_at: number }>();
    expect(urls.get('/sitemaps/articles-1.xml')!.map((url) => url.loc.split('/').pop())).toEqual(
      published.map((row) => row.slug),
    );
    for (const row of published) {
      expect(articles.find((url) => url.loc.endsWith(`/${row.slug}`))?.lastmod).toBe(
        new Date(row.updated_at).toISOString(),
      );
    }
    expect(JSON.stringify([...urls.values()])).not.toContain('draft-mekong-dams-briefing');
  });

  it('lists the home page, the sections, and the tag and author pages that have published articles', async () => {
    const { urls } = await allSitemaps();
    const locs = [...urls.entries()]
      .filter(([path]) => path !== '/sitemaps/news.xml')
      .flatMap(([, list]) => list.map((url) => url.loc));
    expect(urls.get('/sitemaps/pages.xml')![0]).toEqual({ loc: `${ORIGIN}/` });
    for (const path of [
      '/section/security',
      '/section/environment',
      '/tag/russia',
      '/tag/rare-earths',
      '/author/richard-weitz',
    ]) {
      expect(locs).toContain(`${ORIGIN}${path}`);
    }
    // Tags only the draft carries.
    expect(locs).not.toContain(`${ORIGIN}/tag/mekong`);
    expect(locs).not.toContain(`${ORIGIN}/tag/laos`);
    for (const loc of locs) expect((await fetchPage(new URL(loc).pathname)).status, loc).toBe(200);
  });

  it('answers 404 for a part that lists nothing, and for a part number not in its one spelling', async () => {
    for (const path of [
      '/sitemaps/articles-999.xml',
      '/sitemaps/tags-999.xml',
      '/sitemaps/articles-01.xml',
      '/sitemaps/articles-0.xml',
    ]) {
      expect((await fetchPage(path)).status, path).toBe(404);
    }
  });
});

describe('sitemap files at the limit', () => {
  // The site's own routes with 3 addresses a file instead of 50,000, past the page cache (its keys are the site's).
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('db', primaryDb(c.env));
      await next();
    })
    .route('/', sitemapRoutes(3));
  const small = async (path: string) => {
    const ctx = createExecutionContext();
    const response = await app.request(
      path,
      { headers: { 'X-Cache-Bypass': 'bypass' } },
      { ...env, CACHE_BYPASS_TOKEN: 'bypass' },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  };

  it('split articles and tags by id into files of at most the limit, together listing every one', async () => {
    // Other test files publish meanwhile: what is listed lies between what was published before and after.
    const published = async () => {
      const { results } = await env.DB.prepare(
        "SELECT slug, id FROM articles WHERE status = 'published' AND noindex = 0 AND published_at <= ?",
      )
        .bind(Date.now())
        .all<{ slug: string; id: number }>();
      return new Map(results.map(({ slug, id }) => [slug, id]));
    };
    const tagged = async () => {
      const { results } = await env.DB.prepare(
        "SELECT DISTINCT tags.slug, tags.id FROM tags JOIN article_tags ON tag_id = tags.id JOIN articles ON articles.id = article_id WHERE articles.status = 'published' AND articles.published_at <= ?",
      )
        .bind(Date.now())
        .all<{ slug: string; id: number }>();
      return new Map(results.map(({ slug, id }) => [slug, id]));
    };
    const [articlesBefore, tagsBefore] = [await published(), await tagged()];
    const { files, urls } = await allSitemaps(small);
    const [articlesAfter, tagsAfter] = [await published(), await tagged()];

    for (const [kind, before, after] of [
      ['articles', articlesBefore, articlesAfter],
      ['tags', tagsBefore, tagsAfter],
    ] as const) {
      const paths = files.map((file) => new URL(file.loc).pathname).filter((path) => path.includes(`/${kind}-`));
      expect(paths.length, kind).toBeGreaterThan(1);
      for (const path of paths) {
        const part = Number(/-(\d+)\.xml$/.exec(path)![1]);
        const list = urls.get(path)!;
        expect(list.length, path).toBeGreaterThan(0);
        expect(list.length, path).toBeLessThanOrEqual(3);
        // Each address is in the part its id says.
        for (const { loc } of list) expect(Math.ceil(after.get(loc.split('/').pop()!)! / 3), loc).toBe(part);
        // An articles file's last change is its latest listed article's.
        if (kind === 'articles') {
          const latest = list
            .map((url) => url.lastmod!)
            .sort()
            .pop();
          expect(files.find((file) => file.loc.endsWith(path))!.lastmod, path).toBe(latest);
        }
      }
      const listed = new Set(paths.flatMap((path) => urls.get(path)!.map(({ loc }) => loc.split('/').pop()!)));
      for (const slug of before.keys()) expect(listed.has(slug), slug).toBe(true);
      for (const slug of listed) expect(after.has(slug), slug).toBe(true);
    }
  });
});

describe('the Google News sitemap', () => {
  it('lists the articles of the last two days with the publication, language, date and title, newest first', async () => {
    const hour = 3_600_000;
    const now = Date.now();
    const slugs = ['fresh', 'yesterday', 'stale', 'scheduled'].map((name) => `${name}-news-${nextNumber()}`);
    const times = [now - hour, now - 30 * hour, now - 49 * hour, now + 5 * hour];
    for (const [i, slug] of slugs.entries()) {
      await env.DB.prepare(
        "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id) VALUES (?, ?, '', 'Body.', '<p>Body.</p>', 'published', ?, (SELECT id FROM authors LIMIT 1), (SELECT id FROM sections LIMIT 1))",
      )
        .bind(slug, `Ports & "Power" ${i}`, times[i])
        .run();
    }
    await clearPageCache();
    const response = await fetchPage('/sitemaps/news.xml');
    const xml = await response.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    const entries: { loc: string; 'news:news': Record<string, unknown> }[] = parser.parse(xml).urlset.url;
    const ours = entries.filter((entry) => slugs.some((slug) => entry.loc.endsWith(`/${slug}`)));
    expect(ours.map((entry) => entry.loc.split('/').pop())).toEqual([slugs[0], slugs[1]]);
    expect(ours[0]!['news:news']).toEqual({
      'news:publication': { 'news:name': siteConfig(env).name, 'news:language': 'en' },
      'news:publication_date': new Date(times[0]!).toISOString(),
      'news:title': 'Ports & "Power" 0',
    });
    // Dates are newest first.
    const dates = entries.map((entry) => Date.parse(String(entry['news:news']['news:publication_date'])));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });
});
