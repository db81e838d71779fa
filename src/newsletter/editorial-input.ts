import { z } from 'zod';
import { MOST_ARTICLES } from './issue';

export const ISSUE_LIMITS = { subject: 200, preheader: 200, intro: 20_000, closing: 5_000 } as const;
export const ISSUE_FIELDS = ['subject', 'preheader', 'intro', 'closing', 'positions'] as const;
export type IssueField = (typeof ISSUE_FIELDS)[number];

/** A form field sent once or several times (or not at all), as a list. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(item).max(MOST_ARTICLES * 2));

const id = z.coerce.number().int().positive();

/**
 * The issue editor's form. Every article it lists is sent back in `article` (in the order shown) with
 * its `position`; the ticked ones in `include`. The chosen articles go in position order (ties keep the
 * order shown). `automatic` says the form showed the week's articles as the weekly send would pick them:
 * sent back unchanged, the issue keeps picking them by itself.
 */
export const issueInputSchema = z
  .object({
    subject: z.string().trim().min(1, 'Write a subject.').max(ISSUE_LIMITS.subject, 'At most 200 characters.'),
    preheader: z.string().trim().max(ISSUE_LIMITS.preheader, 'At most 200 characters.').default(''),
    intro: z.string().max(ISSUE_LIMITS.intro, 'At most 20,000 characters.').default(''),
    closing: z.string().max(ISSUE_LIMITS.closing, 'At most 5,000 characters.').default(''),
    article: list(id),
    position: list(z.string().trim()),
    include: list(id),
    automatic: z.literal('1').optional(),
    paidOnly: z.literal('yes').optional(),
  })
  .transform((form, context) => {
    const included = new Set(form.include);
    const chosen: { id: number; position: number; shown: number }[] = [];
    for (const [shown, articleId] of form.article.entries()) {
      if (!included.has(articleId)) continue;
      const position = Number(form.position[shown] || shown + 1);
      if (!Number.isInteger(position) || position < 1 || position > 99) {
        context.addIssue({ code: 'custom', path: ['positions'], message: 'Positions are whole numbers from 1 to 99.' });
        return z.NEVER;
      }
      chosen.push({ id: articleId, position, shown });
    }
    if (chosen.length > MOST_ARTICLES) {
      context.addIssue({
        code: 'custom',
        path: ['positions'],
        message: `An issue carries at most ${MOST_ARTICLES} articles.`,
      });
      return z.NEVER;
    }
    const articleIds = chosen.sort((a, b) => a.position - b.position || a.shown - b.shown).map((choice) => choice.id);
    const unchanged =
      articleIds.length === form.article.length && articleIds.every((each, i) => each === form.article[i]);
    return {
      subject: form.subject,
      preheader: form.preheader,
      intro: form.intro,
      closing: form.closing,
      articleIds: form.automatic && unchanged ? null : articleIds,
      paidOnly: form.paidOnly === 'yes',
    };
  });

export type IssueInput = z.output<typeof issueInputSchema>;

/** How an issue goes out, when the site has a local hour: each copy at that hour in its subscriber's time zone, or all now. */
export const sendInputSchema = z.object({
  delivery: z.enum(['local-hour', 'now'], 'Choose how to deliver the issue.'),
});

export const scheduleInputSchema = z.object({
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Choose a day and a time.'),
});
