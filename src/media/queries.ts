import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { articleRevisions, articles, authors, media, staffMembers } from '../db/schema';
import { imageSources } from '../lib/markdown';
import { comparedWithPlace, type Place } from '../lib/pagination';
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

/**
 * One page of the library, newest first, with the uploader's name: perPage + 1 uploads after `after`
 * (one more says there is an older page), and the newer page's start, read the other way from `after`.
 * Keyset pages of media_created_idx: a deep page reads what the first does. No total: it would count
 * the whole table on every request.
 */
export function mediaLibraryQueries(db: Db, { after, perPage }: { after?: Place; perPage: number }) {
  return [
    db
      .select({
        id: media.id,
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
      .where(after && comparedWithPlace(media.createdAt, media.id, '<', after))
      .orderBy(desc(media.createdAt), desc(media.id))
      .limit(perPage + 1),
    db
      .select({ id: media.id, createdAt: media.createdAt })
      .from(media)
      .where(after ? comparedWithPlace(media.createdAt, media.id, '>=', after) : sql`0`)
      .orderBy(asc(media.createdAt), asc(media.id))
      .limit(perPage + 1),
  ] as const;
}
export type MediaLibraryRow = Awaited<ReturnType<typeof mediaLibraryQueries>[0]>[number];

/**
 * Whether anything shows the image: an article's hero or body (published or not), a revision an
 * editor may restore, or an author's photo. Such an image cannot be deleted.
 */
export async function mediaInUse(db: Db, hash: string): Promise<boolean> {
  // instr, not LIKE: D1 refuses a LIKE pattern over 50 characters ("pattern too complex").
  const address = `/media/${hash}/`;
  const [inArticle, inRevision, asPhoto] = await db.batch([
    db
      .select({ id: articles.id })
      .from(articles)
      .where(sql`instr(${articles.heroImageUrl}, ${address}) > 0 OR instr(${articles.bodyMarkdown}, ${address}) > 0`)
      .limit(1),
    db
      .select({ id: articleRevisions.id })
      .from(articleRevisions)
      .where(sql`instr(${articleRevisions.bodyMarkdown}, ${address}) > 0`)
      .limit(1),
    db.select({ id: authors.id }).from(authors).where(eq(authors.photoHash, hash)).limit(1),
  ]);
  return inArticle.length + inRevision.length + asPhoto.length > 0;
}

/** The library images an article shows: its hero and the images in its body. */
export function mediaShownBy({ heroImageUrl, bodyMarkdown }: { heroImageUrl: string | null; bodyMarkdown: string }) {
  return [heroImageUrl, ...imageSources(bodyMarkdown)].map(mediaHashOf).filter((hash) => hash !== undefined);
}

/**
 * Lets readers see these images from `at` on (an earlier time already set stands): what a published
 * article or an author's page shows. One statement, to run alone or in a batch.
 */
export function publishMedia(db: Db, hashes: string[], at: Date) {
  return db
    .update(media)
    .set({ publicAt: sql`min(coalesce(${media.publicAt}, ${at.getTime()}), ${at.getTime()})` })
    .where(sql`${media.hash} IN (SELECT value FROM json_each(${JSON.stringify([...new Set(hashes)])}))`);
}

/** Whether readers may see an image now; undefined when the library has no such image. */
export async function mediaIsPublic(db: Db, hash: string, now: Date): Promise<boolean | undefined> {
  const [row] = await db.select({ publicAt: media.publicAt }).from(media).where(eq(media.hash, hash)).limit(1);
  return row && row.publicAt !== null && row.publicAt <= now;
}

/** Deletes an image's row; its hash, if there was one. */
export async function deleteMediaRow(db: Db, hash: string): Promise<boolean> {
  const deleted = await db.delete(media).where(eq(media.hash, hash)).returning({ id: media.id });
  return deleted.length > 0;
}

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
