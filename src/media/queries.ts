import { count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { media, staffMembers } from '../db/schema';
import { imageSources } from '../lib/markdown';
import { mediaHashOf } from './keys';
import type { ImageSizes } from './responsive';

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
        uploader: staffMembers.name,
      })
      .from(media)
      .leftJoin(staffMembers, eq(staffMembers.id, media.uploadedBy))
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

/**
 * The sizes of the media-library images an article's Markdown shows, in one query whatever their
 * number (the hashes go as one JSON parameter: D1 binds at most 100); none when it shows none.
 */
export async function bodyImageSizes(db: Db, markdown: string): Promise<ImageSizes> {
  const hashes = [...new Set(imageSources(markdown).map(mediaHashOf))].filter((hash) => hash !== undefined);
  if (hashes.length === 0) return new Map();
  const rows = await db
    .select({ hash: media.hash, width: media.width, height: media.height })
    .from(media)
    .where(sql`${media.hash} IN (SELECT value FROM json_each(${JSON.stringify(hashes)}))`);
  return new Map(rows.map(({ hash, ...size }) => [hash, size]));
}
