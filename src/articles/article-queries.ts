import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { isPublished, isScheduled, joinedColumns } from '../db/articles';
import type { Db } from '../db/client';
import {
  type ArticleAccess,
  articleRevisions,
  articles,
  articleTags,
  authors,
  comments,
  deletedArticles,
  sections,
  slugRedirects,
  tags,
} from '../db/schema';
import { slugRedirectStatements } from '../db/slug-redirects';
import { tallyTotalQuery } from '../db/tallies';
import { slugify } from '../lib/slug';

/**
 * How editors see an article's state: a draft a contributor submitted is in review, a published
 * article with a future date is scheduled.
 */
export const ARTICLE_LIST_STATES = ['draft', 'in review', 'scheduled', 'published'] as const;
export type ArticleListState = (typeof ARTICLE_LIST_STATES)[number];

/** A draft waiting for an editor (the condition of the partial index `articles_review_idx`). */
export const isInReview = and(eq(articles.status, 'draft'), isNotNull(articles.reviewRequestedAt))!;
const stateConditions: Record<ArticleListState, SQL> = {
  draft: and(eq(articles.status, 'draft'), isNull(articles.reviewRequestedAt))!,
  'in review': isInReview,
  scheduled: isScheduled,
  published: isPublished,
};

/** The states few articles are in: their list is read from the status index and sorted. */
const RARE_STATES: readonly ArticleListState[] = ['draft', 'in review', 'scheduled'];

/**
 * One page of articles (drafts included), narrowed by state and section, and the total: the viewer's
 * own drafts (started by them, or under their byline) first, then the most recently edited. `onlyOwn`
 * (for contributors) keeps only the articles they started. Two round trips: how many own drafts there
 * are, then the page's part of them and of the rest, each read in edit order from articles_updated_idx
 * (a unary + keeps SQLite off the section and status indexes, which would sort the whole section or
 * every published article) but for the rare states, a short range of the status index.
 */
export async function articleListPage(
  db: Db,
  {
    state,
    sectionId,
    page,
    perPage,
    viewer,
    onlyOwn = false,
  }: {
    state?: ArticleListState;
    sectionId?: number;
    page: number;
    perPage: number;
    viewer: { id: number; authorId: number | null };
    onlyOwn?: boolean;
  },
) {
  const inEditOrder = state === undefined || !RARE_STATES.includes(state);
  const unindexed = (condition: SQL) => (inEditOrder ? sql`+(${condition})` : condition);
  const where = and(
    state ? unindexed(stateConditions[state]) : undefined,
    sectionId ? unindexed(eq(articles.sectionId, sectionId)) : undefined,
    onlyOwn ? eq(articles.createdBy, viewer.id) : undefined,
  );
  const mine = or(
    eq(articles.createdBy, viewer.id),
    viewer.authorId === null ? undefined : eq(articles.authorId, viewer.authorId),
  );
  const ownDraft = sql`(${and(eq(articles.status, 'draft'), mine)})`;
  const list = (condition: SQL, limit: number, offset: number) =>
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        headline: articles.headline,
        status: articles.status,
        publishedAt: articles.publishedAt,
        updatedAt: articles.updatedAt,
        authorName: joinedColumns.authorName,
        sectionName: joinedColumns.sectionName,
        createdBy: articles.createdBy,
        reviewRequestedAt: articles.reviewRequestedAt,
      })
      .from(articles)
      .innerJoin(authors, eq(authors.id, articles.authorId))
      .innerJoin(sections, eq(sections.id, articles.sectionId))
      .where(and(where, condition))
      .orderBy(desc(articles.updatedAt), desc(articles.id))
      .limit(limit)
      .offset(offset);
  // Every article: the tallies' sum, not a count of the table.
  const total = where ? db.select({ total: count() }).from(articles).where(where) : tallyTotalQuery(db, 'articles');
  // Counted as two seeks (articles_created_by_idx, articles_author_idx), not a read of every draft.
  const ownDraftsWhere = (owner: SQL | undefined) =>
    db
      .select({ total: count() })
      .from(articles)
      .where(and(where, eq(articles.status, 'draft'), owner ?? sql`0`));
  const [[started], [bylined], [counted]] = await db.batch([
    ownDraftsWhere(eq(articles.createdBy, viewer.id)),
    ownDraftsWhere(
      viewer.authorId === null
        ? undefined
        : and(eq(articles.authorId, viewer.authorId), sql`${articles.createdBy} is not ${viewer.id}`),
    ),
    total,
  ]);
  const ownDrafts = (started?.total ?? 0) + (bylined?.total ?? 0);
  const offset = (page - 1) * perPage;
  const draftsHere = Math.max(0, Math.min(perPage, ownDrafts - offset));
  const [first, rest] = await db.batch([
    list(ownDraft, draftsHere, Math.min(offset, ownDrafts)),
    list(sql`not ${ownDraft}`, perPage - draftsHere, Math.max(0, offset - ownDrafts)),
  ]);
  return { rows: [...first, ...rest], total: counted?.total ?? 0 };
}

export type ArticleListRow = Awaited<ReturnType<typeof articleListPage>>['rows'][number];

/** The authors and sections an article can be given, for the editor's selects. */
export function articleOptionsQueries(db: Db) {
  return [
    db.select({ id: authors.id, name: authors.name }).from(authors).orderBy(asc(authors.name)),
    db
      .select({ id: sections.id, name: sections.name })
      .from(sections)
      .orderBy(asc(sections.position), asc(sections.name)),
  ] as const;
}

export type ArticleOption = Awaited<ReturnType<typeof articleOptionsQueries>[0]>[number];

/** An article as the editor's form shows it, with its tag names; undefined if there is no such article. */
export async function articleForEditing(db: Db, id: number) {
  const [[article], tagRows] = await db.batch([
    db.select().from(articles).where(eq(articles.id, id)),
    db
      .select({ name: tags.name })
      .from(articleTags)
      .innerJoin(tags, eq(tags.id, articleTags.tagId))
      .where(eq(articleTags.articleId, id))
      .orderBy(asc(tags.name)),
  ]);
  return article && { ...article, tagNames: tagRows.map((tag) => tag.name) };
}

export type EditedArticle = NonNullable<Awaited<ReturnType<typeof articleForEditing>>>;

export async function articleCommentCount(db: Db, id: number): Promise<number> {
  const [row] = await db.select({ total: count() }).from(comments).where(eq(comments.articleId, id));
  return row?.total ?? 0;
}

/** Who started an article and whether it is a draft, for the contributor's access check. */
export function articleOwnership(db: Db, id: number) {
  return db
    .select({ createdBy: articles.createdBy, status: articles.status })
    .from(articles)
    .where(eq(articles.id, id))
    .get();
}

export async function articleIdBySlug(db: Db, slug: string): Promise<number | undefined> {
  return (await db.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug)).get())?.id;
}

export async function authorAndSectionExist(db: Db, { authorId, sectionId }: { authorId: number; sectionId: number }) {
  const [author, section] = await db.batch([
    db.select({ id: authors.id }).from(authors).where(eq(authors.id, authorId)),
    db.select({ id: sections.id }).from(sections).where(eq(sections.id, sectionId)),
  ]);
  return { author: author.length > 0, section: section.length > 0 };
}

/** The columns the editor's form writes. */
export interface ArticleContent {
  slug: string;
  headline: string;
  standfirst: string;
  bodyMarkdown: string;
  bodyHtml: string;
  access: ArticleAccess;
  teaserHtml: string;
  heroImageUrl: string | null;
  heroImageAlt: string;
  heroImageCredit: string;
  heroImageWidth: number | null;
  heroImageHeight: number | null;
  authorId: number;
  sectionId: number;
  metaTitle: string;
  metaDescription: string;
  socialTitle: string;
  socialDescription: string;
  canonicalUrl: string;
  noindex: number;
}

export async function insertArticle(db: Db, content: ArticleContent, createdBy: number): Promise<number> {
  const [row] = await db
    .insert(articles)
    .values({ ...content, status: 'draft', createdBy })
    .returning({ id: articles.id });
  return row!.id;
}

/**
 * Saves an article's content, its tags (creating the missing ones) and, when a published article
 * changes slug, the redirect from the old one: all in one transaction.
 */
export async function saveArticleContent(
  db: Db,
  id: number,
  {
    content,
    tagNames,
    redirectFrom,
    revision,
  }: {
    content: ArticleContent;
    tagNames: string[];
    redirectFrom?: string;
    revision: {
      /** The revision the save is based on: the new one is base + 1, which a concurrent save has taken if it fails. */
      base: number;
      /** Keep the text the article had before its first revision (articles older than revisions). */
      keepOriginal: boolean;
      savedBy: number;
      savedByName: string;
      restoredFrom: number | null;
    };
  },
) {
  const text = { headline: content.headline, standfirst: content.standfirst, bodyMarkdown: content.bodyMarkdown };
  const original = revision.keepOriginal
    ? [
        db.insert(articleRevisions).select(
          db
            .select({
              id: sql<null>`null`.as('id'),
              articleId: articles.id,
              number: sql<number>`0`.as('number'),
              headline: articles.headline,
              standfirst: articles.standfirst,
              bodyMarkdown: articles.bodyMarkdown,
              savedBy: sql<null>`null`.as('saved_by'),
              savedByName: sql<string>`''`.as('saved_by_name'),
              restoredFrom: sql<null>`null`.as('restored_from'),
              savedAt: articles.updatedAt,
            })
            .from(articles)
            .where(eq(articles.id, id)),
        ),
      ]
    : [];
  const tagStatements = tagNames.length
    ? [
        ...tagNames.map((name) =>
          db
            .insert(tags)
            .values({ slug: slugify(name), name })
            .onConflictDoNothing(),
        ),
        db.insert(articleTags).select(
          db
            .select({
              articleId: articles.id,
              tagId: tags.id,
              status: articles.status,
              publishedAt: articles.publishedAt,
            })
            .from(tags)
            .innerJoin(articles, eq(articles.id, id))
            .where(inArray(tags.slug, tagNames.map(slugify))),
        ),
      ]
    : [];
  const number = revision.base + 1;
  await db.batch([
    db.insert(articleRevisions).values({
      articleId: id,
      number,
      ...text,
      savedBy: revision.savedBy,
      savedByName: revision.savedByName,
      restoredFrom: revision.restoredFrom,
    }),
    ...original,
    db
      .update(articles)
      .set({ ...content, revision: number })
      .where(eq(articles.id, id)),
    db.delete(articleTags).where(eq(articleTags.articleId, id)),
    ...tagStatements,
    ...slugRedirectStatements(db, { articleId: id, oldSlug: redirectFrom, newSlug: content.slug }),
  ]);
}

/**
 * Deletes an article with its comments, tags, redirects and revisions in one transaction; if it was
 * published, its slug and former slugs are remembered so that their addresses answer 410 Gone.
 */
export async function deleteArticle(db: Db, id: number, { wasPublished }: { wasPublished: boolean }) {
  const gone = wasPublished
    ? [
        db
          .insert(deletedArticles)
          .select(
            db
              .select({ slug: articles.slug, deletedAt: sql<number>`${Date.now()}`.as('created_at') })
              .from(articles)
              .where(eq(articles.id, id)),
          )
          .onConflictDoNothing(),
        db
          .insert(deletedArticles)
          .select(
            db
              .select({ slug: slugRedirects.oldSlug, deletedAt: sql<number>`${Date.now()}`.as('created_at') })
              .from(slugRedirects)
              .where(eq(slugRedirects.articleId, id)),
          )
          .onConflictDoNothing(),
      ]
    : [];
  await db.batch([
    db.delete(comments).where(eq(comments.articleId, id)),
    ...gone,
    db.delete(articles).where(eq(articles.id, id)),
  ]);
}

/**
 * Publishes or unpublishes the article, which ends any review (the draft is no longer waiting, and its
 * note is spent); with `revision`, only while it is still that revision (one
 * compare-and-set UPDATE, so a save that lands between the editor's reading and this is never
 * published unseen). What it shows (for its images), or undefined when it did not change.
 */
export async function setArticlePublication(
  db: Db,
  id: number,
  publication: { status: 'draft' | 'published'; publishedAt?: Date },
  revision?: number,
) {
  const [changed] = await db
    .update(articles)
    .set({ ...publication, reviewRequestedAt: null, reviewEmailedAt: null, reviewNote: '' })
    .where(and(eq(articles.id, id), revision === undefined ? undefined : eq(articles.revision, revision)))
    .returning({ heroImageUrl: articles.heroImageUrl, bodyMarkdown: articles.bodyMarkdown });
  return changed;
}

/** Closes or reopens an article's comments; false if there is no such article. */
export async function setCommentsClosed(db: Db, id: number, closed: boolean): Promise<boolean> {
  const changed = await db
    .update(articles)
    .set({ commentsClosed: closed })
    .where(eq(articles.id, id))
    .returning({ id: articles.id });
  return changed.length > 0;
}
