import type { Db } from '../../db/client';
import type { CommentStatus } from '../../db/schema';
import { purgeCommentPages } from '../../page-cache/purge';
import { notifyFollowers } from '../notify-publish';
import { setCommentStatus } from '../queries';

export const MODERATION_ACTIONS = { approve: 'approved', spam: 'spam', delete: 'deleted' } as const satisfies Record<
  string,
  CommentStatus
>;
export type ModerationAction = keyof typeof MODERATION_ACTIONS;

/**
 * Moves comments to a moderation status. When that changes what readers see (a comment appears or
 * disappears), each article concerned is purged once, however many of its comments moved. Returns
 * how many of the ids named a comment.
 */
export async function moderateComments(env: Env, db: Db, ids: Iterable<number>, action: ModerationAction) {
  const status = MODERATION_ACTIONS[action];
  const changedArticles = new Set<number>();
  let found = 0;
  for (const id of new Set(ids)) {
    const before = await setCommentStatus(db, id, status, new Date());
    if (!before) continue;
    found += 1;
    if ((before.status === 'approved') !== (status === 'approved')) changedArticles.add(before.articleId);
    if (status === 'approved' && before.status !== 'approved') await notifyFollowers(env, db, id, new Date());
  }
  await purgeCommentPages(env, changedArticles);
  return found;
}

/** Moves one comment (see moderateComments); false if there is no such comment. */
export const moderateComment = async (env: Env, db: Db, id: number, action: ModerationAction) =>
  (await moderateComments(env, db, [id], action)) === 1;
