import type { PublicComment } from '../../db/article-page';
import type { ThreadedComment } from '../threads';

export interface CommentJson {
  id: number;
  parentId: number | null;
  authorName: string;
  body: string;
  createdAt: string;
  /** When its author last edited it, if ever. */
  editedAt: string | null;
  /** Set when the text is gone and only the place in the thread remains. */
  removal: PublicComment['removal'];
  /** Posted by a member of staff, under their staff name. */
  staff: boolean;
  /** A Webmention's source: the page elsewhere that mentions the article. */
  sourceUrl: string | null;
  /** A reply from the fediverse: its author's profile (its `sourceUrl` is the reply itself). */
  authorUrl: string | null;
  replies: CommentJson[];
}

/** A comment thread as the JSON API shows it: what the page shows, nothing more (never the email). */
export function commentThreadJson({ comment, replies }: ThreadedComment<PublicComment>): CommentJson {
  return {
    id: comment.id,
    parentId: comment.parentId,
    authorName: comment.authorName,
    body: comment.body,
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
    removal: comment.removal,
    staff: comment.staff,
    sourceUrl: comment.sourceUrl,
    authorUrl: comment.authorUrl,
    replies: replies.map(commentThreadJson),
  };
}
