import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { type SiteConfig, siteConfig } from '../config';
import { type ArticleDetail, latestPublishedArticlesQuery } from '../db/articles';
import { redirectedListingSlug } from '../db/listing-redirects';
import { readerDb } from '../db/session';
import { withAbsoluteLinks } from '../lib/absolute-links';
import { responsiveSources } from '../media/responsive';
import { type ReaderAccess, readsWhole, requestAccess } from '../members/reader-access';
import { absoluteUrl, articlePath, authorPath, FEED_FORMATS, type FeedFormat, feedPath } from '../paths';
import { hubLinks } from '../websub/hub';
import { LISTING_ROUTE, type ListingName, listingParams, listings } from './listings';
import { publicPageCache } from './public-page-cache';
import { JSON_FEED_CONTENT_TYPE, jsonFeed } from './views/feed-json';
import { ATOM_CONTENT_TYPE, atomFeed, type Feed, type FeedEntry, RSS_CONTENT_TYPE, rssFeed } from './views/feed-xml';

/** How many of the latest articles a feed carries. */
const FEED_LENGTH = 20;

const FEED_RENDERERS = {
  rss: { render: rssFeed, contentType: RSS_CONTENT_TYPE },
  atom: { render: atomFeed, contentType: ATOM_CONTENT_TYPE },
  json: { render: jsonFeed, contentType: JSON_FEED_CONTENT_TYPE },
} as const;

/** A `tag:` URI (RFC 4151) from the site's host, the day the article was created and its id: it survives slug changes. */
function entryId(site: SiteConfig, article: ArticleDetail): string {
  return `tag:${new URL(site.url).hostname},${article.createdAt.toISOString().slice(0, 10)}:articles/${article.id}`;
}

/** A members' or paid article's teaser, for a reader without access, and a link to read on. */
function teaserHtml(article: ArticleDetail, url: string): string {
  const whom = article.access === 'members' ? 'members' : 'subscribers';
  return `${article.teaserHtml}<p><em>The rest of this article is for ${whom}: <a href="${url}">read on</a>.</em></p>\n`;
}

async function feedEntry(site: SiteConfig, article: ArticleDetail, access: ReaderAccess): Promise<FeedEntry> {
  const published = article.publishedAt ?? article.updatedAt;
  const url = absoluteUrl(site.url, articlePath(article, site.timeZone));
  const body = readsWhole(article.access, access) ? article.bodyHtml : teaserHtml(article, url);
  return {
    id: entryId(site, article),
    url,
    title: article.headline,
    summary: article.standfirst,
    html: await withAbsoluteLinks(body, url),
    published,
    // A scheduled article may have been saved before it went out.
    updated: new Date(Math.max(published.getTime(), article.updatedAt.getTime())),
    authorName: article.authorName,
    authorUrl: absoluteUrl(site.url, authorPath(article.authorSlug)),
    category: { term: article.sectionSlug, label: article.sectionName },
    image:
      article.heroImageUrl === null
        ? undefined
        : absoluteUrl(site.url, responsiveSources(article.heroImageUrl, article.heroImageWidth).src),
  };
}

/** A listing's feed (a section's, a tag's, an author's) rather than the site's. */
interface FeedOf {
  listing: (typeof listings)[ListingName];
  slug: string;
}

async function feedResponse(c: Context<AppEnv>, format: FeedFormat, of?: FeedOf): Promise<Response> {
  const site = siteConfig(c.env);
  const db = readerDb(c);
  const latest = latestPublishedArticlesQuery(db, { limit: FEED_LENGTH, listing: of?.listing.listing(of.slug) });
  const [articles, [found]] = of ? await db.batch([latest, of.listing.find(db, of.slug)]) : [await latest, []];
  if (of && !found) {
    const renamed = of.listing.redirects && (await redirectedListingSlug(db, of.listing.redirects, of.slug));
    return renamed ? c.redirect(feedPath(format, of.listing.path(renamed)), 301) : c.notFound();
  }

  const listingPath = of?.listing.path(of.slug);
  const access = requestAccess(c);
  const entries = await Promise.all(articles.map((article) => feedEntry(site, article, access)));
  const feed: Feed = {
    title: found ? `${site.name}: ${found.name}` : site.name,
    subtitle: found ? found.description || found.name : site.tagline,
    pageUrl: absoluteUrl(site.url, listingPath ?? '/'),
    selfUrl: absoluteUrl(site.url, feedPath(format, listingPath)),
    siteUrl: site.url,
    hubUrl: site.websubHub ?? undefined,
    // The newest change among the entries; the epoch for a listing with nothing published yet.
    updated: new Date(Math.max(0, ...entries.map((entry) => entry.updated.getTime()))),
    entries,
  };
  const { render, contentType } = FEED_RENDERERS[format];
  return c.body(render(feed), 200, { 'Content-Type': contentType });
}

/**
 * RSS 2.0, Atom and JSON Feed 1.1 feeds of the latest published articles, site-wide and per section,
 * tag and author, through the page cache, each naming the WebSub hub (when there is one) in its `Link` headers too.
 */
export const feedRoutes = new Hono<AppEnv>();
for (const format of FEED_FORMATS) {
  feedRoutes.get(feedPath(format), hubLinks(), publicPageCache(), (c) => feedResponse(c, format));
  feedRoutes.get(feedPath(format, LISTING_ROUTE), listingParams, hubLinks(), publicPageCache(), (c) => {
    const { listing, slug } = c.req.valid('param');
    return feedResponse(c, format, { listing: listings[listing], slug });
  });
}
