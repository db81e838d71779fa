import type { ReplyTarget } from '../../db/article-page';
import { FormField } from '../../layout/form-field';
import { ACCOUNT_PATH, PRIVACY_PATH } from '../../paths';
import { COMMENT_LIMITS, type CommentFieldErrors, type CommentFormValues } from '../input';

export interface CommentFormState {
  values?: CommentFormValues;
  errors?: CommentFieldErrors;
  /** Shown above the form: why it came back (too fast, duplicate, expired…). */
  message?: string;
}

interface CommentFormProps extends CommentFormState {
  articlePath: string;
  /**
   * A signed-in member, who comments under their member name with no name or email to type: their name
   * (empty if they gave none yet), or `'shared'` on a page every member shares (withMemberName tells it).
   */
  member?: { name: string } | 'shared';
  token: string;
  replyTo?: ReplyTarget;
}

function excerpt(text: string, length = 140): string {
  return text.length > length ? `${text.slice(0, length).trimEnd()}…` : text;
}

/** The name and email a reader types (a signed-in member has them on their account). */
function NameAndEmail({ values, errors }: { values: CommentFormValues; errors?: CommentFieldErrors }) {
  return (
    <>
      <FormField id="comment-name" name="name" label="Your Name" error={errors?.name}>
        {(attributes) => (
          <input
            {...attributes}
            type="text"
            value={values.name}
            required
            maxlength={COMMENT_LIMITS.name}
            autocomplete="name"
          />
        )}
      </FormField>
      <FormField
        id="comment-email"
        name="email"
        label="Your Email"
        hint="required, but not published"
        error={errors?.email}
      >
        {(attributes) => (
          <input
            {...attributes}
            type="email"
            value={values.email}
            required
            maxlength={COMMENT_LIMITS.email}
            autocomplete="email"
          />
        )}
      </FormField>
    </>
  );
}

function MemberNameText({ name }: { name?: string }) {
  if (name === undefined) {
    return (
      <>
        You comment under the name on <a href={ACCOUNT_PATH}>your account</a>.
      </>
    );
  }
  return name ? (
    <>
      You comment as <b>{name}</b>, the name on <a href={ACCOUNT_PATH}>your account</a>.
    </>
  ) : (
    <>
      Give your name on <a href={ACCOUNT_PATH}>your account</a> first: your comments are published under it.
    </>
  );
}

const MEMBER_NAME_CLASS = 'comment-member';

/**
 * A member's page from the cache that members share, with the member's own name told in its comment
 * form: the shared entry never holds it.
 */
export function withMemberName(response: Response, name: string): Response {
  const text = String(<MemberNameText name={name} />);
  return new HTMLRewriter()
    .on(`p.${MEMBER_NAME_CLASS}`, { element: (element) => void element.setInnerContent(text, { html: true }) })
    .transform(response);
}

/** "Share your thoughts": the comment form of the seed page, working without JavaScript. */
export function CommentForm({ articlePath, token, replyTo, member, values = {}, errors, message }: CommentFormProps) {
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
        {member === undefined ? (
          <NameAndEmail values={values} errors={errors} />
        ) : (
          <p class={MEMBER_NAME_CLASS}>
            <MemberNameText name={member === 'shared' ? undefined : member.name} />
          </p>
        )}
        <FormField id="comment-comment" name="comment" label="Your Comment" error={errors?.comment}>
          {(attributes) => (
            <textarea {...attributes} rows={8} required maxlength={COMMENT_LIMITS.comment}>
              {values.comment}
            </textarea>
          )}
        </FormField>
        {errors?.parent && (
          <p class="field-error" role="alert">
            {errors.parent}
          </p>
        )}
        <p class="comment-website" aria-hidden="true">
          <label for="comment-website">Leave this field empty</label>
          <input id="comment-website" name="website" type="text" tabindex={-1} autocomplete="off" />
        </p>
        <fieldset class="comment-notify">
          <legend>Notifications</legend>
          <label>
            <input type="checkbox" name="notify" value="replies" checked={values.notify === 'replies'} /> Email me when
            someone replies
          </label>
          <label>
            <input type="checkbox" name="notify_all" value="all" checked={values.notify_all === 'all'} /> Email me about
            any new comment on this article
          </label>
          <span class="field-hint">
            The first time, we send a link to confirm. Every email has a link to stop them.
          </span>
        </fieldset>
        <p>
          <button type="submit">Post Comment</button>
        </p>
        <p class="form-note">
          <a href={PRIVACY_PATH}>What we store about commenters, and how to get or erase it</a>
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
