import { count, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { editors, media } from '../db/schema';
import { mediaHashOf } from './keys';

export type MediaRow = typeof media.$inferSelect;

export function mediaByHashQuery(db: Db, hash: string) {
  return db.select().from(media).where(eq(media.hash, hash)).limit(1);
}

/** Records an upload; the same bytes uploaded again keep their first row (its alt text and credit). */
export async function recordMedia(db: Db, row: typeof media.$inferInsert): Promise<MediaRow> {
  await db.insert(media).values(row).onConflictDoNothing({ target: media.hash });
  const [stored] = await mediaByHashQuery(db, row.hash);
  return stored!;
}

/** One page of the library, newest first, with the uploader's name; and how many there are. */
export function mediaLibraryQueries(db: Db, { page, perPage }: { page: number; perPage: number }) {
  return [
    db
      .select({
        hash: media.hash,
        type: media.type,
        width: media.width,
        height: media.height,
        bytes: media.bytes,
        alt: media.alt,
        credit: media.credit,
        createdAt: media.createdAt,
        uploader: editors.name,
      })
      .from(media)
      .leftJoin(editors, eq(editors.id, media.uploadedBy))
      .orderBy(desc(media.createdAt), desc(media.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db.select({ total: count() }).from(media),
  ] as const;
}
export type MediaLibraryRow = Awaited<ReturnType<typeof mediaLibraryQueries>[0]>[number];

/** The size of the image at this address when it is in the media library; unknown (null) for any other address. */
export async function mediaDimensions(
  db: Db,
  url: string | null,
): Promise<{ width: number | null; height: number | null }> {
  const hash = mediaHashOf(url);
  const [row] = hash
    ? await db.select({ width: media.width, height: media.height }).from(media).where(eq(media.hash, hash)).limit(1)
    : [];
  return row ?? { width: null, height: null };
}
