import { siteConfig } from '../config';
import { publishedArticleRefQuery } from '../db/articles';
import type { Db } from '../db/client';
import { sha256Hex } from '../lib/hash';
import { hmacSign } from '../lib/hmac';
import { ipGroup } from '../lib/ip-group';
import { purgeCommentPages } from '../page-cache/purge';
import { articlePath } from '../paths';
import { commentsClosed } from './closing';
import { blockOfQuery } from './moderation/blocks';
import { tellModerators } from './moderation/digest-object';
import { foldedForms, foldForMatching } from './normalize';
import { notifyFollowers } from './notify-publish';
import {
  commenterStanding,
  commentPageOf,
  insertComment,
  replyTargetQuery,
  staffNamesQuery,
  whyNotStored,
} from './queries';
import { type CommentVerdict, judgeComment, type Standing } from './rules';
import { COMMENTS_PER_PAGE } from './threads';

export interface CommentSubmission {
  slug: string;
  parentId?: number;
  authorName: string;
  authorEmail: string;
  body: string;
  /** The client's address (`CF-Connecting-IP`); only a salted hash of its network (IP group) is stored. */
  ipAddress: string | null;
  /** The comments this browser posted before (its signed cookie): the proof of a returning commenter. */
  browserCommentIds: number[];
  /** The form token it came with: it stores one comment at most. */
  formToken: string | null;
  /** Posted by a signed-in editor, under their staff name and address: published at once, marked staff. */
  staff?: boolean;
  /**
   * Posted by a signed-in member, under their member name and address: their sign-in proved the address,
   * so an approved comment from it makes them a known commenter whatever browser they post from.
   */
  member?: boolean;
  now: Date;
}

export type PostCommentResult =
  | { outcome: 'published'; commentId: number; articlePath: string; commentPage: number }
  | { outcome: 'held'; commentId: number; articlePath: string }
  | { outcome: 'duplicate' }
  /** The form token already stored a comment from this email (a replay, refused quietly)… */
  | { outcome: 'token-replayed' }
  /** …or from another (two readers of one cached page): the form comes back to be sent again. */
  | { outcome: 'token-used' }
  | { outcome: 'staff-name' }
  /** Closed by an editor, or by age (COMMENTS_CLOSE_AFTER_DAYS). */
  | { outcome: 'closed' }
  | { outcome: 'article-not-found' }
  | { outcome: 'invalid-parent' };

/** Whether a name looks like a staff member's once both are confusable-folded ("Аnn Еditor" in Cyrillic is "Ann Editor"). */
function isStaffName(name: string, staff: { name: string }[]): boolean {
  const forms = foldedForms(name);
  return staff.some((member) => member.name.trim() !== '' && forms.includes(foldForMatching(member.name)));
}

/** A member's address is proven by their sign-in, as a returning reader's is by their browser's cookie. */
async function standingOf(db: Db, submission: CommentSubmission): Promise<Standing> {
  const standing = await commenterStanding(db, submission.authorEmail, submission.browserCommentIds);
  return submission.member && standing === 'unproven' ? 'proven' : standing;
}

/**
 * Judges and stores a reader's comment. A published comment purges the article's cached pages so the
 * next reader sees it; held and spam comments are stored for moderators and shown to nobody.
 */
export async function postComment(env: Env, db: Db, submission: CommentSubmission): Promise<PostCommentResult> {
  const site = siteConfig(env);
  const settings = site.comments;
  const networkHash = submission.ipAddress ? await hmacSign(env.IP_HASH_SALT, ipGroup(submission.ipAddress)) : null;
  const [[article], [parent], staff, [block]] = await db.batch([
    publishedArticleRefQuery(db, submission.slug),
    replyTargetQuery(db, { slug: submission.slug, commentId: submission.parentId ?? 0 }),
    staffNamesQuery(db),
    blockOfQuery(db, { email: submission.authorEmail, networkHash }),
  ]);
  if (!article) return { outcome: 'article-not-found' };
  if (commentsClosed(article, settings.closeAfterDays, submission.now)) return { outcome: 'closed' };
  if (submission.parentId !== undefined && !parent) return { outcome: 'invalid-parent' };
  if (!submission.staff && isStaffName(submission.authorName, staff)) return { outcome: 'staff-name' };
  const path = articlePath(article, site.timeZone);
  const draft = { authorName: submission.authorName, authorEmail: submission.authorEmail, body: submission.body };
  const verdict: CommentVerdict = submission.staff
    ? { status: 'approved', reason: null }
    : block
      ? { status: 'spam', reason: `blocked ${block.kind}` }
      : judgeComment(
          draft,
          { mode: settings.moderation, holdWords: settings.holdWords, spamWords: settings.spamWords },
          settings.moderation === 'first-time' ? await standingOf(db, submission) : 'new',
        );
  const bodyHash = await sha256Hex(foldForMatching(submission.body));
  const stored = await insertComment(db, {
    ...draft,
    articleId: article.id,
    parent,
    bodyHash,
    status: verdict.status,
    heldReason: verdict.reason,
    ipHash: networkHash,
    formToken: submission.formToken,
    staff: submission.staff ?? false,
    createdAt: submission.now,
  });
  if (!stored) {
    const why = await whyNotStored(db, {
      articleId: article.id,
      authorEmail: submission.authorEmail,
      bodyHash,
      formToken: submission.formToken,
    });
    return { outcome: why };
  }
  if (stored.status === 'pending') await tellModerators(env);
  if (stored.status !== 'approved') return { outcome: 'held', commentId: stored.id, articlePath: path };

  await purgeCommentPages(env, [article.id]);
  await notifyFollowers(env, db, stored.id, submission.now);
  const commentPage = await commentPageOf(db, {
    rootId: stored.rootId ?? stored.id,
    perPage: COMMENTS_PER_PAGE,
  });
  return { outcome: 'published', commentId: stored.id, articlePath: path, commentPage };
}
