import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { readerDb } from '../db/session';
import {
  absoluteUrl,
  articlePath,
  authorPath,
  NEWS_SITEMAP_PATH,
  NEWSLETTER_PATH,
  newsletterIssuePath,
  PAGES_SITEMAP_PATH,
  SITEMAP_PATH,
  SITEMAP_URLS_PER_FILE,
  type SitemapFileKind,
  sectionPath,
  sitemapFilePath,
  staticPagePath,
  tagPath,
} from '../paths';
import { publicPageCache } from './public-page-cache';
import { articlesPartQuery, newsQuery, pagesQueries, sitemapIndexQueries, tagsPartQuery } from './sitemap-queries';
import { newsSitemapXml, SITEMAP_CONTENT_TYPE, sitemapIndexXml, sitemapXml } from './views/sitemap-xml';

/** `articles-7.xml`: the part number in its one spelling. */
const partFile = (kind: SitemapFileKind) => `/sitemaps/:file{${kind}-[1-9][0-9]{0,5}\\.xml}`;
const partOf = (file: string | undefined) => Number(file?.match(/[0-9]+/)?.[0]);
const xml = (body: string) => new Response(body, { headers: { 'Content-Type': SITEMAP_CONTENT_TYPE } });

/**
 * The sitemaps, as Google reads them: an index (`/sitemap.xml`) of files of at most `perFile`
 * addresses (articles and tags split by id), the pages file and the News file, each cached and purged
 * where it changes. `perFile` is Google's 50,000 but for tests.
 */
export function sitemapRoutes(perFile = SITEMAP_URLS_PER_FILE) {
  return new Hono<AppEnv>()
    .get(SITEMAP_PATH, publicPageCache(), async (c) => {
      const site = siteConfig(c.env);
      const db = readerDb(c);
      const [articleFiles, tagFiles] = await Promise.all(sitemapIndexQueries(db, perFile));
      const url = (path: string) => absoluteUrl(site.url, path);
      const parts = articleFiles.flatMap(({ part, lastmod }) =>
        lastmod === null ? [] : [{ part, lastmod: new Date(lastmod) }],
      );
      const latest = parts.reduce<Date | undefined>(
        (last, { lastmod }) => (!last || lastmod > last ? lastmod : last),
        undefined,
      );
      return xml(
        sitemapIndexXml([
          { loc: url(PAGES_SITEMAP_PATH), lastmod: latest },
          ...parts.map(({ part, lastmod }) => ({ loc: url(sitemapFilePath('articles', part)), lastmod })),
          ...tagFiles
            .filter(({ listed }) => listed !== null)
            .map(({ part }) => ({ loc: url(sitemapFilePath('tags', part)), lastmod: latest })),
          { loc: url(NEWS_SITEMAP_PATH), lastmod: latest },
        ]),
      );
    })
    .get(PAGES_SITEMAP_PATH, publicPageCache(), async (c) => {
      const site = siteConfig(c.env);
      const db = readerDb(c);
      const [sections, authors, issues, staticPages] = await db.batch(pagesQueries(db));
      const url = (path: string) => absoluteUrl(site.url, path);
      return xml(
        sitemapXml([
          { loc: url('/') },
          ...sections.map(({ slug }) => ({ loc: url(sectionPath(slug)) })),
          ...authors.map(({ slug }) => ({ loc: url(authorPath(slug)) })),
          { loc: url(NEWSLETTER_PATH) },
          ...issues.map(({ number }) => ({ loc: url(newsletterIssuePath(number)) })),
          ...staticPages.map(({ slug, updatedAt }) => ({ loc: url(staticPagePath(slug)), lastmod: updatedAt })),
        ]),
      );
    })
    .get(partFile('articles'), publicPageCache(), async (c) => {
      const site = siteConfig(c.env);
      const rows = await articlesPartQuery(readerDb(c), partOf(c.req.param('file')), perFile);
      if (rows.length === 0) return c.notFound();
      return xml(
        sitemapXml(
          rows.map((article) => ({
            loc: absoluteUrl(site.url, articlePath(article, site.timeZone)),
            lastmod: article.updatedAt,
          })),
        ),
      );
    })
    .get(partFile('tags'), publicPageCache(), async (c) => {
      const site = siteConfig(c.env);
      const rows = await tagsPartQuery(readerDb(c), partOf(c.req.param('file')), perFile);
      if (rows.length === 0) return c.notFound();
      return xml(sitemapXml(rows.map(({ slug }) => ({ loc: absoluteUrl(site.url, tagPath(slug)) }))));
    })
    .get(NEWS_SITEMAP_PATH, publicPageCache(), async (c) => {
      const site = siteConfig(c.env);
      const rows = await newsQuery(readerDb(c), new Date());
      return xml(
        newsSitemapXml(
          { name: site.name, language: 'en' },
          rows.map((article) => ({
            loc: absoluteUrl(site.url, articlePath(article, site.timeZone)),
            title: article.headline,
            publishedAt: article.publishedAt!,
          })),
        ),
      );
    });
}
