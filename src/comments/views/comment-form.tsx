import type { CommentField, CommentFieldErrors, CommentFormValues } from '../input';
import type { ReplyTarget } from '../queries';

export interface CommentFormState {
  values?: CommentFormValues;
  errors?: CommentFieldErrors;
  /** Shown above the form: why it came back (too fast, duplicate, expired…). */
  message?: string;
}

interface CommentFormProps extends CommentFormState {
  articlePath: string;
  token: string;
  replyTo?: ReplyTarget;
}

function excerpt(text: string, length = 140): string {
  return text.length > length ? `${text.slice(0, length).trimEnd()}…` : text;
}

function Field(props: {
  field: CommentField;
  label: string;
  hint?: string;
  errors?: CommentFieldErrors;
  children: (attributes: Record<string, string | boolean | undefined>) => unknown;
}) {
  const id = `comment-${props.field}`;
  const error = props.errors?.[props.field];
  const describedBy = [props.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <p class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <span class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.children({
        id,
        name: props.field,
        'aria-invalid': error ? 'true' : undefined,
        'aria-describedby': describedBy,
      })}
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </p>
  );
}

/** "Share your thoughts": the comment form of the seed page, working without JavaScript. */
export function CommentForm({ articlePath, token, replyTo, values = {}, errors, message }: CommentFormProps) {
  return (
    <section id="respond" class="comment-form" aria-labelledby="respond-heading">
      <h2 id="respond-heading">Share your thoughts</h2>
      {replyTo && (
        <p class="replying-to">
          Replying to <b>{replyTo.authorName}</b>: “{excerpt(replyTo.body)}”{' '}
          <a href={`${articlePath}#respond`}>Cancel reply</a>
        </p>
      )}
      {message && (
        <p class="form-message" role="alert">
          {message}
        </p>
      )}
      <form method="post" action={`${articlePath}/comments#respond`}>
        <input type="hidden" name="token" value={token} />
        {replyTo && <input type="hidden" name="parent" value={String(replyTo.id)} />}
        <Field field="name" label="Your Name" errors={errors}>
          {(attributes) => (
            <input {...attributes} type="text" value={values.name} required maxlength={80} autocomplete="name" />
          )}
        </Field>
        <Field field="email" label="Your Email" hint="required, but not published" errors={errors}>
          {(attributes) => (
            <input {...attributes} type="email" value={values.email} required maxlength={254} autocomplete="email" />
          )}
        </Field>
        <Field field="comment" label="Your Comment" errors={errors}>
          {(attributes) => (
            <textarea {...attributes} rows={8} required maxlength={5000}>
              {values.comment}
            </textarea>
          )}
        </Field>
        {errors?.parent && (
          <p class="field-error" role="alert">
            {errors.parent}
          </p>
        )}
        <p class="comment-website" aria-hidden="true">
          <label for="comment-website">Leave this field empty</label>
          <input id="comment-website" name="website" type="text" tabindex={-1} autocomplete="off" />
        </p>
        <p>
          <button type="submit">Post Comment</button>
        </p>
      </form>
    </section>
  );
}

export const COMMENT_HELD_NOTICE = 'Your comment is awaiting moderation.';

export function CommentNotice({ text }: { text: string }) {
  return (
    <p id="comment-notice" class="comment-notice" role="status">
      {text}
    </p>
  );
}
