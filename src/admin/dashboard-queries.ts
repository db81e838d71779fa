import { and, count, gte, inArray, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { isScheduled } from '../db/articles';
import type { Db } from '../db/client';
import { ARTICLE_STATUSES, articles, COMMENT_STATUSES, comments, SUBSCRIBER_STATUSES, subscribers } from '../db/schema';
import { byStatus, talliesQuery } from '../db/tallies';

/** Activity is counted in 15-minute slots, so the days can be cut at midnight in any time zone (offsets are multiples of 15 minutes). */
export const ACTIVITY_SLOT_MS = 15 * 60 * 1000;

/** Rows of `table` created (or confirmed) since `since`, per slot: a range of its (status, time) index for each status. */
function activitySlots(
  db: Db,
  table: typeof comments | typeof subscribers,
  [status, statuses]: [SQLiteColumn, readonly string[]],
  column: SQLiteColumn,
  since: Date,
) {
  return db
    .select({ slot: sql<number>`${column} / ${ACTIVITY_SLOT_MS}`.as('slot'), total: count() })
    .from(table)
    .where(and(inArray(status, [...statuses]), gte(column, since)))
    .groupBy(sql`slot`);
}

/**
 * The dashboard's figures in one round trip: articles by state and pending comments (from the tallies,
 * and the few scheduled articles from the status index), and activity since `since`.
 */
export async function dashboardFigures(db: Db, since: Date) {
  const [articleRows, commentRows, [scheduled], commentSlots, signupSlots] = await db.batch([
    talliesQuery(db, 'articles'),
    talliesQuery(db, 'comments'),
    db.select({ total: count() }).from(articles).where(isScheduled),
    activitySlots(db, comments, [comments.status, COMMENT_STATUSES], comments.createdAt, since),
    activitySlots(db, subscribers, [subscribers.status, SUBSCRIBER_STATUSES], subscribers.confirmedAt, since),
  ]);
  const articleCounts = byStatus(ARTICLE_STATUSES, articleRows);
  const later = scheduled?.total ?? 0;
  return {
    articles: { draft: articleCounts.draft, published: articleCounts.published - later, scheduled: later },
    pendingComments: byStatus(COMMENT_STATUSES, commentRows).pending,
    commentSlots,
    signupSlots,
  };
}
