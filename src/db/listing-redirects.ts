import { and, eq } from 'drizzle-orm';
import type { Db } from './client';
import { authors, type ListingKind, listingRedirects, sections } from './schema';

/** The current slug of the section or author that `oldSlug` was (renamed, or merged into another), if any. */
export async function redirectedListingSlug(db: Db, kind: ListingKind, oldSlug: string): Promise<string | undefined> {
  const table = kind === 'section' ? sections : authors;
  const [found] = await db
    .select({ slug: table.slug })
    .from(listingRedirects)
    .innerJoin(table, eq(table.id, listingRedirects.targetId))
    .where(and(eq(listingRedirects.kind, kind), eq(listingRedirects.oldSlug, oldSlug)));
  return found?.slug;
}
