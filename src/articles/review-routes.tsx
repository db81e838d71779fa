import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { AdminMessage } from '../layout/admin-layout';
import { submittedStrings } from '../lib/form-errors';
import { requireRole } from '../staff/require-role';
import { articleDone, reviewsDone } from './done';
import { ownDraftOrEditor } from './edit-rights';
import { REVIEWS_PATH } from './review-digest';
import { endReview, reviewListQuery, submitForReview } from './review-queries';
import { REVIEW_NOTE_MAX_LENGTH, type RefusedNote, ReviewsPage } from './views/reviews-page';

const ID = ':id{[0-9]{1,15}}';

async function reviewsPage(c: Context<AppEnv>, status: 200 | 422, refused?: RefusedNote) {
  c.status(status);
  return c.render(
    <ReviewsPage
      rows={await reviewListQuery(primaryDb(c.env))}
      timeZone={siteConfig(c.env).timeZone}
      message={reviewsDone.message(reviewsDone.schema.parse(c.req.query()))}
      refused={refused}
    />,
    { title: 'Reviews' },
  );
}

/** A review action that does not apply to the article as it is now (already submitted, published meanwhile…). */
function notApplicable(c: Context<AppEnv>, reason: string) {
  c.status(409);
  return c.render(
    <>
      <AdminMessage text={reason} kind="alert" />
      <p>
        <a href={`/admin/articles/${c.req.param('id')}`}>Back to the article</a>
      </p>
    </>,
    { title: 'Not changed' },
  );
}

const noteForm = validInput(
  'form',
  z.object({
    note: z
      .string()
      .trim()
      .min(1, 'Say what the contributor should change.')
      .max(
        REVIEW_NOTE_MAX_LENGTH,
        `A note can be at most ${REVIEW_NOTE_MAX_LENGTH.toLocaleString('en-US')} characters long.`,
      ),
  }),
  (c, error, submitted) =>
    reviewsPage(c, 422, {
      id: Number(c.req.param('id')),
      note: submittedStrings(submitted, ['note']).note ?? '',
      error: error.issues[0]?.message ?? 'Write a note.',
    }),
);

/**
 * The review flow: a contributor submits their draft (and may withdraw it); editors see the drafts
 * waiting at /admin/reviews, publish one (the article's usual publish route) or send it back with a note.
 * A draft in review stays editable by its contributor until it is published, as in Ghost.
 */
export const reviewRoutes = new Hono<AppEnv>()
  .get(REVIEWS_PATH, requireRole('editor'), (c) => reviewsPage(c, 200))
  .post(`/admin/articles/${ID}/review`, ownDraftOrEditor, async (c) => {
    const id = Number(c.req.param('id'));
    if (!(await submitForReview(primaryDb(c.env), id))) {
      return notApplicable(c, 'Not submitted: only a draft that is not in review already can be submitted.');
    }
    return c.redirect(articleDone.path(`/admin/articles/${id}`, 'submitted'), 303);
  })
  .post(`/admin/articles/${ID}/review/withdraw`, ownDraftOrEditor, async (c) => {
    const id = Number(c.req.param('id'));
    if (!(await endReview(primaryDb(c.env), id)))
      return notApplicable(c, 'Not withdrawn: this draft is not in review.');
    return c.redirect(articleDone.path(`/admin/articles/${id}`, 'withdrawn'), 303);
  })
  .post(`/admin/articles/${ID}/review/return`, requireRole('editor'), noteForm, async (c) => {
    const id = Number(c.req.param('id'));
    if (!(await endReview(primaryDb(c.env), id, c.req.valid('form').note))) {
      return notApplicable(
        c,
        'Not sent back: this article is not in review (it may have been published or withdrawn).',
      );
    }
    return c.redirect(reviewsDone.path(REVIEWS_PATH, 'returned'), 303);
  });
