import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import {
  authorBySlugQuery,
  byAuthor,
  inSection,
  publishedArticlesPageQueries,
  sectionBySlugQuery,
  tagBySlugQuery,
  taggedWith,
} from '../db/articles';
import { redirectedListingSlug } from '../db/listing-redirects';
import { navigationSectionsQuery } from '../db/sections';
import { readerDb } from '../db/session';
import { pageCount } from '../lib/pagination';
import { authorPath, pagePath, sectionPath, tagPath } from '../paths';
import { pageQuery } from './page-query';
import { publicPageCache } from './public-page-cache';
import { ListingPage } from './views/listing-page';

const listings = {
  section: {
    kind: 'Section',
    find: sectionBySlugQuery,
    where: inSection,
    path: sectionPath,
    hasFeeds: true,
    redirects: 'section',
  },
  tag: { kind: 'Tag', find: tagBySlugQuery, where: taggedWith, path: tagPath, hasFeeds: false, redirects: undefined },
  author: {
    kind: 'Author',
    find: authorBySlugQuery,
    where: byAuthor,
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
  pageQuery,
  publicPageCache(['page']),
  async (c) => {
    const listing = listings[c.req.param('listing') as keyof typeof listings];
    const slug = c.req.param('slug');
    const { page } = c.req.valid('query');
    const site = siteConfig(c.env);
    const db = readerDb(c);
    const [[found], articles, [counted], sections] = await db.batch([
      listing.find(db, slug),
      ...publishedArticlesPageQueries(db, { page, perPage: site.articlesPerPage, where: listing.where(slug) }),
      navigationSectionsQuery(db),
    ]);
    if (!found && listing.redirects) {
      const renamed = await redirectedListingSlug(db, listing.redirects, slug);
      if (renamed) return c.redirect(pagePath(listing.path(renamed), page), 301);
    }
    const pages = pageCount(counted?.total ?? 0, site.articlesPerPage);
    if (!found || page > pages) return c.notFound();
    return c.render(
      <ListingPage
        kind={listing.kind}
        name={found.name}
        description={found.description}
        photo={photoOf(found)}
        path={listing.path(slug)}
        articles={articles}
        page={page}
        pageCount={pages}
        timeZone={site.timeZone}
      />,
      {
        title: found.name,
        description: found.description || undefined,
        sections,
        feedSection: listing.hasFeeds ? { slug, name: found.name } : undefined,
      },
    );
  },
);
