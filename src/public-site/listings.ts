import { z } from 'zod';
import { validInput } from '../app-env';
import {
  authorBySlugQuery,
  byAuthor,
  inSection,
  type Listing,
  sectionBySlugQuery,
  tagBySlugQuery,
} from '../db/articles';
import { authorPath, sectionPath, tagPath } from '../paths';

/**
 * The listings readers open under `/<listing>/<slug>`, each with its page and its feeds: how its row
 * is found, which articles it lists, its address, and where a renamed slug's redirects are kept.
 */
export const listings = {
  section: {
    kind: 'Section',
    find: sectionBySlugQuery,
    listing: (slug: string): Listing => ({ where: inSection(slug) }),
    path: sectionPath,
    redirects: 'section',
  },
  tag: {
    kind: 'Tag',
    find: tagBySlugQuery,
    listing: (slug: string): Listing => ({ tagSlug: slug }),
    path: tagPath,
    redirects: undefined,
  },
  author: {
    kind: 'Author',
    find: authorBySlugQuery,
    listing: (slug: string): Listing => ({ where: byAuthor(slug) }),
    path: authorPath,
    redirects: 'author',
  },
} as const;

export type ListingName = keyof typeof listings;

/** The `:listing` and `:slug` parameters of a listing's routes. */
export const LISTING_ROUTE = '/:listing{section|tag|author}/:slug{[a-z0-9-]+}';

/** LISTING_ROUTE's parameters, for the routes whose path the router cannot type (a feed's, built by `feedPath`). */
export const listingParams = validInput(
  'param',
  z.object({ listing: z.enum(['section', 'tag', 'author']) satisfies z.ZodType<ListingName>, slug: z.string() }),
  (c) => c.notFound(),
);
