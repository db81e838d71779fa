import { and, eq, gt, lte } from 'drizzle-orm';
import { siteConfig } from '../config';
import { type ArticleLocation, articleLocation } from '../db/articles';
import { primaryDb } from '../db/client';
import { articles } from '../db/schema';
import {
  articleMarkdownPath,
  articlePath,
  authorPath,
  commentFeedPath,
  FEED_FORMATS,
  feedPath,
  LLMS_TXT_PATH,
  NEWS_SITEMAP_PATH,
  PAGES_SITEMAP_PATH,
  SITEMAP_PATH,
  sectionPath,
  sitemapFilePath,
  sitemapPart,
  tagPath,
} from '../paths';
import { requestHubPings } from '../websub/hub';
import { requestPurge, STALENESS_BOUND_SECONDS } from './purge-queue';
import { cachedPagePaths } from './store';

function locationPaths(location: ArticleLocation, timeZone: string): string[] {
  const path = articlePath(location, timeZone);
  return [
    path,
    articleMarkdownPath(path),
    commentFeedPath(path),
    commentFeedPath(),
    '/',
    sectionPath(location.sectionSlug),
    authorPath(location.authorSlug),
    ...location.tagSlugs.map(tagPath),
    ...listingFeedPaths(location),
    LLMS_TXT_PATH,
    ...sitemapPaths(location),
  ];
}

/** Every feed an article is in, in every format: the site's, its section's, its author's and its tags'. */
const listingFeedPaths = (location: ArticleLocation) =>
  [
    undefined,
    sectionPath(location.sectionSlug),
    authorPath(location.authorSlug),
    ...location.tagSlugs.map(tagPath),
  ].flatMap((listingPath) => FEED_FORMATS.map((format) => feedPath(format, listingPath)));

/** The sitemap files an article is in: the index, its articles part, its tags' parts, the pages (its author and section) and News. */
const sitemapPaths = (location: ArticleLocation) => [
  SITEMAP_PATH,
  sitemapFilePath('articles', sitemapPart(location.id)),
  ...location.tagIds.map((id) => sitemapFilePath('tags', sitemapPart(id))),
  PAGES_SITEMAP_PATH,
  NEWS_SITEMAP_PATH,
];

/**
 * Purges every cached page an article appears on: the article itself and its Markdown, the home page, its section,
 * tag and author pages, the site-wide, section, author and tag feeds (RSS, Atom, JSON Feed), its comment feed and the
 * latest comments feed, the sitemap files it is in, and llms.txt. Called when the article changes; after an edit that moved
 * it (slug, date, section, tags, author), pass where it was before so the pages it has left are
 * purged too. `delaySeconds` purges later (a scheduled article, at its time). The WebSub hub (if any) is
 * told about the feeds of each place the article is or was published, once their old copies are gone.
 */
export async function purgeArticlePages(
  env: Env,
  articleId: number,
  previous?: ArticleLocation,
  delaySeconds = 0,
): Promise<void> {
  const location = await articleLocation(primaryDb(env), articleId);
  const { timeZone } = siteConfig(env);
  const paths = [location, previous].flatMap((where) => (where ? locationPaths(where, timeZone) : []));
  await requestPurge(env, paths, delaySeconds);
  const published = [location, previous].filter((where) => where?.publishedAt) as ArticleLocation[];
  await requestHubPings(env, published.flatMap(listingFeedPaths), delaySeconds + STALENESS_BOUND_SECONDS);
}

/**
 * Purges the pages that show these articles' comments or their counts: each article's page and
 * comment feed, the latest comments feed, and the first page of the home page and of the article's
 * section, author and tags (later pages catch up within the Cache API's lifetime). A constant number
 * of keys per article, whatever the size of the site; bulk moderation purges each article once.
 */
export async function purgeCommentPages(env: Env, articleIds: Iterable<number>): Promise<void> {
  const db = primaryDb(env);
  const { timeZone } = siteConfig(env);
  const paths: string[] = [];
  for (const id of new Set(articleIds)) {
    const location = await articleLocation(db, id);
    if (!location) continue;
    const path = articlePath(location, timeZone);
    paths.push(
      path,
      commentFeedPath(path),
      commentFeedPath(),
      '/',
      sectionPath(location.sectionSlug),
      authorPath(location.authorSlug),
      ...location.tagSlugs.map(tagPath),
    );
  }
  await requestPurge(env, paths);
}

/** How far the every-minute cron looks back (runs Cloudflare skipped) and ahead (purges queued to land at their time). */
const SCHEDULE_WINDOW_MS = 60_000;

/**
 * The every-minute Cron Trigger: a scheduled article appears on the home page, its listings and the
 * feeds within STALENESS_BOUND_SECONDS of its time. Articles due in the next minute get a purge
 * delayed to their time; those of the last minute (scheduled since the previous run looked, or a run
 * skipped) one now. Nothing is written when nothing is due.
 */
export async function purgeDueArticles(env: Env, now: Date): Promise<number> {
  const scheduledTime = now.getTime();
  const due = await primaryDb(env)
    .select({ id: articles.id, publishedAt: articles.publishedAt })
    .from(articles)
    .where(
      and(
        eq(articles.status, 'published'),
        gt(articles.publishedAt, new Date(scheduledTime - SCHEDULE_WINDOW_MS)),
        lte(articles.publishedAt, new Date(scheduledTime + SCHEDULE_WINDOW_MS)),
      ),
    );
  const sentAt = Date.now();
  await Promise.all(
    due.map(({ id, publishedAt }) =>
      purgeArticlePages(env, id, undefined, Math.max(0, Math.ceil(((publishedAt?.getTime() ?? 0) - sentAt) / 1000))),
    ),
  );
  return due.length;
}

/**
 * Purges the cached pages among `pages` (`'all'`: every cached page, as the navigation is on every
 * page), through the purge queue. Only pages in the cache are asked for, so the cost follows
 * what is cached, not the size of the site.
 */
export async function purgePages(env: Env, pages: string[] | 'all'): Promise<number> {
  const cached = await cachedPagePaths(env.PAGE_CACHE);
  const chosen = pages === 'all' ? undefined : new Set(pages);
  const wanted = chosen ? cached.filter((path) => chosen.has(path)) : cached;
  await requestPurge(env, wanted);
  return wanted.length;
}
