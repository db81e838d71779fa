import type { Db } from '../db/client';
import type { CommentStatus } from '../db/schema';
import { purgeArticlePages } from '../page-cache/purge';
import { setCommentStatus } from './queries';

export const MODERATION_ACTIONS = { approve: 'approved', spam: 'spam', delete: 'deleted' } as const satisfies Record<
  string,
  CommentStatus
>;
export type ModerationAction = keyof typeof MODERATION_ACTIONS;

/**
 * Moves a comment to a moderation status. When that changes what readers see (a comment appears or
 * disappears), the article's cached pages are purged. Returns false if there is no such comment.
 */
export async function moderateComment(env: Env, db: Db, id: number, action: ModerationAction): Promise<boolean> {
  const status = MODERATION_ACTIONS[action];
  const before = await setCommentStatus(db, id, status, new Date());
  if (!before) return false;
  if ((before.status === 'approved') !== (status === 'approved')) await purgeArticlePages(env, before.articleId);
  return true;
}
