import { z } from 'zod';
import { ARTICLE_LIMITS, SLUG_PATTERN } from '../articles/article-input';
import { STATIC_PAGE_STATUSES } from '../db/schema';
import { slugify } from '../lib/slug';
import { RESERVED_PAGE_SLUGS } from '../paths';

export const STATIC_PAGE_LIMITS = { title: 200, slug: 100, body: ARTICLE_LIMITS.body } as const;

const reserved = new Set<string>(RESERVED_PAGE_SLUGS);

/** Why a slug cannot be a static page's address, or undefined when it can. */
export function slugProblem(slug: string): string | undefined {
  if (!SLUG_PATTERN.test(slug)) return 'Use lowercase letters, digits and single hyphens, like about-us.';
  if (/^[0-9]+$/.test(slug)) return 'A slug of digits alone would read as a year: add a word.';
  if (reserved.has(slug)) return `/${slug} is another part of the site: choose another slug.`;
  return undefined;
}

/** A static page's form: title, slug (empty: made from the title), Markdown body, status, in the navigation or not. */
export const staticPageInputSchema = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'Enter a title.')
      .max(STATIC_PAGE_LIMITS.title, `A title can be at most ${STATIC_PAGE_LIMITS.title} characters long.`),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .max(STATIC_PAGE_LIMITS.slug, `A slug can be at most ${STATIC_PAGE_LIMITS.slug} characters long.`)
      .default(''),
    body: z
      .string()
      .trim()
      .min(1, 'Write the body of the page.')
      .max(
        STATIC_PAGE_LIMITS.body,
        `The body can be at most ${STATIC_PAGE_LIMITS.body.toLocaleString('en-US')} characters long.`,
      ),
    status: z.enum(STATIC_PAGE_STATUSES, 'Choose draft or published.'),
    /** A checkbox: present when ticked. */
    inNavigation: z
      .literal('on')
      .optional()
      .transform((ticked) => ticked === 'on'),
  })
  .transform((input) => ({ ...input, slug: input.slug || slugify(input.title) }))
  .superRefine((input, context) => {
    const problem = slugProblem(input.slug);
    if (problem) context.addIssue({ code: 'custom', path: ['slug'], message: problem });
  });
export type StaticPageInput = z.output<typeof staticPageInputSchema>;
export const STATIC_PAGE_FIELDS = ['title', 'slug', 'body', 'status', 'inNavigation'] as const;
export type StaticPageField = (typeof STATIC_PAGE_FIELDS)[number];

export const moveInputSchema = z.object({ direction: z.enum(['up', 'down']) });
