import { like, sql } from 'drizzle-orm';
import type { Db } from './client';
import { tallies } from './schema';

type Tallied = 'articles' | 'comments' | 'subscribers';
const tallyOf = (table: Tallied) => like(tallies.name, `${table}:%`);

/** The kept count of each status of `table` (migration 0036): one row a status, never a count of the table. */
export function talliesQuery(db: Db, table: Tallied) {
  return db.select({ name: tallies.name, count: tallies.count }).from(tallies).where(tallyOf(table));
}

/** All of `table`'s rows, as the sum of its tallies. */
export function tallyTotalQuery(db: Db, table: Tallied) {
  return db
    .select({ total: sql<number>`coalesce(sum(${tallies.count}), 0)` })
    .from(tallies)
    .where(tallyOf(table));
}

/** The rows of talliesQuery as counts by status, every status present (zero if none). */
export function byStatus<Status extends string>(
  statuses: readonly Status[],
  rows: { name: string; count: number }[],
): Record<Status, number> {
  const counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<Status, number>;
  for (const row of rows) {
    const status = row.name.slice(row.name.indexOf(':') + 1) as Status;
    if (status in counts) counts[status] = row.count;
  }
  return counts;
}
