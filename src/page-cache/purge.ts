import { siteConfig } from '../config';
import { createDb } from '../db/client';
import { articleLocation } from '../db/articles';
import { articlePath, authorPath, sectionPath, tagPath } from '../domain/paths';
import { purgeCachedPaths } from './store';

/**
 * Purges every cached page an article appears on: the article itself (all comment pages), the home
 * page, and its section, tag and author pages. Called whenever the article or its comments change.
 */
export async function purgeArticlePages(env: Env, articleId: number): Promise<void> {
  const location = await articleLocation(createDb(env.DB), articleId);
  if (!location) return;
  const { timeZone } = siteConfig(env);
  await purgeCachedPaths(env.PAGE_CACHE, [
    articlePath(location, timeZone),
    '/',
    sectionPath(location.sectionSlug),
    authorPath(location.authorSlug),
    ...location.tagSlugs.map(tagPath),
  ]);
}
