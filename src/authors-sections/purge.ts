import { siteConfig } from '../config';
import type { Db } from '../db/client';
import {
  articleMarkdownPath,
  articlePath,
  authorPath,
  FEED_FORMATS,
  feedPath,
  PAGES_SITEMAP_PATH,
  SITEMAP_PATH,
  sectionPath,
  tagPath,
} from '../paths';
import { authorArticleLocations } from './queries';

/**
 * Every page an author's name or address appears on: their page (under each slug given: before and
 * after a rename, the one merged into), their published articles and their Markdown (the byline), the listings and feeds
 * that show those articles, and the sitemap.
 */
export async function authorPages(env: Env, db: Db, authorId: number, slugs: string[]): Promise<string[]> {
  const { timeZone } = siteConfig(env);
  const located = await authorArticleLocations(db, authorId);
  return [
    ...slugs.map(authorPath),
    ...located.articles.flatMap((article) => [
      articlePath(article, timeZone),
      articleMarkdownPath(articlePath(article, timeZone)),
      sectionPath(article.sectionSlug),
    ]),
    ...located.tagSlugs.map(tagPath),
    '/',
    ...[
      undefined,
      ...slugs.map(authorPath),
      ...located.articles.map((article) => sectionPath(article.sectionSlug)),
      ...located.tagSlugs.map(tagPath),
    ].flatMap((listingPath) => FEED_FORMATS.map((format) => feedPath(format, listingPath))),
    SITEMAP_PATH,
    PAGES_SITEMAP_PATH,
  ];
}
