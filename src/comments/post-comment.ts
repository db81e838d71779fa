import { siteConfig } from '../config';
import { publishedArticleRefQuery } from '../db/articles';
import type { Db } from '../db/client';
import { sha256Hex } from '../lib/hash';
import { hmacSign } from '../lib/hmac';
import { purgeArticlePages } from '../page-cache/purge';
import { articlePath } from '../paths';
import { authorHasApprovedComment, commentPageOf, insertComment, replyTargetQuery } from './queries';
import { judgeComment } from './rules';
import { COMMENTS_PER_PAGE } from './threads';

export interface CommentSubmission {
  slug: string;
  parentId?: number;
  authorName: string;
  authorEmail: string;
  body: string;
  /** The client's address (`CF-Connecting-IP`); only a salted hash of it is stored. */
  ipAddress: string | null;
  now: Date;
}

export type PostCommentResult =
  | { outcome: 'published'; commentId: number; articlePath: string; commentPage: number }
  | { outcome: 'held'; commentId: number; articlePath: string }
  | { outcome: 'duplicate' }
  | { outcome: 'article-not-found' }
  | { outcome: 'invalid-parent' };

/**
 * Judges and stores a reader's comment. A published comment purges the article's cached pages so the
 * next reader sees it; held and spam comments are stored for moderators and shown to nobody.
 */
export async function postComment(env: Env, db: Db, submission: CommentSubmission): Promise<PostCommentResult> {
  const site = siteConfig(env);
  const settings = site.comments;
  const [[article], [parent]] = await db.batch([
    publishedArticleRefQuery(db, submission.slug),
    replyTargetQuery(db, { slug: submission.slug, commentId: submission.parentId ?? 0 }),
  ]);
  if (!article) return { outcome: 'article-not-found' };
  if (submission.parentId !== undefined && !parent) return { outcome: 'invalid-parent' };
  const path = articlePath(article, site.timeZone);
  const draft = { authorName: submission.authorName, authorEmail: submission.authorEmail, body: submission.body };
  const verdict = judgeComment(
    draft,
    { mode: settings.moderation, holdWords: settings.holdWords, spamWords: settings.spamWords },
    settings.moderation === 'first-time' && (await authorHasApprovedComment(db, submission.authorEmail)),
  );
  const stored = await insertComment(db, {
    ...draft,
    articleId: article.id,
    parent,
    bodyHash: await sha256Hex(submission.body),
    status: verdict.status,
    heldReason: verdict.reason,
    ipHash: submission.ipAddress ? await hmacSign(env.IP_HASH_SALT, submission.ipAddress) : null,
    createdAt: submission.now,
  });
  if (!stored) return { outcome: 'duplicate' };
  if (stored.status !== 'approved') return { outcome: 'held', commentId: stored.id, articlePath: path };

  await purgeArticlePages(env, article.id);
  const commentPage = await commentPageOf(db, {
    articleId: article.id,
    rootId: stored.rootId ?? stored.id,
    perPage: COMMENTS_PER_PAGE,
  });
  return { outcome: 'published', commentId: stored.id, articlePath: path, commentPage };
}
