import type { PublicComment } from '../../db/article-page';
import type { ThreadedComment } from '../threads';

export interface CommentJson {
  id: number;
  parentId: number | null;
  authorName: string;
  body: string;
  createdAt: string;
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
    replies: replies.map(commentThreadJson),
  };
}
