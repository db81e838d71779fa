import type { PublicComment } from '../../db/article-page';
import type { CommentRemoval } from '../../db/schema';
import { DateTime } from '../../layout/date-time';
import { type FormattedText, formatCommentText } from '../text';
import { flattenThread, MAX_THREAD_DEPTH, type ThreadedComment } from '../threads';

/** A comment's text as HTML: escaped paragraphs and lines, bare URLs as nofollow links. */
export function CommentText({ text }: { text: FormattedText }) {
  return (
    <div class="comment-body">
      {text.map((paragraph) => (
        <p>
          {paragraph.map((line, index) => (
            <>
              {index > 0 && <br />}
              {line.map((segment) =>
                segment.kind === 'link' ? (
                  <a href={segment.href} rel="nofollow ugc noopener">
                    {segment.text}
                  </a>
                ) : (
                  segment.text
                ),
              )}
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

interface CommentViewOptions {
  timeZone: string;
  replyHref?: (commentId: number) => string;
  /** Where this reader may edit or delete a comment of theirs (`…/edit`, `…/delete`); only on pages rendered for them. */
  editHref?: (commentId: number) => string | undefined;
}

/** What stands in a thread where a comment's text was taken away but its replies remain. */
export const REMOVAL_TEXT: Record<CommentRemoval, string> = {
  'deleted-by-author': 'This comment was deleted by its author.',
  erased: '[removed at the author’s request]',
};

function CommentItem({ comment, timeZone, replyHref, editHref }: CommentViewOptions & { comment: PublicComment }) {
  const editBase = editHref?.(comment.id);
  if (comment.removal) {
    return (
      <article class="comment-removed">
        <p>{REMOVAL_TEXT[comment.removal]}</p>
      </article>
    );
  }
  return (
    <article>
      <header class="comment-meta">
        <b class="comment-author">
          {comment.authorUrl ? (
            <a href={comment.authorUrl} rel="nofollow ugc noopener">
              {comment.authorName}
            </a>
          ) : (
            comment.authorName
          )}
        </b>
        {comment.staff && <span class="comment-staff">Staff</span>}
        {comment.sourceUrl && comment.authorUrl && (
          <span class="comment-source">
            {' replied from the fediverse on '}
            <a href={comment.sourceUrl} rel="nofollow ugc noopener">
              {new URL(comment.sourceUrl).hostname}
            </a>
          </span>
        )}
        {comment.sourceUrl && !comment.authorUrl && (
          <span class="comment-source">
            {' mentioned this on '}
            <a href={comment.sourceUrl} rel="nofollow ugc noopener">
              {new URL(comment.sourceUrl).hostname}
            </a>
          </span>
        )}
        <a class="comment-time" href={`#comment-${comment.id}`}>
          <DateTime date={comment.createdAt} timeZone={timeZone} />
        </a>
        {comment.editedAt && (
          <span class="comment-edited">
            {' · edited '}
            <DateTime date={comment.editedAt} timeZone={timeZone} />
          </span>
        )}
      </header>
      <CommentText text={formatCommentText(comment.body)} />
      {replyHref && (
        <a class="comment-reply" href={replyHref(comment.id)} rel="nofollow">
          Reply <span class="visually-hidden">to {comment.authorName}</span>
        </a>
      )}
      {editBase && (
        <span class="comment-own">
          <a href={`${editBase}/edit`} rel="nofollow">
            Edit
          </a>{' '}
          <a href={`${editBase}/delete`} rel="nofollow">
            Delete
          </a>
        </span>
      )}
    </article>
  );
}

function CommentThread({
  thread,
  level,
  ...options
}: CommentViewOptions & { thread: ThreadedComment<PublicComment>; level: number }) {
  const { comment, replies } = thread;
  return (
    <li id={`comment-${comment.id}`} class="comment">
      <CommentItem comment={comment} {...options} />
      {replies.length > 0 && (
        <ol class="comment-replies">
          {level + 1 < MAX_THREAD_DEPTH
            ? replies.map((reply) => <CommentThread thread={reply} level={level + 1} {...options} />)
            : replies.flatMap(flattenThread).map((reply) => (
                <li id={`comment-${reply.id}`} class="comment">
                  <CommentItem comment={reply} {...options} />
                </li>
              ))}
        </ol>
      )}
    </li>
  );
}

export function CommentList({
  threads,
  ...options
}: CommentViewOptions & { threads: ThreadedComment<PublicComment>[] }) {
  return (
    <ol class="comment-list">
      {threads.map((thread) => (
        <CommentThread thread={thread} level={1} {...options} />
      ))}
    </ol>
  );
}
