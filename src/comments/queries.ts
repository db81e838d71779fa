import { and, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { isPublished } from '../db/articles';
import type { Db } from '../db/client';
import { articles, authors, type CommentStatus, comments, staffMembers } from '../db/schema';
import { comparedWithPlace, type Place } from '../lib/pagination';
import type { Standing } from './rules';

const isApproved = eq(comments.status, 'approved');

function publishedArticleId(db: Db, slug: string) {
  return db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.slug, slug), isPublished));
}

/** The approved comment a reply would answer, if it is on this article (replies to anything else are refused). */
export function replyTargetQuery(db: Db, { slug, commentId }: { slug: string; commentId: number }) {
  return db
    .select({
      id: comments.id,
      rootId: comments.rootId,
      depth: comments.depth,
      authorName: comments.authorName,
      body: comments.body,
    })
    .from(comments)
    .where(and(eq(comments.id, commentId), eq(comments.articleId, sql`(${publishedArticleId(db, slug)})`), isApproved))
    .limit(1);
}

/**
 * Whether this address has an approved comment, and whether one of them was posted from this
 * browser (one of `browserCommentIds`, from its signed cookie); `exceptId`'s approval does not count
 * (the comment being rewritten cannot vouch for its new text).
 */
export async function commenterStanding(
  db: Db,
  email: string,
  browserCommentIds: number[],
  exceptId?: number,
): Promise<Standing> {
  const [row] = await db
    .select({
      approved: count(),
      proven: sql<number>`coalesce(sum(${browserCommentIds.length ? inArray(comments.id, browserCommentIds) : sql`0`}), 0)`,
    })
    .from(comments)
    .where(
      and(
        eq(comments.authorEmail, email),
        isApproved,
        exceptId === undefined ? undefined : sql`${comments.id} <> ${exceptId}`,
      ),
    );
  if (!row?.approved) return 'new';
  return row.proven > 0 ? 'proven' : 'unproven';
}

/** The names of the staff (editors, and the authors of articles), which readers may not take. */
export function staffNamesQuery(db: Db) {
  return db
    .select({ name: staffMembers.name })
    .from(staffMembers)
    .union(db.select({ name: authors.name }).from(authors));
}

export interface NewComment {
  articleId: number;
  parent?: { id: number; rootId: number | null; depth: number };
  authorName: string;
  authorEmail: string;
  body: string;
  bodyHash: string;
  status: CommentStatus;
  heldReason: string | null;
  ipHash: string | null;
  formToken: string | null;
  /** Posted by a signed-in editor (shown with a staff mark). */
  staff?: boolean;
  /** A Webmention's source page, or a fediverse reply's address. */
  sourceUrl?: string;
  /** A fediverse reply's author's profile. */
  authorUrl?: string | null;
  createdAt: Date;
}

/**
 * Stores a comment; undefined when the same email already said the same thing on this article, or
 * its form token has already stored a comment (`whyNotStored` tells which).
 */
export async function insertComment(db: Db, comment: NewComment) {
  const { parent, ...values } = comment;
  const [stored] = await db
    .insert(comments)
    .values({
      ...values,
      parentId: parent?.id ?? null,
      rootId: parent ? (parent.rootId ?? parent.id) : null,
      depth: parent ? parent.depth + 1 : 0,
    })
    .onConflictDoNothing()
    .returning({ id: comments.id, rootId: comments.rootId, status: comments.status, createdAt: comments.createdAt });
  return stored;
}

/** Why `insertComment` stored nothing: a repeated comment, or a form token used before (by this email or another). */
export async function whyNotStored(
  db: Db,
  comment: Pick<NewComment, 'articleId' | 'authorEmail' | 'bodyHash' | 'formToken'>,
): Promise<'duplicate' | 'token-replayed' | 'token-used'> {
  const sameText = and(
    eq(comments.articleId, comment.articleId),
    eq(comments.authorEmail, comment.authorEmail),
    eq(comments.bodyHash, comment.bodyHash),
  );
  const rows = await db
    .select({ authorEmail: comments.authorEmail, sameText: sql<number>`${sameText}` })
    .from(comments)
    .where(comment.formToken ? or(sameText, eq(comments.formToken, comment.formToken)) : sameText)
    .limit(2);
  if (rows.length === 0 || rows.some((row) => row.sameText)) return 'duplicate';
  return rows[0]!.authorEmail === comment.authorEmail ? 'token-replayed' : 'token-used';
}

/**
 * Which page of its article's comments shows this thread (threads newest first, `perPage` a page): read
 * from the thread's number and the article's count of threads. Page 1 for a thread not shown.
 */
export async function commentPageOf(db: Db, { rootId, perPage }: { rootId: number; perPage: number }) {
  const [thread] = await db
    .select({ number: comments.threadNumber, count: articles.threadCount })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(eq(comments.id, rootId));
  if (!thread?.number) return 1;
  return Math.floor((thread.count - thread.number) / perPage) + 1;
}

/**
 * Comments with everything moderators see (email included): never for a public response. Newest first,
 * `limit` of them from `after` (a place in (created_at, id) order): a range of comments_status_created_idx
 * wherever it starts.
 */
export function commentsForModeration(
  db: Db,
  { status, id, limit, after }: { status?: CommentStatus; id?: number; limit: number; after?: Place },
) {
  return db
    .select({
      id: comments.id,
      articleId: comments.articleId,
      articleSlug: articles.slug,
      articleHeadline: articles.headline,
      articlePublishedAt: articles.publishedAt,
      parentId: comments.parentId,
      authorName: comments.authorName,
      authorEmail: comments.authorEmail,
      body: comments.body,
      status: comments.status,
      heldReason: comments.heldReason,
      sourceUrl: comments.sourceUrl,
      authorUrl: comments.authorUrl,
      /** Whether its network is on record (a moderator may block it). */
      hasNetwork: sql<boolean>`${comments.ipHash} is not null`.mapWith(Boolean),
      createdAt: comments.createdAt,
      moderatedAt: comments.moderatedAt,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(
      and(
        status && eq(comments.status, status),
        id === undefined ? undefined : eq(comments.id, id),
        after && comparedWithPlace(comments.createdAt, comments.id, '<', after),
      ),
    )
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(limit);
}

/** Sets a comment's status; returns its article and previous status, or undefined if there is no such comment. */
export async function setCommentStatus(db: Db, id: number, status: CommentStatus, now: Date) {
  const [before] = await db
    .select({ articleId: comments.articleId, status: comments.status })
    .from(comments)
    .where(eq(comments.id, id));
  if (!before) return undefined;
  await db.update(comments).set({ status, moderatedAt: now }).where(eq(comments.id, id));
  return before;
}
