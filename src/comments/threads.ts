/** Replies nest this deep on the page; deeper replies are shown at this depth. */
export const MAX_THREAD_DEPTH = 5;

export interface ThreadedComment<C> {
  comment: C;
  replies: ThreadedComment<C>[];
}

interface CommentLink {
  id: number;
  parentId: number | null;
  rootId: number | null;
}

/**
 * Builds the reply trees under each top-level comment, keeping the order given (top level newest
 * first, replies oldest first). A reply whose parent is not shown (held, deleted) hangs off its
 * thread's top-level comment instead, so an approved reply is never hidden by its parent's status.
 */
export function buildThreads<C extends CommentLink>(roots: C[], replies: C[]): ThreadedComment<C>[] {
  const nodes = new Map<number, ThreadedComment<C>>();
  for (const comment of [...roots, ...replies]) nodes.set(comment.id, { comment, replies: [] });
  for (const reply of replies) {
    const parent = nodes.get(reply.parentId ?? -1) ?? nodes.get(reply.rootId ?? -1);
    parent?.replies.push(nodes.get(reply.id)!);
  }
  return roots.map((root) => nodes.get(root.id)!);
}

/** A thread's comments in reading order (the comment, then each reply's thread), for levels too deep to nest. */
export function flattenThread<C>(thread: ThreadedComment<C>): C[] {
  return [thread.comment, ...thread.replies.flatMap(flattenThread)];
}

/** Top-level comments per page of an article's comments; their replies come along. */
export const COMMENTS_PER_PAGE = 50;
