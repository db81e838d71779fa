import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
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
import { comparedWithPlace, keysetLinks, type Place, placeParam, placeText } from '../lib/pagination';
import { slugify } from '../lib/slug';

/**
 * How editors see an article's state: a draft a contributor submitted is in review, a published
 * article with a future date is scheduled.
 */
export const ARTICLE_LIST_STATES = ['draft', 'in review', 'scheduled', 'published'] as const;
export type ArticleListState = (typeof ARTICLE_LIST_STATES)[number];

/**
 * A draft waiting for an editor (the condition of the partial index `articles_review_idx`). The unary +
 * keeps SQLite on that index: without it, it walked every draft by status.
 */
export const isInReview = and(sql`+${articles.status} = 'draft'`, isNotNull(articles.reviewRequestedAt))!;
const stateConditions: Record<ArticleListState, SQL> = {
  draft: and(eq(articles.status, 'draft'), isNull(articles.reviewRequestedAt))!,
  'in review': isInReview,
  scheduled: isScheduled,
  published: isPublished,
};

/** The states few articles are in (waiting for an editor, or for their time): read from their own index and sorted. */
const RARE_STATES: readonly ArticleListState[] = ['in review', 'scheduled'];

/** A place in the article list: in the viewer's own drafts (listed first) or in the rest; `own.<ms>.<id>` in addresses. */
export type ArticleListPlace = Place & { own: boolean };

export const articleListPlaceParam = z
  .string()
  .max(40)
  .transform((text, context): ArticleListPlace => {
    const own = text.startsWith('own.');
    const place = placeParam.safeParse(own ? text.slice(4) : text);
    if (place.success) return { ...place.data, own };
    context.addIssue({ code: 'custom', message: 'not a place in the list' });
    return z.NEVER;
  });

export const articleListPlaceText = (place: ArticleListPlace) => `${place.own ? 'own.' : ''}${placeText(place)}`;

/**
 * One page of articles (drafts included), narrowed by state and section: the viewer's own drafts
 * (started by them, or under their byline) first, then the rest, each most recently edited first.
 * `onlyOwn` (for contributors) keeps only the articles they started. Keyset pages: a page is read
 * from `after` (the last row the page before showed) in (updated_at, id) order, perPage + 1 rows a
 * part, and the newer page's start from the same place the other way; so page 50 costs what page 1
 * does. Each part is one index range, by the filter: the edit order's (articles_updated_idx,
 * articles_status_updated_idx, articles_section_updated_idx), or for the viewer's own drafts, a
 * contributor's articles and the rare states, their short ranges (articles_created_by_idx and
 * articles_author_idx, articles_review_idx, articles_status_published_idx), sorted. Unary + keeps
 * SQLite off every other index.
 */
export async function articleListPage(
  db: Db,
  {
    state,
    sectionId,
    after,
    perPage,
    viewer,
    onlyOwn = false,
  }: {
    state?: ArticleListState;
    sectionId?: number;
    after?: ArticleListPlace;
    perPage: number;
    viewer: { id: number; authorId: number | null };
    onlyOwn?: boolean;
  },
) {
  // The one filter whose index the rest is read from; every other condition gets a unary +, so SQLite
  // uses no other index (one that would make it sort a whole section, or every published article).
  const seeking = onlyOwn ? 'createdBy' : state ? 'state' : sectionId ? 'section' : undefined;
  const filters = (indexed: typeof seeking) => {
    const only = (filter: typeof seeking, condition: SQL) => (filter === indexed ? condition : sql`+(${condition})`);
    return and(
      state ? only('state', stateConditions[state]) : undefined,
      sectionId ? only('section', eq(articles.sectionId, sectionId)) : undefined,
      onlyOwn ? only('createdBy', eq(articles.createdBy, viewer.id)) : undefined,
    );
  };
  const mine = or(
    eq(articles.createdBy, viewer.id),
    viewer.authorId === null ? undefined : eq(articles.authorId, viewer.authorId),
  );
  const ownDraft = and(sql`+${articles.status} = 'draft'`, mine)!;
  const parts = {
    own: and(filters(undefined), ownDraft),
    rest: and(filters(seeking), sql`(${and(eq(articles.status, 'draft'), mine)}) is not 1`),
  };
  // A short range (the viewer's drafts, a contributor's articles, a rare state) is read whole and sorted: no
  // edit-order index may serve its order or its cut, or SQLite would walk that index instead.
  const sorted = (part: 'own' | 'rest') => part === 'own' || onlyOwn || (state && RARE_STATES.includes(state));
  const order = (part: 'own' | 'rest') =>
    sorted(part)
      ? { updatedAt: sql`+${articles.updatedAt}`, id: sql`+${articles.id}` }
      : { updatedAt: articles.updatedAt, id: articles.id };
  const list = (part: 'own' | 'rest', from?: ArticleListPlace) =>
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
      .where(and(parts[part], from && comparedWithPlace(order(part).updatedAt, order(part).id, '<', from)))
      .orderBy(desc(order(part).updatedAt), desc(order(part).id))
      .limit(perPage + 1);
  const newer = (part: 'own' | 'rest', from?: ArticleListPlace) =>
    db
      .select({ id: articles.id, updatedAt: articles.updatedAt })
      .from(articles)
      .where(and(parts[part], from && comparedWithPlace(order(part).updatedAt, order(part).id, '>=', from)))
      .orderBy(asc(order(part).updatedAt), asc(order(part).id))
      .limit(perPage + 1);
  const tagged =
    (own: boolean) =>
    <Row extends { id: number; updatedAt: Date }>(rows: Row[]) =>
      rows.map((row) => ({ ...row, own }));
  const [read, newerRead, [counted]] = await (after === undefined
    ? db
        .batch([list('own'), list('rest'), tallyTotalQuery(db, 'articles')])
        .then(([own, rest, total]) => [[...tagged(true)(own), ...tagged(false)(rest)], [], total] as const)
    : after.own
      ? db
          .batch([list('own', after), list('rest'), newer('own', after), tallyTotalQuery(db, 'articles')])
          .then(
            ([own, rest, newerOwn, total]) =>
              [[...tagged(true)(own), ...tagged(false)(rest)], tagged(true)(newerOwn), total] as const,
          )
      : db
          .batch([list('rest', after), newer('rest', after), newer('own'), tallyTotalQuery(db, 'articles')])
          .then(
            ([rest, newerRest, newerOwn, total]) =>
              [tagged(false)(rest), [...tagged(false)(newerRest), ...tagged(true)(newerOwn)], total] as const,
          ));
  const page = keysetLinks(read, newerRead, {
    perPage,
    after,
    placeOf: (row): ArticleListPlace => ({ at: row.updatedAt.getTime(), id: row.id, own: row.own }),
  });
  // Every article: the tallies' sum, shown only when nothing narrows the list (a filtered count would read it all).
  return { ...page, total: !state && !sectionId && !onlyOwn ? (counted?.total ?? 0) : undefined };
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
