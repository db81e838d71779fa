import { and, count, desc, eq, gt, inArray, max } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { articles, comments, staffMembers } from '../../db/schema';

/** How many held comments one email lists; the rest are counted, with a link to the queue. */
export const LISTED_PER_EMAIL = 10;

const isHeldAfter = (afterId: number) => and(eq(comments.status, 'pending'), gt(comments.id, afterId));

/** The comments held since `afterId` (newest first, at most LISTED_PER_EMAIL), how many there are, and the highest id. */
export function heldSinceQueries(db: Db, afterId: number) {
  return [
    db
      .select({
        id: comments.id,
        authorName: comments.authorName,
        body: comments.body,
        heldReason: comments.heldReason,
        articleHeadline: articles.headline,
        articleSlug: articles.slug,
        articlePublishedAt: articles.publishedAt,
      })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .where(isHeldAfter(afterId))
      .orderBy(desc(comments.id))
      .limit(LISTED_PER_EMAIL),
    db
      .select({ count: count(), lastId: max(comments.id) })
      .from(comments)
      .where(isHeldAfter(afterId)),
  ] as const;
}

/** The staff who moderate (editors and administrators) and have not turned the emails off. */
export function moderatorRecipientsQuery(db: Db) {
  return db
    .select({ email: staffMembers.email, name: staffMembers.name })
    .from(staffMembers)
    .where(and(inArray(staffMembers.role, ['editor', 'administrator']), eq(staffMembers.moderationEmails, true)));
}

export async function moderationEmailsOn(db: Db, staffMemberId: number): Promise<boolean> {
  const [row] = await db
    .select({ on: staffMembers.moderationEmails })
    .from(staffMembers)
    .where(eq(staffMembers.id, staffMemberId));
  return row?.on ?? false;
}

export async function setModerationEmails(db: Db, staffMemberId: number, on: boolean): Promise<void> {
  await db.update(staffMembers).set({ moderationEmails: on }).where(eq(staffMembers.id, staffMemberId));
}
