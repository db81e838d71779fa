import { and, asc, count, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { joinedColumns } from '../db/articles';
import type { Db } from '../db/client';
import { articles, authors, sections, staffMembers } from '../db/schema';
import { isInReview } from './article-queries';

/** How many drafts one review email lists; the rest are counted, with a link to the review list. */
export const LISTED_PER_REVIEW_EMAIL = 10;

const changed = (rows: { id: number }[]) => rows.length > 0;

/** Puts a draft in the editors' review list (and in the next review email); false if it is not a draft, or already there. */
export async function submitForReview(db: Db, id: number, now = new Date()): Promise<boolean> {
  return changed(
    await db
      .update(articles)
      .set({ reviewRequestedAt: now, reviewEmailedAt: null, reviewNote: '' })
      .where(and(eq(articles.id, id), eq(articles.status, 'draft'), isNull(articles.reviewRequestedAt)))
      .returning({ id: articles.id }),
  );
}

/**
 * Takes a draft out of review: withdrawn by its contributor (no note), or sent back by an editor with
 * a note for them. False if it was not in review.
 */
export async function endReview(db: Db, id: number, note = ''): Promise<boolean> {
  return changed(
    await db
      .update(articles)
      .set({ reviewRequestedAt: null, reviewEmailedAt: null, reviewNote: note })
      .where(and(eq(articles.id, id), isInReview))
      .returning({ id: articles.id }),
  );
}

/** The drafts waiting for review (narrowed by `where`), the longest-waiting first, with their byline, section and who submitted them. */
export function reviewListQuery(db: Db, where: SQL = isInReview) {
  return db
    .select({
      id: articles.id,
      headline: articles.headline,
      standfirst: articles.standfirst,
      revision: articles.revision,
      reviewRequestedAt: articles.reviewRequestedAt,
      authorName: joinedColumns.authorName,
      sectionName: joinedColumns.sectionName,
      submittedByName: sql<string | null>`${staffMembers.name}`.as('submitted_by_name'),
    })
    .from(articles)
    .innerJoin(authors, eq(authors.id, articles.authorId))
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .leftJoin(staffMembers, eq(staffMembers.id, articles.createdBy))
    .where(where)
    .orderBy(asc(articles.reviewRequestedAt), asc(articles.id));
}

export type ReviewRow = Awaited<ReturnType<typeof reviewListQuery>>[number];

const notYetEmailed = and(isInReview, isNull(articles.reviewEmailedAt))!;

/**
 * The drafts submitted since the last review email (at most LISTED_PER_REVIEW_EMAIL of them, and how
 * many in all), then marks them all as emailed: one D1 batch (a transaction), so a draft submitted
 * meanwhile waits for the next email rather than being marked unseen.
 */
export function claimNewReviewsQueries(db: Db, now: Date) {
  return [
    reviewListQuery(db, notYetEmailed).limit(LISTED_PER_REVIEW_EMAIL),
    db.select({ count: count() }).from(articles).where(notYetEmailed),
    db
      .update(articles)
      // Being emailed about is not an edit: updated_at keeps its time.
      .set({ reviewEmailedAt: now, updatedAt: sql`${articles.updatedAt}` })
      .where(notYetEmailed),
  ] as const;
}

/** Who reviews: every editor and administrator. */
export function reviewerRecipientsQuery(db: Db) {
  return db
    .select({ email: staffMembers.email })
    .from(staffMembers)
    .where(inArray(staffMembers.role, ['editor', 'administrator']));
}
