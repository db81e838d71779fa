import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { articleRevisions } from '../db/schema';

const listed = {
  number: articleRevisions.number,
  savedByName: articleRevisions.savedByName,
  savedAt: articleRevisions.savedAt,
  restoredFrom: articleRevisions.restoredFrom,
};

/** An article's revisions, newest first (without their text). */
export function revisionsOf(db: Db, articleId: number) {
  return db
    .select(listed)
    .from(articleRevisions)
    .where(eq(articleRevisions.articleId, articleId))
    .orderBy(desc(articleRevisions.number));
}

export type RevisionSummary = Awaited<ReturnType<typeof revisionsOf>>[number];

/** One revision with its text. */
export function revisionOf(db: Db, articleId: number, number: number) {
  return db
    .select({
      ...listed,
      headline: articleRevisions.headline,
      standfirst: articleRevisions.standfirst,
      bodyMarkdown: articleRevisions.bodyMarkdown,
    })
    .from(articleRevisions)
    .where(and(eq(articleRevisions.articleId, articleId), eq(articleRevisions.number, number)))
    .get();
}

export type Revision = NonNullable<Awaited<ReturnType<typeof revisionOf>>>;
