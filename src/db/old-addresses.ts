import { and, eq, sql } from 'drizzle-orm';
import { articlePath, staticPagePath } from '../paths';
import { isPublished } from './articles';
import type { Db } from './client';
import { articles, importRecords, oldAddresses, staticPages } from './schema';

/**
 * Where an old address leads now: the imported article (if still published) or static page (if
 * published) it became, at today's address, or the path it was mapped to. One D1 query, made only
 * for an address no route answered.
 */
export async function oldAddressTarget(db: Db, key: string, timeZone: string): Promise<string | undefined> {
  const [row] = await db
    .select({
      targetPath: oldAddresses.targetPath,
      kind: importRecords.kind,
      articleSlug: articles.slug,
      publishedAt: articles.publishedAt,
      pageSlug: staticPages.slug,
    })
    .from(oldAddresses)
    .leftJoin(importRecords, eq(importRecords.sourceKey, oldAddresses.sourceKey))
    .leftJoin(articles, and(eq(importRecords.kind, 'article'), eq(articles.id, importRecords.localId), isPublished))
    .leftJoin(
      staticPages,
      and(
        eq(importRecords.kind, 'static-page'),
        eq(staticPages.id, importRecords.localId),
        eq(staticPages.status, sql`'published'`),
      ),
    )
    .where(eq(oldAddresses.path, key));
  if (!row) return undefined;
  if (row.targetPath) return row.targetPath;
  if (row.articleSlug) return articlePath({ slug: row.articleSlug, publishedAt: row.publishedAt }, timeZone);
  if (row.pageSlug) return staticPagePath(row.pageSlug);
  return undefined;
}
