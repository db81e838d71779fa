import { and, eq } from 'drizzle-orm';
import type { SiteConfig } from '../config';
import type { Db } from '../db/client';
import { articles } from '../db/schema';

const ARTICLE_PAGE = /^\/[0-9]{4}\/[0-9]{2}\/([a-z0-9-]+)$/;

/** The published article whose page is at `url` on this site (a reply may name the page, not the object). */
export async function articleIdAt(db: Db, site: Pick<SiteConfig, 'url'>, url: URL): Promise<number | undefined> {
  const slug = url.origin === new URL(site.url).origin ? ARTICLE_PAGE.exec(url.pathname)?.[1] : undefined;
  if (!slug) return undefined;
  const [article] = await db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.slug, slug), eq(articles.status, 'published')))
    .limit(1);
  return article?.id;
}
