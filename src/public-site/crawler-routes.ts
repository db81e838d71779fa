import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { readerDb } from '../db/session';
import {
  absoluteUrl,
  articlePath,
  authorPath,
  NEWSLETTER_PATH,
  newsletterIssuePath,
  SITEMAP_PATH,
  sectionPath,
  tagPath,
} from '../paths';
import { publicPageCache } from './public-page-cache';
import { sitemapQueries } from './sitemap-queries';
import { robotsTxt, SITEMAP_CONTENT_TYPE, type SitemapUrl, sitemapXml } from './views/sitemap-xml';

/** What search engines' crawlers read: `sitemap.xml` (through the page cache) and `robots.txt`. */
export const crawlerRoutes = new Hono<AppEnv>()
  .get(SITEMAP_PATH, publicPageCache(), async (c) => {
    const site = siteConfig(c.env);
    const db = readerDb(c);
    const [articles, sections, tags, authors, issues] = await db.batch(sitemapQueries(db));
    const url = (path: string) => absoluteUrl(site.url, path);
    const urls: SitemapUrl[] = [
      { loc: url('/') },
      ...articles.map((article) => ({ loc: url(articlePath(article, site.timeZone)), lastmod: article.updatedAt })),
      ...sections.map(({ slug }) => ({ loc: url(sectionPath(slug)) })),
      ...tags.map(({ slug }) => ({ loc: url(tagPath(slug)) })),
      ...authors.map(({ slug }) => ({ loc: url(authorPath(slug)) })),
      { loc: url(NEWSLETTER_PATH) },
      ...issues.map(({ number }) => ({ loc: url(newsletterIssuePath(number)) })),
    ];
    return c.body(sitemapXml(urls), 200, { 'Content-Type': SITEMAP_CONTENT_TYPE });
  })
  .get('/robots.txt', (c) => c.text(robotsTxt(absoluteUrl(siteConfig(c.env).url, SITEMAP_PATH))));
