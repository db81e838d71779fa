import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import {
  authorBySlugQuery,
  byAuthor,
  inSection,
  type Listing,
  newerArticleIdsQuery,
  publishedArticlesQuery,
  sectionBySlugQuery,
  tagBySlugQuery,
} from '../db/articles';
import { redirectedListingSlug } from '../db/listing-redirects';
import { navigationSectionsQuery } from '../db/sections';
import { readerDb } from '../db/session';
import { authorPath, sectionPath, tagPath } from '../paths';
import { listingPage, listingPath, listingQuery } from './listing-query';
import { publicPageCache } from './public-page-cache';
import { ListingPage } from './views/listing-page';

const listings = {
  section: {
    kind: 'Section',
    find: sectionBySlugQuery,
    listing: (slug: string): Listing => ({ where: inSection(slug) }),
    path: sectionPath,
    hasFeeds: true,
    redirects: 'section',
  },
  tag: {
    kind: 'Tag',
    find: tagBySlugQuery,
    listing: (slug: string): Listing => ({ tagSlug: slug }),
    path: tagPath,
    hasFeeds: false,
    redirects: undefined,
  },
  author: {
    kind: 'Author',
    find: authorBySlugQuery,
    listing: (slug: string): Listing => ({ where: byAuthor(slug) }),
    path: authorPath,
    hasFeeds: false,
    redirects: 'author',
  },
} as const;

/** An author's row has a photo (from the media library); a section's or tag's has none. */
const photoOf = (found: {
  name: string;
  photoHash?: string | null;
  photoWidth?: number | null;
  photoHeight?: number | null;
}) =>
  found.photoHash
    ? { hash: found.photoHash, width: found.photoWidth ?? null, height: found.photoHeight ?? null }
    : undefined;

export const listingRoutes = new Hono<AppEnv>().get(
  '/:listing{section|tag|author}/:slug{[a-z0-9-]+}',
  listingQuery,
  publicPageCache(['after']),
  async (c) => {
    const listing = listings[c.req.param('listing') as keyof typeof listings];
    const slug = c.req.param('slug');
    const { after } = c.req.valid('query');
    const site = siteConfig(c.env);
    const perPage = site.articlesPerPage;
    const db = readerDb(c);
    const [[found], rows, newerIds, sections] = await db.batch([
      listing.find(db, slug),
      publishedArticlesQuery(db, { limit: perPage + 1, listing: listing.listing(slug), after }),
      newerArticleIdsQuery(db, { perPage, listing: listing.listing(slug), after }),
      navigationSectionsQuery(db),
    ]);
    if (!found && listing.redirects) {
      const renamed = await redirectedListingSlug(db, listing.redirects, slug);
      const path = renamed && listing.path(renamed);
      if (path) return c.redirect(listingPath(path, after), 301);
    }
    const page = found && listingPage(rows, newerIds, { perPage, after });
    if (!page) return c.notFound();
    return c.render(
      <ListingPage
        kind={listing.kind}
        name={found.name}
        description={found.description}
        photo={photoOf(found)}
        path={listing.path(slug)}
        {...page}
        timeZone={site.timeZone}
      />,
      {
        title: found.name,
        description: found.description || undefined,
        sections,
        canonicalPath: listingPath(listing.path(slug), after),
        feedSection: listing.hasFeeds ? { slug, name: found.name } : undefined,
      },
    );
  },
);
