import { z } from 'zod';
import { ARTICLE_ACCESS } from '../db/schema';
import { slugify } from '../lib/slug';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_TAGS = 20;

/** The longest value of each text field: the schema enforces them, the editor's form shows them as `maxlength`. */
export const ARTICLE_LIMITS = {
  headline: 200,
  slug: 100,
  standfirst: 500,
  body: 60_000,
  heroImageUrl: 2000,
  heroImageAlt: 300,
  heroImageCredit: 200,
  tags: 1000,
  metaTitle: 70,
  metaDescription: 160,
  socialTitle: 100,
  socialDescription: 200,
  canonicalUrl: 2000,
} as const;

const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} can be at most ${max.toLocaleString('en-US')} characters long.`)
    .default('');

/** A hero image: an http(s) address, or a path on this site such as /images/hero.jpg. */
const imageUrl = text(ARTICLE_LIMITS.heroImageUrl, 'The image address').refine(
  (value) => value === '' || /^\/(?!\/)/.test(value) || /^https?:\/\/[^\s]+$/i.test(value),
  'Use an https:// address or a path on this site, such as /images/hero.jpg.',
);

/** "Japan, South China Sea , japan" → ["Japan", "South China Sea"] (one per slug, first spelling kept). */
export function parseTagList(list: string): string[] {
  const bySlug = new Map<string, string>();
  for (const name of list.split(',').map((tag) => tag.trim().replace(/\s+/g, ' '))) {
    if (name && !bySlug.has(slugify(name))) bySlug.set(slugify(name), name);
  }
  return [...bySlug.values()];
}

/** The article editor's form. A blank slug is made from the headline. */
export const articleInputSchema = z
  .object({
    headline: z
      .string()
      .trim()
      .min(1, 'Give the article a headline.')
      .max(ARTICLE_LIMITS.headline, `The headline can be at most ${ARTICLE_LIMITS.headline} characters long.`),
    slug: text(ARTICLE_LIMITS.slug, 'The slug').transform((slug) => slug.toLowerCase()),
    standfirst: text(ARTICLE_LIMITS.standfirst, 'The standfirst'),
    body: z
      .string()
      .trim()
      .min(1, 'Write the body of the article.')
      .max(
        ARTICLE_LIMITS.body,
        `The body can be at most ${ARTICLE_LIMITS.body.toLocaleString('en-US')} characters long.`,
      ),
    access: z.enum(ARTICLE_ACCESS, { error: 'Choose who may read the whole article.' }).default('public'),
    heroImageUrl: imageUrl,
    heroImageAlt: text(ARTICLE_LIMITS.heroImageAlt, 'The alt text'),
    heroImageCredit: text(ARTICLE_LIMITS.heroImageCredit, 'The credit'),
    authorId: z.coerce.number({ error: 'Choose an author.' }).int().positive('Choose an author.'),
    sectionId: z.coerce.number({ error: 'Choose a section.' }).int().positive('Choose a section.'),
    tags: text(ARTICLE_LIMITS.tags, 'The tag list')
      .transform(parseTagList)
      .refine((tags) => tags.length <= MAX_TAGS, `At most ${MAX_TAGS} tags.`)
      .refine(
        (tags) => tags.every((tag) => slugify(tag) !== '' && tag.length <= 60),
        'Each tag needs a letter or digit and at most 60 characters.',
      ),
    metaTitle: text(ARTICLE_LIMITS.metaTitle, 'The search title'),
    metaDescription: text(ARTICLE_LIMITS.metaDescription, 'The search description'),
    socialTitle: text(ARTICLE_LIMITS.socialTitle, 'The social title'),
    socialDescription: text(ARTICLE_LIMITS.socialDescription, 'The social description'),
    canonicalUrl: text(ARTICLE_LIMITS.canonicalUrl, 'The canonical address').refine(
      (value) => value === '' || (URL.canParse(value) && new URL(value).protocol === 'https:' && !/\s/.test(value)),
      'Use an absolute https:// address, or leave it empty for this article’s own.',
    ),
    /** A checkbox: sent as "on" when ticked, absent otherwise. */
    noindex: z
      .literal('on')
      .optional()
      .transform((value) => value === 'on'),
    /** The revision the form was loaded at (none for a new article): a save based on an older one is refused. */
    revision: z.coerce.number().int().min(0).optional(),
  })
  .transform((input) => ({ ...input, slug: input.slug || slugify(input.headline) }))
  .superRefine((input, context) => {
    if (!SLUG_PATTERN.test(input.slug)) {
      context.addIssue({
        code: 'custom',
        path: ['slug'],
        message: 'Use lowercase letters, digits and single hyphens, such as asean-summit-2026.',
      });
    }
    if (input.heroImageUrl && !input.heroImageAlt) {
      context.addIssue({
        code: 'custom',
        path: ['heroImageAlt'],
        message: 'Describe the image for readers who cannot see it.',
      });
    }
  });

export type ArticleInput = z.output<typeof articleInputSchema>;
export const ARTICLE_FIELDS = [
  'headline',
  'slug',
  'standfirst',
  'body',
  'access',
  'heroImageUrl',
  'heroImageAlt',
  'heroImageCredit',
  'heroImageFile',
  'authorId',
  'sectionId',
  'tags',
  'metaTitle',
  'metaDescription',
  'socialTitle',
  'socialDescription',
  'canonicalUrl',
  'noindex',
  'revision',
] as const;
export type ArticleField = (typeof ARTICLE_FIELDS)[number];
