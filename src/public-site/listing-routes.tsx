import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { newerArticleIdsQuery, publishedArticlesQuery } from '../db/articles';
import { redirectedListingSlug } from '../db/listing-redirects';
import { navigationQuery } from '../db/navigation';
import { readerDb } from '../db/session';
import { listingPage, listingPath, listingQuery } from './listing-query';
import { LISTING_ROUTE, type ListingName, listings } from './listings';
import { publicPageCache } from './public-page-cache';
import { ListingPage } from './views/listing-page';

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
  LISTING_ROUTE,
  listingQuery,
  publicPageCache(['after']),
  async (c) => {
    const listing = listings[c.req.param('listing') as ListingName];
    const slug = c.req.param('slug');
    const { after } = c.req.valid('query');
    const site = siteConfig(c.env);
    const perPage = site.articlesPerPage;
    const db = readerDb(c);
    const [[found], rows, newerIds, navigation] = await db.batch([
      listing.find(db, slug),
      publishedArticlesQuery(db, { limit: perPage + 1, listing: listing.listing(slug), after }),
      newerArticleIdsQuery(db, { perPage, listing: listing.listing(slug), after }),
      navigationQuery(db),
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
        navigation,
        canonicalPath: listingPath(listing.path(slug), after),
        feedListing: { path: listing.path(slug), name: found.name },
      },
    );
  },
);
