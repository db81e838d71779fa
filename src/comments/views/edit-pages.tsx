import { FormField } from '../../layout/form-field';
import { COMMENT_LIMITS } from '../input';

export function EditCommentPage(props: {
  articlePath: string;
  headline: string;
  commentId: number;
  body: string;
  minutesLeft: number;
  error?: string;
  message?: string;
}) {
  const base = `${props.articlePath}/comments/${props.commentId}`;
  return (
    <section class="comment-edit">
      <h1>Edit your comment</h1>
      <p>
        On <a href={`${props.articlePath}#comment-${props.commentId}`}>{props.headline}</a>. You can change it for{' '}
        {props.minutesLeft} more {props.minutesLeft === 1 ? 'minute' : 'minutes'}; it will be marked “edited”.
      </p>
      {props.message && (
        <p class="form-message" role="alert">
          {props.message}
        </p>
      )}
      <form method="post" action={`${base}/edit`}>
        <FormField id="edit-comment" name="comment" label="Your comment" error={props.error}>
          {(attributes) => (
            <textarea {...attributes} rows={8} required maxlength={COMMENT_LIMITS.comment}>
              {props.body}
            </textarea>
          )}
        </FormField>
        <p>
          <button type="submit">Save changes</button> <a href={`${base}/delete`}>Delete it instead</a>
        </p>
      </form>
    </section>
  );
}

export function DeleteCommentPage(props: { articlePath: string; headline: string; commentId: number }) {
  return (
    <section class="comment-edit">
      <h1>Delete your comment?</h1>
      <p>
        On <a href={`${props.articlePath}#comment-${props.commentId}`}>{props.headline}</a>. If someone has replied to
        it, the thread will say “This comment was deleted by its author”; otherwise it disappears.
      </p>
      <form method="post" action={`${props.articlePath}/comments/${props.commentId}/delete`}>
        <button type="submit">Delete my comment</button>
      </form>
    </section>
  );
}

export function EditClosedPage({ articlePath, minutes }: { articlePath: string; minutes: number }) {
  return (
    <section class="error-page">
      <h1>This comment can no longer be changed</h1>
      <p>
        A comment can be edited or deleted for {minutes} minutes after it was posted, and only from the browser that
        posted it. To have it changed now, write to the editors.
      </p>
      <p>
        <a href={articlePath}>Back to the article</a>
      </p>
    </section>
  );
}
