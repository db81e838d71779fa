import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { deletedArticles } from './schema';

/** Whether a published article at this slug was deleted (its address answers 410 Gone). */
export async function wasDeleted(db: Db, slug: string): Promise<boolean> {
  return (
    (await db
      .select({ slug: deletedArticles.slug })
      .from(deletedArticles)
      .where(eq(deletedArticles.slug, slug))
      .get()) !== undefined
  );
}
