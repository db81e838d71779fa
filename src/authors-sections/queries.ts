import { and, asc, eq, sql } from 'drizzle-orm';
import { joinedColumns } from '../db/articles';
import type { Db } from '../db/client';
import {
  articles,
  articleTags,
  authors,
  type ListingKind,
  listingRedirects,
  sections,
  staffMembers,
  tags,
} from '../db/schema';
import { movedInOrder } from '../lib/order';
import { publishMedia } from '../media/queries';
import type { ListingInput } from './input';

const TABLES = {
  section: {
    table: sections,
    text: sections.description,
    photo: sql<string | null>`null`,
    articleColumn: articles.sectionId,
    sql: 'sections',
    fk: 'section_id',
  },
  author: {
    table: authors,
    text: authors.bio,
    photo: authors.photoHash,
    articleColumn: articles.authorId,
    sql: 'authors',
    fk: 'author_id',
  },
} as const;

/** Every section (in navigation order) or author (by name), with how many articles it has, published and all. */
export function listingRowsQuery(db: Db, kind: ListingKind) {
  const { table, text, photo } = TABLES[kind];
  // Spelled out: in a one-table query drizzle leaves columns unqualified, and `id` would be the article's.
  const uses = sql.raw(`from articles where articles.${TABLES[kind].fk} = ${TABLES[kind].sql}.id`);
  return db
    .select({
      id: table.id,
      slug: table.slug,
      name: table.name,
      text,
      photoHash: sql<string | null>`${photo}`.as('photo_hash'),
      published: sql<number>`(select count(*) ${uses} and articles.status = 'published')`,
      articles: sql<number>`(select count(*) ${uses})`,
    })
    .from(table)
    .orderBy(...(kind === 'section' ? [asc(sections.position), asc(sections.name)] : [asc(authors.name)]));
}
export type ListingRow = Awaited<ReturnType<typeof listingRowsQuery>>[number];

export async function listingRow(db: Db, kind: ListingKind, id: number): Promise<ListingRow | undefined> {
  return (await listingRowsQuery(db, kind)).find((row) => row.id === id);
}

/** The slug of a former address is free again once a section or author takes it. */
const freeSlug = (db: Db, kind: ListingKind, slug: string) =>
  db.delete(listingRedirects).where(and(eq(listingRedirects.kind, kind), eq(listingRedirects.oldSlug, slug)));

const redirect = (db: Db, kind: ListingKind, oldSlug: string, targetId: number) =>
  db
    .insert(listingRedirects)
    .values({ kind, oldSlug, targetId })
    .onConflictDoUpdate({ target: [listingRedirects.kind, listingRedirects.oldSlug], set: { targetId } });

/** A new section goes last in the navigation. */
/** An author's page is public at once, and so is its photo. */
const photoShown = (db: Db, photo: string | null | undefined) => (photo ? [publishMedia(db, [photo], new Date())] : []);

export async function createListing(db: Db, kind: ListingKind, input: ListingInput): Promise<void> {
  const { name, slug, text, photo } = input;
  const insert =
    kind === 'section'
      ? db.insert(sections).values({
          name,
          slug,
          description: text,
          position: sql`(select coalesce(max(${sections.position}), -1) + 1 from ${sections})`,
        })
      : db.insert(authors).values({ name, slug, bio: text, photoHash: photo });
  await db.batch([insert, freeSlug(db, kind, slug), ...photoShown(db, photo)]);
}

/** Renames; a changed slug keeps the old one as a redirect. Throws on a slug another one has (UNIQUE). */
export async function updateListing(db: Db, kind: ListingKind, before: ListingRow, input: ListingInput): Promise<void> {
  const { name, slug, text, photo } = input;
  const update =
    kind === 'section'
      ? db.update(sections).set({ name, slug, description: text }).where(eq(sections.id, before.id))
      : db.update(authors).set({ name, slug, bio: text, photoHash: photo }).where(eq(authors.id, before.id));
  const renamed = slug === before.slug ? [] : [freeSlug(db, kind, slug), redirect(db, kind, before.slug, before.id)];
  await db.batch([update, ...renamed, ...photoShown(db, photo)]);
}

/**
 * Moves every article (and, for an author, every staff member's byline) of `from` to `into`, points
 * `from`'s address and its former ones at `into`, and deletes `from`: one batch, so all or nothing.
 */
export async function mergeListing(db: Db, kind: ListingKind, from: ListingRow, into: ListingRow): Promise<void> {
  const { table, articleColumn } = TABLES[kind];
  const moveArticles =
    kind === 'section'
      ? db.update(articles).set({ sectionId: into.id }).where(eq(articleColumn, from.id))
      : db.update(articles).set({ authorId: into.id }).where(eq(articleColumn, from.id));
  const bylines = db.update(staffMembers).set({ authorId: into.id }).where(eq(staffMembers.authorId, from.id));
  await db.batch([
    moveArticles,
    ...(kind === 'author' ? [bylines] : []),
    db
      .update(listingRedirects)
      .set({ targetId: into.id })
      .where(and(eq(listingRedirects.kind, kind), eq(listingRedirects.targetId, from.id))),
    redirect(db, kind, from.slug, into.id),
    db.delete(table).where(eq(table.id, from.id)),
  ]);
}

/** Deletes one that no article uses (the caller checks), and its former addresses. */
export async function deleteListing(db: Db, kind: ListingKind, row: ListingRow): Promise<void> {
  const { table } = TABLES[kind];
  await db.batch([
    db.delete(listingRedirects).where(and(eq(listingRedirects.kind, kind), eq(listingRedirects.targetId, row.id))),
    db.delete(table).where(eq(table.id, row.id)),
  ]);
}

/**
 * Swaps a section with its neighbour in the navigation (positions renumbered 0…n-1, so ties never
 * stall a move); the first cannot go up nor the last down. False when there is no such section.
 */
export async function moveSection(db: Db, id: number, direction: 'up' | 'down'): Promise<boolean> {
  const ids = (await listingRowsQuery(db, 'section')).map((row) => row.id);
  const order = movedInOrder(ids, id, direction);
  if (!order) return false;
  if (order === ids) return true;
  const [first, ...rest] = order.map((sectionId, position) =>
    db.update(sections).set({ position }).where(eq(sections.id, sectionId)),
  );
  await db.batch([first!, ...rest]);
  return true;
}

/** Where an author's published articles are: their addresses (slug, date), sections and tags, for the purge. */
export async function authorArticleLocations(db: Db, authorId: number) {
  const [located, tagged] = await db.batch([
    db
      .select({ slug: articles.slug, publishedAt: articles.publishedAt, sectionSlug: joinedColumns.sectionSlug })
      .from(articles)
      .innerJoin(sections, eq(sections.id, articles.sectionId))
      .where(and(eq(articles.authorId, authorId), eq(articles.status, 'published'))),
    db
      .selectDistinct({ slug: tags.slug })
      .from(tags)
      .innerJoin(articleTags, eq(articleTags.tagId, tags.id))
      .innerJoin(articles, eq(articles.id, articleTags.articleId))
      .where(and(eq(articles.authorId, authorId), eq(articles.status, 'published'))),
  ]);
  return { articles: located, tagSlugs: tagged.map((tag) => tag.slug) };
}
