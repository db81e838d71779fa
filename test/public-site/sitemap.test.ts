import { env } from 'cloudflare:workers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { fetchPage } from '../support/helpers';

const SITE = 'http://localhost:8787';

async function sitemapUrls(): Promise<{ loc: string; lastmod?: string }[]> {
  const response = await fetchPage('/sitemap.xml');
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toBe('application/xml; charset=UTF-8');
  const xml = await response.text();
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'url' }).parse(xml);
  expect(parsed.urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  return parsed.urlset.url;
}

describe('sitemap.xml', () => {
  it('lists the home page and every published article with its last change, never the draft', async () => {
    const urls = await sitemapUrls();
    expect(urls[0]).toEqual({ loc: `${SITE}/` });
    const { results: published } = await env.DB.prepare(
      "SELECT slug, updated_at FROM articles WHERE status = 'published' ORDER BY published_at DESC",
    ).all<{ slug: string; updated_at: number }>();
    const articles = urls.filter((url) => /\/\d{4}\/\d{2}\//.test(url.loc));
    expect(articles.map((url) => url.loc.split('/').pop())).toEqual(published.map((row) => row.slug));
    for (const [index, row] of published.entries()) {
      expect(articles[index]!.lastmod).toBe(new Date(row.updated_at).toISOString());
    }
    expect(urls.map((url) => url.loc).join(' ')).not.toContain('draft-mekong-dams-briefing');
  });

  it('lists the section pages, and the tag and author pages that have published articles', async () => {
    const locs = (await sitemapUrls()).map((url) => url.loc);
    for (const path of [
      '/section/security',
      '/section/environment',
      '/tag/russia',
      '/tag/rare-earths',
      '/author/richard-weitz',
    ]) {
      expect(locs).toContain(`${SITE}${path}`);
    }
    // Tags only the draft carries.
    expect(locs).not.toContain(`${SITE}/tag/mekong`);
    expect(locs).not.toContain(`${SITE}/tag/laos`);
    for (const loc of locs) expect((await fetchPage(new URL(loc).pathname)).status, loc).toBe(200);
  });
});

describe('robots.txt', () => {
  it('points crawlers at the sitemap by its absolute URL and keeps them out of admin, API and search', async () => {
    const response = await fetchPage('/robots.txt');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain(`Sitemap: ${SITE}/sitemap.xml`);
    expect(text).toMatch(/^User-agent: \*$/m);
    expect(text).toMatch(/^Disallow: \/admin$/m);
    expect(text).toMatch(/^Disallow: \/search$/m);
  });
});
