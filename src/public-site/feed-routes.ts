import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { type SiteConfig, siteConfig } from '../config';
import { type ArticleDetail, inSection, latestPublishedArticlesQuery, sectionBySlugQuery } from '../db/articles';
import { redirectedListingSlug } from '../db/listing-redirects';
import { readerDb } from '../db/session';
import { absoluteUrl, articlePath, authorPath, FEED_FORMATS, type FeedFormat, feedPath, sectionPath } from '../paths';
import { publicPageCache } from './public-page-cache';
import { ATOM_CONTENT_TYPE, atomFeed, type Feed, type FeedEntry, RSS_CONTENT_TYPE, rssFeed } from './views/feed-xml';

/** How many of the latest articles a feed carries. */
const FEED_LENGTH = 20;

const FEED_RENDERERS = {
  rss: { render: rssFeed, contentType: RSS_CONTENT_TYPE },
  atom: { render: atomFeed, contentType: ATOM_CONTENT_TYPE },
} as const;

/** A `tag:` URI (RFC 4151) from the site's host, the day the article was created and its id: it survives slug changes. */
function entryId(site: SiteConfig, article: ArticleDetail): string {
  return `tag:${new URL(site.url).hostname},${article.createdAt.toISOString().slice(0, 10)}:articles/${article.id}`;
}

function feedEntry(site: SiteConfig, article: ArticleDetail): FeedEntry {
  const published = article.publishedAt ?? article.updatedAt;
  return {
    id: entryId(site, article),
    url: absoluteUrl(site.url, articlePath(article, site.timeZone)),
    title: article.headline,
    summary: article.standfirst,
    html: article.bodyHtml,
    published,
    // A scheduled article may have been saved before it went out.
    updated: new Date(Math.max(published.getTime(), article.updatedAt.getTime())),
    authorName: article.authorName,
    authorUrl: absoluteUrl(site.url, authorPath(article.authorSlug)),
    category: { term: article.sectionSlug, label: article.sectionName },
  };
}

async function feedResponse(c: Context<AppEnv>, format: FeedFormat, sectionSlug?: string): Promise<Response> {
  const site = siteConfig(c.env);
  const db = readerDb(c);
  const latest = latestPublishedArticlesQuery(db, {
    limit: FEED_LENGTH,
    where: sectionSlug ? inSection(sectionSlug) : undefined,
  });
  const [articles, [section]] = sectionSlug
    ? await db.batch([latest, sectionBySlugQuery(db, sectionSlug)])
    : [await latest, []];
  if (sectionSlug && !section) {
    const renamed = await redirectedListingSlug(db, 'section', sectionSlug);
    return renamed ? c.redirect(feedPath(format, renamed), 301) : c.notFound();
  }

  const entries = articles.map((article) => feedEntry(site, article));
  const feed: Feed = {
    title: section ? `${site.name}: ${section.name}` : site.name,
    subtitle: section ? section.description || section.name : site.tagline,
    pageUrl: absoluteUrl(site.url, sectionSlug ? sectionPath(sectionSlug) : '/'),
    selfUrl: absoluteUrl(site.url, feedPath(format, sectionSlug)),
    siteUrl: site.url,
    // The newest change among the entries; the epoch for a section with nothing published yet.
    updated: new Date(Math.max(0, ...entries.map((entry) => entry.updated.getTime()))),
    entries,
  };
  const { render, contentType } = FEED_RENDERERS[format];
  return c.body(render(feed), 200, { 'Content-Type': contentType });
}

/** RSS 2.0 and Atom feeds of the latest published articles, site-wide and per section, through the page cache. */
export const feedRoutes = new Hono<AppEnv>();
for (const format of FEED_FORMATS) {
  feedRoutes.get(feedPath(format), publicPageCache(), (c) => feedResponse(c, format));
  feedRoutes.get(feedPath(format, ':slug{[a-z0-9-]+}'), publicPageCache(), (c) =>
    feedResponse(c, format, c.req.param('slug')),
  );
}
