import { asc, desc, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { SUBSCRIBER_STATUSES, type SubscriberStatus, subscribers } from '../db/schema';
import { byStatus, talliesQuery } from '../db/tallies';

/** How many subscribers have each status (every status present, zero if none), as kept in the tallies. */
export async function subscriberCounts(db: Db): Promise<Record<SubscriberStatus, number>> {
  return byStatus(SUBSCRIBER_STATUSES, await talliesQuery(db, 'subscribers'));
}

const listColumns = {
  id: subscribers.id,
  email: subscribers.email,
  status: subscribers.status,
  createdAt: subscribers.createdAt,
  confirmedAt: subscribers.confirmedAt,
  unsubscribedAt: subscribers.unsubscribedAt,
};

/** Subscribers whose address contains `text` (any case), newest first; erased ones have no address and never match. */
export function subscribersMatching(db: Db, text: string, limit: number) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
  return db
    .select(listColumns)
    .from(subscribers)
    .where(sql`lower(${subscribers.email}) like ${pattern} escape '\\'`)
    .orderBy(desc(subscribers.createdAt), desc(subscribers.id))
    .limit(limit);
}

/** Every subscriber that still has an address, oldest first: the CSV export. */
export function subscribersForExport(db: Db) {
  return db.select(listColumns).from(subscribers).where(isNotNull(subscribers.email)).orderBy(asc(subscribers.id));
}

export type ListedSubscriber = Awaited<ReturnType<typeof subscribersForExport>>[number];
