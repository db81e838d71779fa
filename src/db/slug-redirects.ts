import { and, eq } from 'drizzle-orm';
import { isPublished } from './articles';
import type { Db } from './client';
import { articles, slugRedirects } from './schema';

/** The published article an old slug now belongs to, if any. */
export function redirectedArticleQuery(db: Db, oldSlug: string) {
  return db
    .select({ slug: articles.slug, publishedAt: articles.publishedAt })
    .from(slugRedirects)
    .innerJoin(articles, eq(articles.id, slugRedirects.articleId))
    .where(and(eq(slugRedirects.oldSlug, oldSlug), isPublished))
    .get();
}

/** Statements for a slug change: the old slug points at the article; the new one is no longer anyone's old slug. */
export function slugRedirectStatements(
  db: Db,
  { articleId, oldSlug, newSlug }: { articleId: number; oldSlug?: string; newSlug: string },
) {
  const freeNewSlug = db.delete(slugRedirects).where(eq(slugRedirects.oldSlug, newSlug));
  if (!oldSlug || oldSlug === newSlug) return [freeNewSlug] as const;
  return [
    freeNewSlug,
    db
      .insert(slugRedirects)
      .values({ oldSlug, articleId })
      .onConflictDoUpdate({ target: slugRedirects.oldSlug, set: { articleId } }),
  ] as const;
}
