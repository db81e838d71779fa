import { and, asc, count, eq, gt, inArray, sql } from 'drizzle-orm';
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

/** Which of these deliveries are still pending. */
export async function pendingDeliveries(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: newsletterDeliveries.id })
    .from(newsletterDeliveries)
    .where(and(inArray(newsletterDeliveries.id, ids), eq(newsletterDeliveries.status, 'pending')));
  return rows.map((row) => row.id);
}

export async function countPendingDeliveries(db: Db, issueId: number): Promise<number> {
  const [row] = await db
    .select({ pending: count() })
    .from(newsletterDeliveries)
    .where(and(eq(newsletterDeliveries.issueId, issueId), eq(newsletterDeliveries.status, 'pending')));
  return row?.pending ?? 0;
}

/**
 * Takes pending deliveries for sending (counting the attempt), in one statement. Only one caller can
 * take each: a redelivered queue message, or a second fan-out, finds it no longer pending and it is
 * not among those returned.
 */
export async function claimDeliveries(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .update(newsletterDeliveries)
    .set({ status: 'sending', attempts: sql`${newsletterDeliveries.attempts} + 1` })
    .where(and(inArray(newsletterDeliveries.id, ids), eq(newsletterDeliveries.status, 'pending')))
    .returning({
      id: newsletterDeliveries.id,
      issueId: newsletterDeliveries.issueId,
      subscriberId: newsletterDeliveries.subscriberId,
      attempts: newsletterDeliveries.attempts,
    });
}

export interface DeliveryOutcome {
  id: number;
  status: Exclude<DeliveryStatus, 'sending'>;
  lastError?: string;
  sentAt?: Date;
}

/** Records how each delivery went, in one round trip: one statement for each distinct outcome (a batch's sends share one). */
export async function finishDeliveries(db: Db, outcomes: DeliveryOutcome[]): Promise<void> {
  const alike = new Map<string, { outcome: DeliveryOutcome; ids: number[] }>();
  for (const outcome of outcomes) {
    const key = JSON.stringify([outcome.status, outcome.lastError ?? null, outcome.sentAt?.getTime() ?? null]);
    const group = alike.get(key);
    if (group) group.ids.push(outcome.id);
    else alike.set(key, { outcome, ids: [outcome.id] });
  }
  const [first, ...rest] = [...alike.values()].map(({ outcome, ids }) =>
    db
      .update(newsletterDeliveries)
      .set({ status: outcome.status, lastError: outcome.lastError ?? null, sentAt: outcome.sentAt ?? null })
      .where(inArray(newsletterDeliveries.id, ids)),
  );
  if (first) await db.batch([first, ...rest]);
}
