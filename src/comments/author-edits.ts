import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { comments } from '../db/schema';
import { sha256Hex } from '../lib/hash';
import { purgeCommentPages } from '../page-cache/purge';
import { foldForMatching } from './normalize';
import { commenterStanding } from './queries';
import { judgeComment } from './rules';

/** The comment an author may change: on this article, not removed, not deleted by a moderator. */
export async function ownComment(db: Db, { id, articleId }: { id: number; articleId: number }) {
  const [row] = await db
    .select({
      id: comments.id,
      articleId: comments.articleId,
      rootId: comments.rootId,
      authorName: comments.authorName,
      authorEmail: comments.authorEmail,
      body: comments.body,
      status: comments.status,
      createdAt: comments.createdAt,
    })
    .from(comments)
    .where(and(eq(comments.id, id), eq(comments.articleId, articleId), isNull(comments.removal)));
  return row && row.status !== 'deleted' ? row : undefined;
}

export type OwnComment = NonNullable<Awaited<ReturnType<typeof ownComment>>>;

export type EditResult = { outcome: 'published' | 'held' } | { outcome: 'duplicate' };

/**
 * An author's new text, judged by every rule a new comment from them meets: a held comment stays
 * held, spam stays spam, and a published one is held if the new text would be. The comment's own
 * approval vouches for the text a moderator read, not for a new one: the author's standing counts
 * their other approved comments only (from this browser: `browserCommentIds`). Marked edited; the
 * article's pages are purged when what readers see changes.
 */
export async function editComment(
  env: Env,
  db: Db,
  comment: OwnComment,
  body: string,
  browserCommentIds: number[],
  now: Date,
): Promise<EditResult> {
  const settings = siteConfig(env).comments;
  const verdict = judgeComment(
    { authorName: comment.authorName, authorEmail: comment.authorEmail, body },
    { mode: settings.moderation, holdWords: settings.holdWords, spamWords: settings.spamWords },
    await commenterStanding(db, comment.authorEmail, browserCommentIds, comment.id),
  );
  const status =
    comment.status === 'spam' || verdict.status === 'spam'
      ? 'spam'
      : comment.status === 'pending' || verdict.status === 'pending'
        ? 'pending'
        : 'approved';
  const bodyHash = await sha256Hex(foldForMatching(body));
  const clash = await db
    .select({ id: comments.id })
    .from(comments)
    .where(
      and(
        eq(comments.articleId, comment.articleId),
        eq(comments.authorEmail, comment.authorEmail),
        eq(comments.bodyHash, bodyHash),
        sql`${comments.id} <> ${comment.id}`,
      ),
    );
  if (clash.length > 0) return { outcome: 'duplicate' };
  await db
    .update(comments)
    .set({
      body,
      bodyHash,
      status,
      heldReason: status === comment.status ? undefined : verdict.reason,
      editedAt: now,
    })
    .where(eq(comments.id, comment.id));
  if (comment.status === 'approved' || status === 'approved') await purgeCommentPages(env, [comment.articleId]);
  return { outcome: status === 'approved' ? 'published' : 'held' };
}

/**
 * Deletes an author's comment: gone if nobody replied to it, otherwise its text is emptied and the
 * thread shows "This comment was deleted by its author".
 */
export async function deleteOwnComment(env: Env, db: Db, comment: OwnComment): Promise<void> {
  const [reply] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(or(eq(comments.parentId, comment.id), eq(comments.rootId, comment.id)))
    .limit(1);
  if (reply) {
    await db
      .update(comments)
      .set({ body: '', bodyHash: `deleted:${comment.id}`, removal: 'deleted-by-author' })
      .where(eq(comments.id, comment.id));
  } else {
    await db.delete(comments).where(eq(comments.id, comment.id));
  }
  if (comment.status === 'approved') await purgeCommentPages(env, [comment.articleId]);
}
