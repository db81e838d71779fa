import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';
import { articles, articleTags, authors, media, sections, tags } from './schema';

/**
 * What readers may see: published, and not scheduled for later. A scheduled article appears by itself once
 * its time comes; cached pages catch up within a minute (purgeDueArticles, the every-minute Cron Trigger).
 */
export const isPublished = sql`(${articles.status} = 'published' and ${articles.publishedAt} <= cast(unixepoch('subsec') * 1000 as integer))`;
/** Published with a time still to come: shown when it comes. */
export const isScheduled = sql`(${articles.status} = 'published' and ${articles.publishedAt} > cast(unixepoch('subsec') * 1000 as integer))`;

/**
 * A joined column under its own name. drizzle's D1 `batch` maps rows by position after D1 has keyed
 * them by column name, so two columns both called `slug` would silently overwrite each other.
 */
const aliased = <T>(column: SQLiteColumn, name: string) => sql<T>`${column}`.as(name);

export const joinedColumns = {
  authorName: aliased<string>(authors.name, 'author_name'),
  authorSlug: aliased<string>(authors.slug, 'author_slug'),
  sectionName: aliased<string>(sections.name, 'section_name'),
  sectionSlug: aliased<string>(sections.slug, 'section_slug'),
};

/** An article's hero image: its page shows it, lists show it as a thumbnail. */
const heroColumns = {
  heroImageUrl: articles.heroImageUrl,
  heroImageAlt: articles.heroImageAlt,
  heroImageWidth: articles.heroImageWidth,
  heroImageHeight: articles.heroImageHeight,
};

/** What a list of articles shows of each (home, listings, search results). */
export const summaryColumns = {
  id: articles.id,
  slug: articles.slug,
  headline: articles.headline,
  standfirst: articles.standfirst,
  publishedAt: articles.publishedAt,
  ...heroColumns,
  ...joinedColumns,
  commentCount: articles.commentCount,
};

function summaries(db: Db) {
  return db
    .select(summaryColumns)
    .from(articles)
    .innerJoin(authors, eq(authors.id, articles.authorId))
    .innerJoin(sections, eq(sections.id, articles.sectionId));
}

export type ArticleSummary = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];

/**
 * Which articles a listing shows: all (home), those matching a condition on `articles` (a section, an
 * author), or a tag's, read through `article_tags` (which carries each article's status and publication
 * time, so a tag's page is one range of its index however large the tag).
 */
export type Listing = { where?: SQL } | { tagSlug: string };

/** The columns a listing is ordered and cut by: the article's own, or their copies in `article_tags`. */
function listingColumns(listing: Listing) {
  return 'tagSlug' in listing
    ? { status: articleTags.status, publishedAt: articleTags.publishedAt, id: articleTags.articleId }
    : { status: articles.status, publishedAt: articles.publishedAt, id: articles.id };
}

function listingCondition(listing: Listing, extra: SQL | undefined) {
  const { status, publishedAt } = listingColumns(listing);
  // Unary + keeps "not scheduled for later" out of the index range, so the range SQLite seeks is the
  // anchor's (a deep page starts at its anchor, not at the newest article and walks down to it).
  const published = sql`(${status} = 'published' and +${publishedAt} <= cast(unixepoch('subsec') * 1000 as integer))`;
  const narrowed =
    'tagSlug' in listing
      ? eq(articleTags.tagId, sql`(select ${tags.id} from ${tags} where ${tags.slug} = ${listing.tagSlug})`)
      : listing.where;
  return and(published, narrowed, extra);
}

/** (publication time, id) compared with an anchor article's: a row value, which SQLite seeks in the index. */
const comparedWith = (listing: Listing, operator: '<' | '>=', anchorId: number) => {
  const { publishedAt, id } = listingColumns(listing);
  return sql`(${publishedAt}, ${id}) ${sql.raw(operator)} (select anchor.published_at, anchor.id from ${articles} as anchor where anchor.id = ${anchorId})`;
};

/**
 * A page of a listing, newest first: `limit` articles, those after the anchor article `after` (the last
 * one the page before showed) when there is one. Keyset pagination: the page is read from the index
 * where it starts, so the thousandth page costs what the first does, and its address (`?after=<id>`)
 * shows the same articles however many are published meanwhile.
 */
export function publishedArticlesQuery(
  db: Db,
  { limit, listing = {}, after }: { limit: number; listing?: Listing; after?: number },
) {
  const { publishedAt, id } = listingColumns(listing);
  const query = summaries(db);
  const joined = 'tagSlug' in listing ? query.innerJoin(articleTags, eq(articleTags.articleId, articles.id)) : query;
  return joined
    .where(listingCondition(listing, after === undefined ? undefined : comparedWith(listing, '<', after)))
    .orderBy(desc(publishedAt), desc(id))
    .limit(limit);
}

/**
 * The anchor article itself and up to `perPage` newer ones, oldest first: whether the anchor is in the
 * listing at all (the first id is the anchor's), and where the newer page starts (after the last id,
 * when there are more than `perPage`; otherwise the newer page is the first). Nothing, and nothing
 * read, on the first page (no anchor).
 */
export function newerArticleIdsQuery(
  db: Db,
  { perPage, listing = {}, after }: { perPage: number; listing?: Listing; after: number | undefined },
) {
  const { publishedAt, id } = listingColumns(listing);
  const from = 'tagSlug' in listing ? db.select({ id }).from(articleTags) : db.select({ id }).from(articles);
  return from
    .where(listingCondition(listing, after === undefined ? sql`0` : comparedWith(listing, '>=', after)))
    .orderBy(publishedAt, id)
    .limit(perPage + 1);
}

/** Any article, draft or scheduled too, as its page would show it: for the editors' preview. */
export function articleDetailByIdQuery(db: Db, id: number) {
  return articleDetailQuery(db, eq(articles.id, id));
}

/** What an article's own page shows beyond its summary. */
export const detailColumns = {
  bodyHtml: articles.bodyHtml,
  access: articles.access,
  teaserHtml: articles.teaserHtml,
  /** The author's photo (a left join on media): shown beside the byline. */
  authorPhotoHash: media.hash,
  authorPhotoWidth: media.width,
  authorPhotoHeight: media.height,
  ...heroColumns,
  heroImageCredit: articles.heroImageCredit,
  commentsClosed: articles.commentsClosed,
  createdAt: articles.createdAt,
  updatedAt: articles.updatedAt,
  metaTitle: articles.metaTitle,
  metaDescription: articles.metaDescription,
  socialTitle: articles.socialTitle,
  socialDescription: articles.socialDescription,
  canonicalUrl: articles.canonicalUrl,
  noindex: articles.noindex,
};

function articleDetails(db: Db) {
  return db
    .select({ ...summaryColumns, ...detailColumns })
    .from(articles)
    .innerJoin(authors, eq(authors.id, articles.authorId))
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .leftJoin(media, eq(media.hash, authors.photoHash));
}

function articleDetailQuery(db: Db, where: SQL | undefined) {
  return articleDetails(db).where(where).limit(1);
}

/** The latest published articles with their bodies, newest first, of a listing (all, a section's, an author's, a tag's): for feeds. */
export function latestPublishedArticlesQuery(db: Db, { limit, listing = {} }: { limit: number; listing?: Listing }) {
  const { publishedAt, id } = listingColumns(listing);
  const query = articleDetails(db);
  const joined = 'tagSlug' in listing ? query.innerJoin(articleTags, eq(articleTags.articleId, articles.id)) : query;
  return joined.where(listingCondition(listing, undefined)).orderBy(desc(publishedAt), desc(id)).limit(limit);
}

export type ArticleDetail = Awaited<ReturnType<ReturnType<typeof articleDetailQuery>['execute']>>[number];

/** Where an article shows up, so its cached pages can be found and purged. */
export async function articleLocation(db: Db, articleId: number): Promise<ArticleLocation | undefined> {
  const [found] = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      publishedAt: articles.publishedAt,
      sectionSlug: joinedColumns.sectionSlug,
      authorSlug: joinedColumns.authorSlug,
    })
    .from(articles)
    .innerJoin(authors, eq(authors.id, articles.authorId))
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(eq(articles.id, articleId));
  if (!found) return undefined;
  const tagRows = await db
    .select({ id: tags.id, slug: tags.slug })
    .from(articleTags)
    .innerJoin(tags, eq(tags.id, articleTags.tagId))
    .where(eq(articleTags.articleId, articleId));
  return { ...found, tagSlugs: tagRows.map((tag) => tag.slug), tagIds: tagRows.map((tag) => tag.id) };
}

export interface ArticleLocation {
  id: number;
  slug: string;
  publishedAt: Date | null;
  sectionSlug: string;
  authorSlug: string;
  tagSlugs: string[];
  tagIds: number[];
}

/** Narrowing conditions for the listing pages; each matches nothing when the slug is unknown. */
export const inSection = (slug: string) =>
  eq(articles.sectionId, sql`(select ${sections.id} from ${sections} where ${sections.slug} = ${slug})`);
export const byAuthor = (slug: string) =>
  eq(articles.authorId, sql`(select ${authors.id} from ${authors} where ${authors.slug} = ${slug})`);

export function sectionBySlugQuery(db: Db, slug: string) {
  return db
    .select({ name: sections.name, description: sections.description })
    .from(sections)
    .where(eq(sections.slug, slug));
}
export function tagBySlugQuery(db: Db, slug: string) {
  return db.select({ name: tags.name, description: sql<string>`''` }).from(tags).where(eq(tags.slug, slug));
}
/** An author's page: name, bio and photo (its size from the media library). */
export function authorBySlugQuery(db: Db, slug: string) {
  return db
    .select({
      name: authors.name,
      description: authors.bio,
      photoHash: media.hash,
      photoWidth: media.width,
      photoHeight: media.height,
    })
    .from(authors)
    .leftJoin(media, eq(media.hash, authors.photoHash))
    .where(eq(authors.slug, slug));
}

/** Just enough of a published article to attach a comment to it and link back. */
export function publishedArticleRefQuery(db: Db, slug: string) {
  return db
    .select({
      id: articles.id,
      slug: articles.slug,
      publishedAt: articles.publishedAt,
      commentsClosed: articles.commentsClosed,
    })
    .from(articles)
    .where(and(eq(articles.slug, slug), isPublished))
    .limit(1);
}
