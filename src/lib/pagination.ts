import { type SQLWrapper, sql } from 'drizzle-orm';
import { z } from 'zod';

/** A positive whole number in its one canonical spelling (`7`, never `07`, `7.0` or `+7`), up to `digits` digits. */
export const canonicalPositiveInteger = (digits: number) =>
  z
    .string()
    .regex(new RegExp(`^[1-9][0-9]{0,${digits - 1}}$`))
    .transform(Number);

/** `?page=N`: a whole number from 1 in its canonical spelling; absent means the first page. */
export const pageNumber = canonicalPositiveInteger(6).default(1);

/** How many pages `total` items make at `perPage` a page; an empty list still has its first page. */
export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));

/**
 * A place in a list ordered newest first by (a time, an id): the last row a page showed, which the next
 * page starts after. It names a position, not a row, so a page's address keeps working when that row is
 * edited or deleted. Spelled `<milliseconds>.<id>` in addresses.
 */
export interface Place {
  at: number;
  id: number;
}

/** `<milliseconds>.<id>`, each a whole number in its canonical spelling. */
export const placeParam = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})\.([1-9][0-9]{0,14})$/)
  .transform((text): Place => {
    const [at, id] = text.split('.').map(Number) as [number, number];
    return { at, id };
  });

export const placeText = ({ at, id }: Place) => `${at}.${id}`;

/** `(time, id)` compared with a place: a row value, which SQLite seeks in an index on the time (and rowid). */
export const comparedWithPlace = (time: SQLWrapper, id: SQLWrapper, operator: '<' | '>=', { at, id: placeId }: Place) =>
  sql`(${time}, ${id}) ${sql.raw(operator)} (${at}, ${placeId})`;

/**
 * The links of a keyset page, from the page's rows read after `after` (up to perPage + 1: one more says
 * there is an older page) and the rows at or before `after` read the other way, nearest first (up to
 * perPage + 1). `older`: where the older page starts (none on the last page). `newer`: undefined on the
 * first page; `{}` when the newer page is the first; else where it starts, so that it ends at `after`.
 */
export function keysetLinks<Row, P extends Place, Newer = Row>(
  rows: readonly Row[],
  newerRows: readonly Newer[],
  { perPage, after, placeOf }: { perPage: number; after: P | undefined; placeOf: (row: Row | Newer) => P },
): { rows: Row[]; older?: P; newer?: { after?: P } } {
  const page = rows.slice(0, perPage);
  const older = rows.length > perPage ? placeOf(page.at(-1)!) : undefined;
  if (after === undefined) return { rows: page, older };
  const newerStart = newerRows[perPage];
  return { rows: page, older, newer: newerStart ? { after: placeOf(newerStart) } : {} };
}
