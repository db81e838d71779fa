import { doneMessages } from '../layout/done-messages';

/** What the article editor says after a save, a publication, a restore or a review step. */
export const articleDone = doneMessages({
  saved: 'Saved.',
  published: 'Publication updated.',
  restored: (revision) => `Revision ${revision} restored, as a new revision.`,
  submitted: 'Submitted for review: the editors are told.',
  withdrawn: 'Withdrawn from review: it is your draft again.',
});

/** What the reviews page says after a draft was sent back. */
export const reviewsDone = doneMessages({ returned: 'Sent back: the contributor sees your note on the draft.' });
