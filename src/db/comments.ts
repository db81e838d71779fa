import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { articles, comments } from './schema';

/** What readers may see of a comment: never the email or the IP hash. */
const publicColumns = {
  id: comments.id,
  parentId: comments.parentId,
  rootId: comments.rootId,
  depth: comments.depth,
  authorName: comments.authorName,
  body: comments.body,
  createdAt: comments.createdAt,
};

const isApproved = eq(comments.status, 'approved');

function publishedArticleId(db: Db, slug: string) {
  return db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.slug, slug), eq(articles.status, 'published')));
}

/**
 * The approved comments on one page of an article's threads: top-level comments newest first
 * (`perPage` of them), each with all its approved replies, plus the counts for the heading and pager.
 * Three queries meant to run in the same `batch` as the article itself.
 */
export function approvedThreadsQueries(db: Db, { slug, page, perPage }: { slug: string; page: number; perPage: number }) {
  const ofArticle = and(eq(comments.articleId, sql`(${publishedArticleId(db, slug)})`), isApproved);
  const roots = db
    .select({ id: comments.id })
    .from(comments)
    .where(and(ofArticle, isNull(comments.parentId)))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(perPage)
    .offset((page - 1) * perPage);
  return [
    db
      .select({ total: count(), topLevel: sql<number>`coalesce(sum(${comments.parentId} is null), 0)` })
      .from(comments)
      .where(ofArticle),
    db
      .select(publicColumns)
      .from(comments)
      .where(inArray(comments.id, roots))
      .orderBy(desc(comments.createdAt), desc(comments.id)),
    db
      .select(publicColumns)
      .from(comments)
      .where(and(inArray(comments.rootId, roots), isApproved))
      .orderBy(asc(comments.createdAt), asc(comments.id)),
  ] as const;
}

export type PublicComment = Awaited<ReturnType<ReturnType<typeof approvedThreadsQueries>[1]['execute']>>[number];
