import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type DeliveryStatus, newsletterDeliveries, subscribers } from '../db/schema';

/** Adds a pending delivery of the issue for every confirmed subscriber who has none yet; returns how many were added. */
export async function addDeliveries(db: Db, issueId: number): Promise<number> {
  const result = await db.run(
    sql`insert into ${newsletterDeliveries} (${sql.identifier(newsletterDeliveries.issueId.name)}, ${sql.identifier(newsletterDeliveries.subscriberId.name)})
        select ${issueId}, ${subscribers.id} from ${subscribers} where ${subscribers.status} = 'confirmed'
        on conflict do nothing`,
  );
  return result.meta.changes;
}

/** The issue's pending deliveries after `afterId`, in id order, for the fan-out to page through. */
export async function pendingDeliveryIds(
  db: Db,
  { issueId, afterId, limit }: { issueId: number; afterId: number; limit: number },
) {
  const rows = await db
    .select({ id: newsletterDeliveries.id })
    .from(newsletterDeliveries)
    .where(
      and(
        eq(newsletterDeliveries.issueId, issueId),
        eq(newsletterDeliveries.status, 'pending'),
        gt(newsletterDeliveries.id, afterId),
      ),
    )
    .orderBy(asc(newsletterDeliveries.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

/**
 * Takes a pending delivery for sending (counting the attempt). Only one caller can: a redelivered
 * queue message, or a second fan-out, finds it no longer pending and gets undefined.
 */
export async function claimDelivery(db: Db, id: number) {
  const [claimed] = await db
    .update(newsletterDeliveries)
    .set({ status: 'sending', attempts: sql`${newsletterDeliveries.attempts} + 1` })
    .where(and(eq(newsletterDeliveries.id, id), eq(newsletterDeliveries.status, 'pending')))
    .returning({
      issueId: newsletterDeliveries.issueId,
      subscriberId: newsletterDeliveries.subscriberId,
      attempts: newsletterDeliveries.attempts,
    });
  return claimed;
}

export async function finishDelivery(
  db: Db,
  id: number,
  outcome: { status: Exclude<DeliveryStatus, 'sending'>; lastError?: string; sentAt?: Date },
): Promise<void> {
  await db
    .update(newsletterDeliveries)
    .set({ status: outcome.status, lastError: outcome.lastError ?? null, sentAt: outcome.sentAt ?? null })
    .where(eq(newsletterDeliveries.id, id));
}
