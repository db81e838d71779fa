import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { DateTime } from '../../layout/date-time';
import { FormField } from '../../layout/form-field';
import type { EditedArticle } from '../article-queries';
import type { ReviewRow } from '../review-queries';

export const REVIEW_NOTE_MAX_LENGTH = 2000;

/** A send-back form that came back: for which draft, what was typed, and why. */
export interface RefusedNote {
  id: number;
  note: string;
  error: string;
}

/** Editors: the drafts contributors submitted, each with Publish and "Send back" (with a note for the contributor). */
export function ReviewsPage({
  rows,
  timeZone,
  message,
  refused,
}: {
  rows: ReviewRow[];
  timeZone: string;
  message?: string;
  refused?: RefusedNote;
}) {
  return (
    <>
      <h1>Reviews</h1>
      <AdminMessage
        text={refused ? 'Nothing was sent back: see the marked note.' : message}
        kind={refused ? 'alert' : 'status'}
      />
      {rows.length === 0 ? (
        <p>No draft is waiting for review.</p>
      ) : (
        <ol class="admin-reviews">
          {rows.map((row) => (
            <li>
              <h2>
                <a href={`/admin/articles/${row.id}`}>{row.headline}</a>
              </h2>
              <p>
                By {row.authorName} in {row.sectionName}
                {row.submittedByName && `, submitted by ${row.submittedByName}`}
                {row.reviewRequestedAt && (
                  <>
                    {' '}
                    on <DateTime date={row.reviewRequestedAt} timeZone={timeZone} />
                  </>
                )}
                . <a href={`/admin/articles/${row.id}/preview`}>Preview</a>
              </p>
              {row.standfirst && <p>{row.standfirst}</p>}
              <form method="post" action={`/admin/articles/${row.id}/publish`}>
                <CsrfField />
                <input type="hidden" name="revision" value={String(row.revision)} />
                <input type="hidden" name="publishAt" value="" />
                <button type="submit">Publish now</button>
              </form>
              <form method="post" action={`/admin/articles/${row.id}/review/return`}>
                <CsrfField />
                <FormField
                  id={`note-${row.id}`}
                  name="note"
                  label="Note for the contributor"
                  error={refused?.id === row.id ? refused.error : undefined}
                >
                  {(attributes) => (
                    <textarea {...attributes} rows={3} required maxlength={REVIEW_NOTE_MAX_LENGTH}>
                      {refused?.id === row.id ? refused.note : ''}
                    </textarea>
                  )}
                </FormField>
                <button type="submit" class="secondary">
                  Send back to the contributor
                </button>
              </form>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/**
 * The review box on a draft's edit page, for its contributor: "In review" (and Withdraw), or the
 * editor's note if it was sent back, and "Submit for review".
 */
export function ReviewPanel({ article, timeZone }: { article: EditedArticle; timeZone: string }) {
  return (
    <section class="admin-publication" aria-labelledby="review-heading">
      <h2 id="review-heading">Review</h2>
      {article.reviewRequestedAt ? (
        <>
          <p>
            This draft is <strong>in review</strong> since{' '}
            <DateTime date={article.reviewRequestedAt} timeZone={timeZone} />: an editor will publish it or send it
            back. You can still change it.
          </p>
          <form method="post" action={`/admin/articles/${article.id}/review/withdraw`}>
            <CsrfField />
            <button type="submit" class="secondary">
              Withdraw from review
            </button>
          </form>
        </>
      ) : (
        <>
          {article.reviewNote && (
            <div class="admin-review-note">
              <p>An editor sent this draft back:</p>
              <blockquote>{article.reviewNote}</blockquote>
            </div>
          )}
          <p>
            When it is ready (and saved), submit it: the editors are told, and one of them publishes it or sends it
            back.
          </p>
          <form method="post" action={`/admin/articles/${article.id}/review`}>
            <CsrfField />
            <button type="submit">Submit for review</button>
          </form>
        </>
      )}
    </section>
  );
}
