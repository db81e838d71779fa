import { z } from 'zod';
import { SLUG_PATTERN } from '../articles/article-input';
import { slugify } from '../lib/slug';
import { mediaHashOf } from '../media/keys';

export const PHOTO_NOT_IN_LIBRARY =
  'Paste the address of an image in the media library (Images), such as /media/…/640, or leave it empty.';

/** The longest value of each field: the schema enforces them, the forms show them as `maxlength`. */
export const LISTING_LIMITS = { name: 100, slug: 100, text: 500, photo: 300 } as const;

/** A section's or author's form: a name, a slug (empty: made from the name) and a description (a section's) or bio (an author's). */
export const listingInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name.')
      .max(LISTING_LIMITS.name, `A name can be at most ${LISTING_LIMITS.name} characters long.`),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .max(LISTING_LIMITS.slug, `A slug can be at most ${LISTING_LIMITS.slug} characters long.`)
      .default(''),
    text: z
      .string()
      .trim()
      .max(LISTING_LIMITS.text, `This text can be at most ${LISTING_LIMITS.text} characters long.`)
      .default(''),
    /** An author's photo: the address of a media-library image (`/media/<hash>/<width>`), kept as its hash; empty for none. */
    photo: z
      .string()
      .trim()
      .max(LISTING_LIMITS.photo)
      .default('')
      .refine((address) => address === '' || mediaHashOf(address) !== undefined, PHOTO_NOT_IN_LIBRARY)
      .transform((address) => mediaHashOf(address) ?? null),
  })
  .transform((input) => ({ ...input, slug: input.slug || slugify(input.name) }))
  .refine((input) => SLUG_PATTERN.test(input.slug), {
    path: ['slug'],
    message: 'Use lowercase letters, digits and single hyphens, like south-china-sea.',
  });
export type ListingInput = z.output<typeof listingInputSchema>;
export const LISTING_FIELDS = ['name', 'slug', 'text', 'photo'] as const;
export type ListingField = (typeof LISTING_FIELDS)[number];

export const mergeInputSchema = z.object({ into: z.coerce.number().int().positive() });
export const moveInputSchema = z.object({ direction: z.enum(['up', 'down']) });
