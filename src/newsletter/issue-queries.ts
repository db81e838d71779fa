import { eq, max } from 'drizzle-orm';
import type { Db } from '../db/client';
import { newsletterIssues } from '../db/schema';

export interface IssueDraft {
  week: string;
  number: number;
  subject: string;
  html: string;
  text: string;
}

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
