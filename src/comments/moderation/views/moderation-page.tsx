import { BLOCK_KINDS, type BlockKind, COMMENT_STATUSES, type CommentStatus } from '../../../db/schema';
import { AdminMessage, CsrfField } from '../../../layout/admin-layout';
import { DateTime } from '../../../layout/date-time';
import { articlePath } from '../../../paths';
import type { commentsForModeration } from '../../queries';

type ModeratedComment = Awaited<ReturnType<typeof commentsForModeration>>[number];

export interface ModerationPageProps {
  status: CommentStatus;
  comments: ModeratedComment[];
  message?: string;
  timeZone: string;
  /** Whether the signed-in editor is emailed when comments are held. */
  emailsOn: boolean;
}

/** What a moderator may block of a comment: a Webmention's domain, or a comment's email and its network (when on record). */
const blockKindsFor = (comment: ModeratedComment): BlockKind[] =>
  comment.sourceUrl
    ? ['domain']
    : BLOCK_KINDS.filter((kind) => kind === 'email' || (kind === 'network' && comment.hasNetwork));

/** Who wrote it, when, on which article, why it was held, and the text: what a moderator decides on. */
function CommentSummary({ comment, timeZone }: { comment: ModeratedComment; timeZone: string }) {
  return (
    <>
      <p class="comment-meta">
        <b>{comment.authorName}</b>{' '}
        {comment.authorUrl && comment.sourceUrl ? (
          <>
            (<a href={comment.sourceUrl}>a reply from the fediverse</a> by{' '}
            <a href={comment.authorUrl}>{comment.authorUrl}</a>)
          </>
        ) : comment.sourceUrl ? (
          <>
            (Webmention from <a href={comment.sourceUrl}>{comment.sourceUrl}</a>)
          </>
        ) : (
          <>&lt;{comment.authorEmail}&gt;</>
        )}{' '}
        · <DateTime date={comment.createdAt} timeZone={timeZone} /> · on{' '}
        <a href={articlePath({ slug: comment.articleSlug, publishedAt: comment.articlePublishedAt }, timeZone)}>
          {comment.articleHeadline}
        </a>
        {comment.parentId && <> · a reply</>}
      </p>
      {comment.heldReason && <p class="field-hint">Held: {comment.heldReason}</p>}
      <blockquote class="admin-comment-body">{comment.body}</blockquote>
    </>
  );
}

function ModeratorEmailsSetting({ emailsOn }: { emailsOn: boolean }) {
  return (
    <form id="moderator-emails" method="post" action="/admin/comments/notifications" class="admin-filters">
      <CsrfField />
      <input type="hidden" name="emails" value={emailsOn ? 'off' : 'on'} />
      Emails when comments are held: <b>{emailsOn ? 'on' : 'off'}</b>{' '}
      <button type="submit" class="secondary">
        {emailsOn ? 'Turn them off' : 'Turn them on'}
      </button>
    </form>
  );
}

/** The moderation queue: tick comments, choose what happens to them, one post. */
export function ModerationPage({ status, comments, message, timeZone, emailsOn }: ModerationPageProps) {
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
      <ModeratorEmailsSetting emailsOn={emailsOn} />
      <p>
        <a href="/admin/comments/blocks">Blocked commenters</a>
      </p>
      <AdminMessage text={message} />
      {comments.length === 0 ? (
        <p>No {status} comments.</p>
      ) : (
        // The block buttons belong to a form of their own, so none of them is the queue form's default button.
        <>
          <form id="block-form" method="post" action="/admin/comments/blocks">
            <CsrfField />
          </form>
          <form method="post" action={`/admin/comments?status=${status}`}>
            <CsrfField />
            <ol class="admin-queue">
              {comments.map((comment) => (
                <li id={`comment-${comment.id}`}>
                  <label class="admin-queue-pick">
                    <input type="checkbox" name="ids" value={String(comment.id)} /> #{comment.id}
                  </label>
                  <CommentSummary comment={comment} timeZone={timeZone} />
                  <p class="admin-row-actions">
                    {comment.status === 'approved' && (
                      <>
                        <a
                          href={`${articlePath({ slug: comment.articleSlug, publishedAt: comment.articlePublishedAt }, timeZone)}?replyto=${comment.id}#respond`}
                        >
                          Reply on the article
                        </a>{' '}
                      </>
                    )}
                    {blockKindsFor(comment).map((kind) => (
                      <>
                        <button
                          type="submit"
                          form="block-form"
                          name="block"
                          value={`${kind}:${comment.id}`}
                          class="secondary"
                        >
                          Block {kind}
                        </button>{' '}
                      </>
                    ))}
                  </p>
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
        </>
      )}
    </>
  );
}

export interface CommentModerationPageProps {
  comment: ModeratedComment;
  /** The action the email's link asked for: its button comes first. */
  action: 'approve' | 'spam';
  timeZone: string;
}

/** One comment, opened from a moderator email's link: the action is this page's POST, never the link itself. */
export function CommentModerationPage({ comment, action, timeZone }: CommentModerationPageProps) {
  const buttons = [
    <button type="submit" name="action" value="approve" class={action === 'approve' ? undefined : 'secondary'}>
      Approve
    </button>,
    <button type="submit" name="action" value="spam" class={action === 'spam' ? undefined : 'secondary'}>
      Spam
    </button>,
  ];
  return (
    <>
      <h1>Comment #{comment.id}</h1>
      <p>
        This comment is <b>{comment.status}</b>. <a href="/admin/comments">The queue</a>
      </p>
      <CommentSummary comment={comment} timeZone={timeZone} />
      <form method="post" action={`/admin/comments/${comment.id}`} class="admin-actions">
        <CsrfField />
        {action === 'approve' ? buttons : buttons.reverse()}{' '}
        <button type="submit" name="action" value="delete" class="secondary">
          Delete
        </button>
      </form>
    </>
  );
}
