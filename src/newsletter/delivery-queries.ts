import { and, asc, count, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type DeliveryStatus, members, type NewsletterIssue, newsletterDeliveries, subscribers } from '../db/schema';

/** When each time zone's copies are due (epoch ms, by IANA name), and everyone else's: those of subscribers with no zone. */
export interface DueTimes {
  byZone: Record<string, number>;
  otherwise: number;
}

/** The subscribers whose member has paid access at `now` (members_paid_until_idx: paid members only are read). */
const paidSubscriberIds = (now: Date) =>
  sql`select ${members.subscriberId} from ${members} where ${members.paidUntil} > ${now.getTime()}`;

/**
 * Adds a pending delivery of the issue for every confirmed subscriber who has none yet (of a paid-only
 * issue, every one whose member has paid access now), due at once or at the time `due` gives their time
 * zone; returns how many were added.
 */
export async function addDeliveries(
  db: Db,
  issue: Pick<NewsletterIssue, 'id' | 'paidOnly'>,
  now: Date,
  due?: DueTimes,
): Promise<number> {
  const column = (name: string) => sql.identifier(name);
  const recipients = issue.paidOnly
    ? sql`${subscribers.status} = 'confirmed' and ${subscribers.id} in (${paidSubscriberIds(now)})`
    : sql`${subscribers.status} = 'confirmed'`;
  const result = await db.run(
    due
      ? sql`insert into ${newsletterDeliveries} (${column(newsletterDeliveries.issueId.name)}, ${column(newsletterDeliveries.subscriberId.name)}, ${column(newsletterDeliveries.dueAt.name)})
            select ${issue.id}, ${subscribers.id}, coalesce(zone.value, ${due.otherwise}) from ${subscribers}
            left join json_each(${JSON.stringify(due.byZone)}) as zone on zone.key = ${subscribers.timeZone}
            where ${recipients}
            on conflict do nothing`
      : sql`insert into ${newsletterDeliveries} (${column(newsletterDeliveries.issueId.name)}, ${column(newsletterDeliveries.subscriberId.name)})
            select ${issue.id}, ${subscribers.id} from ${subscribers} where ${recipients}
            on conflict do nothing`,
  );
  return result.meta.changes;
}

/** Of these subscribers, those whose member has paid access at `now` (members_subscriber_idx). */
export async function withPaidAccess(db: Db, subscriberIds: number[], now: Date): Promise<Set<number>> {
  if (subscriberIds.length === 0) return new Set();
  const rows = await db
    .select({ id: members.subscriberId })
    .from(members)
    .where(and(inArray(members.subscriberId, subscriberIds), gt(members.paidUntil, now)));
  return new Set(rows.map((row) => row.id!));
}

/** The time zones confirmed subscribers chose (null: none, the site's). */
export async function subscriberTimeZones(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ timeZone: subscribers.timeZone })
    .from(subscribers)
    .where(eq(subscribers.status, 'confirmed'));
  return rows.flatMap((row) => (row.timeZone ? [row.timeZone] : []));
}

/** Deliveries due after `after` and up to `until` (epoch ms); the fan-out of an issue with a local hour pages through one such window at a time. */
export interface DueWindow {
  after: number;
  until: number;
}

/** The issue's pending deliveries after `afterId` (and due in `window`, if given), in id order, for the fan-out to page through. */
export async function pendingDeliveryIds(
  db: Db,
  { issueId, afterId, limit, window }: { issueId: number; afterId: number; limit: number; window?: DueWindow },
) {
  return db
    .select({ id: newsletterDeliveries.id, dueAt: newsletterDeliveries.dueAt })
    .from(newsletterDeliveries)
    .where(
      and(
        eq(newsletterDeliveries.issueId, issueId),
        eq(newsletterDeliveries.status, 'pending'),
        gt(newsletterDeliveries.id, afterId),
        window && gt(newsletterDeliveries.dueAt, new Date(window.after)),
        window && lte(newsletterDeliveries.dueAt, new Date(window.until)),
      ),
    )
    .orderBy(asc(newsletterDeliveries.id))
    .limit(limit);
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
