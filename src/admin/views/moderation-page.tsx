import type { commentsForModeration } from '../../comments/queries';
import { COMMENT_STATUSES, type CommentStatus } from '../../db/schema';
import { DateTime } from '../../layout/date-time';
import { articlePath } from '../../paths';
import { AdminMessage, CsrfField } from './admin-layout';

type ModeratedComment = Awaited<ReturnType<typeof commentsForModeration>>[number];

export interface ModerationPageProps {
  status: CommentStatus;
  comments: ModeratedComment[];
  message?: string;
  timeZone: string;
}

/** The moderation queue: tick comments, choose what happens to them, one post. */
export function ModerationPage({ status, comments, message, timeZone }: ModerationPageProps) {
  return (
    <>
      <h1>Comments: {status}</h1>
      <nav aria-label="Comment statuses" class="admin-filters">
        {COMMENT_STATUSES.map((each) => (
          <>
            <a href={`/admin/comments?status=${each}`} aria-current={each === status ? 'page' : undefined}>
              {each}
            </a>{' '}
          </>
        ))}
      </nav>
      <AdminMessage text={message} />
      {comments.length === 0 ? (
        <p>No {status} comments.</p>
      ) : (
        <form method="post" action={`/admin/comments?status=${status}`}>
          <CsrfField />
          <ol class="admin-queue">
            {comments.map((comment) => (
              <li>
                <label class="admin-queue-pick">
                  <input type="checkbox" name="ids" value={String(comment.id)} /> #{comment.id}
                </label>
                <p class="comment-meta">
                  <b>{comment.authorName}</b> &lt;{comment.authorEmail}&gt; ·{' '}
                  <DateTime date={comment.createdAt} timeZone={timeZone} /> · on{' '}
                  <a
                    href={articlePath({ slug: comment.articleSlug, publishedAt: comment.articlePublishedAt }, timeZone)}
                  >
                    {comment.articleHeadline}
                  </a>
                  {comment.parentId && <> · a reply</>}
                </p>
                {comment.heldReason && <p class="field-hint">Held: {comment.heldReason}</p>}
                <blockquote class="admin-comment-body">{comment.body}</blockquote>
              </li>
            ))}
          </ol>
          <p class="admin-actions">
            With the ticked comments:{' '}
            <button type="submit" name="action" value="approve">
              Approve
            </button>{' '}
            <button type="submit" name="action" value="spam" class="secondary">
              Spam
            </button>{' '}
            <button type="submit" name="action" value="delete" class="secondary">
              Delete
            </button>
          </p>
        </form>
      )}
    </>
  );
}
