import { siteConfig } from '../config';
import { type ArticleLocation, articleLocation } from '../db/articles';
import { primaryDb } from '../db/client';
import {
  articlePath,
  authorPath,
  commentFeedPath,
  FEED_FORMATS,
  feedPath,
  SITEMAP_PATH,
  sectionPath,
  tagPath,
} from '../paths';
import { purgeCachedPaths } from './store';

function locationPaths(location: ArticleLocation, timeZone: string): string[] {
  const path = articlePath(location, timeZone);
  return [
    path,
    commentFeedPath(path),
    commentFeedPath(),
    '/',
    sectionPath(location.sectionSlug),
    authorPath(location.authorSlug),
    ...location.tagSlugs.map(tagPath),
    ...FEED_FORMATS.flatMap((format) => [feedPath(format), feedPath(format, location.sectionSlug)]),
    SITEMAP_PATH,
  ];
}

/**
 * Purges every cached page an article appears on: the article itself (all comment pages), the home
 * page, its section, tag and author pages (which show its comment count), the site-wide and section feeds (RSS
 * and Atom), its comment feed and the latest comments feed, and the sitemap. Called whenever the article or its comments change;
 * after an edit that moved the article (slug, date, section, tags, author), pass where it was before
 * so the pages it has left are purged too.
 */
export async function purgeArticlePages(env: Env, articleId: number, previous?: ArticleLocation): Promise<void> {
  const location = await articleLocation(primaryDb(env), articleId);
  const { timeZone } = siteConfig(env);
  const paths = [location, previous].flatMap((where) => (where ? locationPaths(where, timeZone) : []));
  if (paths.length > 0) await purgeCachedPaths(env.PAGE_CACHE, paths);
}
