import { and, count, desc, eq, exists, gt, inArray, isNotNull, isNull, lte, max } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type IssueStatus,
  newsletterDeliveries,
  newsletterIssues,
} from '../db/schema';

export type IssueDraft = Pick<
  typeof newsletterIssues.$inferInsert,
  'week' | 'number' | 'subject' | 'html' | 'text' | 'preheader' | 'intro' | 'closing' | 'articleIds'
>;

/**
 * Records the week's issue, or keeps the one already recorded for that week (the cron fired twice):
 * either way returns the week's issue. Undefined only if another week's issue took the number meanwhile.
 */
export async function recordIssue(db: Db, draft: IssueDraft) {
  const [, [issue]] = await db.batch([
    db.insert(newsletterIssues).values(draft).onConflictDoNothing(),
    db.select().from(newsletterIssues).where(eq(newsletterIssues.week, draft.week)),
  ]);
  return issue;
}

export async function nextIssueNumber(db: Db): Promise<number> {
  const [row] = await db.select({ last: max(newsletterIssues.number) }).from(newsletterIssues);
  return (row?.last ?? 0) + 1;
}

export async function issueForWeek(db: Db, week: string) {
  const [issue] = await db.select().from(newsletterIssues).where(eq(newsletterIssues.week, week));
  return issue;
}

export async function issueByNumber(db: Db, number: number) {
  const [issue] = await db.select().from(newsletterIssues).where(eq(newsletterIssues.number, number));
  return issue;
}

export async function issueById(db: Db, id: number) {
  const [issue] = await db.select().from(newsletterIssues).where(eq(newsletterIssues.id, id));
  return issue;
}

/**
 * Changes an issue only if its status is one of `from` (one statement, so two editors, or an editor and
 * the cron, cannot both act on it); returns the changed issue, or undefined if it was not in `from`.
 */
export async function transitionIssue(
  db: Db,
  id: number,
  from: IssueStatus[],
  set: Partial<typeof newsletterIssues.$inferInsert>,
) {
  const [issue] = await db
    .update(newsletterIssues)
    .set(set)
    .where(and(eq(newsletterIssues.id, id), inArray(newsletterIssues.status, from)))
    .returning();
  return issue;
}

/** Scheduled issues whose time has come (newsletter_issues_status_idx). */
export function dueScheduledIssues(db: Db, now: Date) {
  return db
    .select()
    .from(newsletterIssues)
    .where(and(eq(newsletterIssues.status, 'scheduled'), lte(newsletterIssues.scheduledAt, now)));
}

/**
 * Moves a local-hour issue's queued-until mark from `from` to `to` if nobody moved it meanwhile; true
 * when this call moved it (and so queues that stretch of deliveries).
 */
export async function advanceQueuedUntil(db: Db, id: number, from: Date | null, to: Date): Promise<boolean> {
  const moved = await db
    .update(newsletterIssues)
    .set({ queuedUntil: to })
    .where(
      and(
        eq(newsletterIssues.id, id),
        from ? eq(newsletterIssues.queuedUntil, from) : isNull(newsletterIssues.queuedUntil),
      ),
    )
    .returning({ id: newsletterIssues.id });
  return moved.length > 0;
}

/**
 * Sent local-hour issues with pending copies due after what is queued (newsletter_issues_status_idx,
 * then newsletter_deliveries_issue_status_idx: an issue with none pending reads no delivery row). Copies
 * added by a later run of the send (subscribers confirmed since) count too, however late they are due.
 */
export function localHourIssuesToQueue(db: Db, now: Date) {
  return db
    .select()
    .from(newsletterIssues)
    .where(
      and(
        eq(newsletterIssues.status, 'sent'),
        isNotNull(newsletterIssues.localHour),
        lte(newsletterIssues.sentAt, now),
        exists(
          db
            .select({ id: newsletterDeliveries.id })
            .from(newsletterDeliveries)
            .where(
              and(
                eq(newsletterDeliveries.issueId, newsletterIssues.id),
                eq(newsletterDeliveries.status, 'pending'),
                gt(newsletterDeliveries.dueAt, newsletterIssues.queuedUntil),
              ),
            ),
        ),
      ),
    );
}

/** The latest issues, any status, newest first, for the editors' list. */
export function latestIssues(db: Db, limit: number) {
  return db.select().from(newsletterIssues).orderBy(desc(newsletterIssues.number)).limit(limit);
}

/** What the archive shows of an issue. */
const archiveColumns = {
  number: newsletterIssues.number,
  subject: newsletterIssues.subject,
  sentAt: newsletterIssues.sentAt,
  snapshot: newsletterIssues.snapshot,
  text: newsletterIssues.text,
  paidOnly: newsletterIssues.paidOnly,
};

/** The sent issues, newest first: the archive. */
export function sentIssues(db: Db, limit: number) {
  return db
    .select(archiveColumns)
    .from(newsletterIssues)
    .where(eq(newsletterIssues.status, 'sent'))
    .orderBy(desc(newsletterIssues.number))
    .limit(limit);
}

export type SentIssue = Awaited<ReturnType<typeof sentIssues>>[number];

export async function sentIssueByNumber(db: Db, number: number): Promise<SentIssue | undefined> {
  const [issue] = await db
    .select(archiveColumns)
    .from(newsletterIssues)
    .where(and(eq(newsletterIssues.number, number), eq(newsletterIssues.status, 'sent')));
  return issue;
}

export type DeliveryCounts = Record<DeliveryStatus, number>;

export const noDeliveries = () => Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as DeliveryCounts;

/** Each issue's deliveries by status (newsletter_deliveries_issue_status_idx); `ids` at most a few dozen. */
export async function deliveryCounts(db: Db, ids: number[]): Promise<Map<number, DeliveryCounts>> {
  const counts = new Map<number, DeliveryCounts>();
  if (ids.length === 0) return counts;
  const rows = await db
    .select({ issueId: newsletterDeliveries.issueId, status: newsletterDeliveries.status, total: count() })
    .from(newsletterDeliveries)
    .where(inArray(newsletterDeliveries.issueId, ids))
    .groupBy(newsletterDeliveries.issueId, newsletterDeliveries.status);
  for (const row of rows) {
    const issue = counts.get(row.issueId) ?? noDeliveries();
    issue[row.status] = row.total;
    counts.set(row.issueId, issue);
  }
  return counts;
}
