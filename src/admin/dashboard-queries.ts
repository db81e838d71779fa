import { count, eq, gte, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { isPublished } from '../db/articles';
import type { Db } from '../db/client';
import { articles, comments, subscribers } from '../db/schema';

/** Activity is counted in 15-minute slots, so the days can be cut at midnight in any time zone (offsets are multiples of 15 minutes). */
export const ACTIVITY_SLOT_MS = 15 * 60 * 1000;

function activitySlots(db: Db, table: typeof comments | typeof subscribers, column: SQLiteColumn, since: Date) {
  return db
    .select({ slot: sql<number>`${column} / ${ACTIVITY_SLOT_MS}`.as('slot'), total: count() })
    .from(table)
    .where(gte(column, since))
    .groupBy(sql`slot`);
}

/** The dashboard's figures in one round trip: articles by state, pending comments, and activity since `since`. */
export async function dashboardFigures(db: Db, since: Date) {
  const [[articleCounts], [pending], commentSlots, signupSlots] = await db.batch([
    db
      .select({
        draft: sql<number>`coalesce(sum(${articles.status} = 'draft'), 0)`,
        published: sql<number>`coalesce(sum(${isPublished}), 0)`,
        total: count(),
      })
      .from(articles),
    db.select({ total: count() }).from(comments).where(eq(comments.status, 'pending')),
    activitySlots(db, comments, comments.createdAt, since),
    activitySlots(db, subscribers, subscribers.confirmedAt, since),
  ]);
  const articleTotals = articleCounts ?? { draft: 0, published: 0, total: 0 };
  return {
    articles: {
      draft: articleTotals.draft,
      published: articleTotals.published,
      scheduled: articleTotals.total - articleTotals.draft - articleTotals.published,
    },
    pendingComments: pending?.total ?? 0,
    commentSlots,
    signupSlots,
  };
}
