import { COMMENTS_CLOSED } from '../closing';

/** In place of the form on a closed article; after a refused post, the reader's text to copy (nothing was stored). */
export function CommentsClosed({ keptText }: { keptText?: string }) {
  return (
    <section id="respond" class="comment-form" aria-labelledby="respond-heading">
      <h2 id="respond-heading">{COMMENTS_CLOSED}</h2>
      {keptText !== undefined && (
        <>
          <p class="form-message" role="alert">
            Your comment was not posted. Here is your text, so you can keep it:
          </p>
          <p>
            <label for="comment-kept">Your Comment</label>
            <textarea id="comment-kept" rows={8} readonly>
              {keptText}
            </textarea>
          </p>
        </>
      )}
    </section>
  );
}
