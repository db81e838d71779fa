import type { SiteConfig } from '../config';
import { publishedArticleRefQuery } from '../db/articles';
import type { Db } from '../db/client';
import { articlePath } from '../paths';

const ARTICLE_ADDRESS = /^\/[0-9]{4}\/[0-9]{2}\/([a-z0-9-]+)\/?$/;

/** The published article at this address of the site (its canonical one), or undefined. */
export async function articleAt(db: Db, site: SiteConfig, address: string) {
  const url = URL.parse(address);
  if (!url || url.origin !== new URL(site.url).origin) return undefined;
  const slug = ARTICLE_ADDRESS.exec(url.pathname)?.[1];
  if (!slug) return undefined;
  const [article] = await publishedArticleRefQuery(db, slug);
  if (!article || articlePath(article, site.timeZone) !== url.pathname.replace(/\/$/, '')) return undefined;
  return article;
}
