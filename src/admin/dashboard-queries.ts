import { and, count, eq, gte } from 'drizzle-orm';
import { isScheduled } from '../db/articles';
import type { Db } from '../db/client';
import { ARTICLE_STATUSES, activitySlots, articles, COMMENT_STATUSES } from '../db/schema';
import { byStatus, talliesQuery } from '../db/tallies';

/** Activity is counted in 15-minute slots, so the days can be cut at midnight in any time zone (offsets are multiples of 15 minutes); migration 0040's triggers divide by the same 900,000 ms. */
export const ACTIVITY_SLOT_MS = 15 * 60 * 1000;

/** A series' counts a slot since `since`: a range of activity_slots' primary key (kept by the triggers of migration 0040). */
function activityQuery(db: Db, series: 'comments' | 'signups', since: Date) {
  return db
    .select({ slot: activitySlots.slot, total: activitySlots.count })
    .from(activitySlots)
    .where(
      and(eq(activitySlots.series, series), gte(activitySlots.slot, Math.floor(since.getTime() / ACTIVITY_SLOT_MS))),
    );
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
    activityQuery(db, 'comments', since),
    activityQuery(db, 'signups', since),
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
