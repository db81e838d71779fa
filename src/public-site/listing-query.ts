import { z } from 'zod';
import { validInput } from '../app-env';
import type { ArticleSummary } from '../db/articles';
import { canonicalPositiveInteger } from '../lib/pagination';

/**
 * `?after=<article id>` on a home or listing page: the page of articles after that one (the last the
 * newer page showed). An id in another spelling, or an article the listing does not show, is a 404,
 * so a listing has at most one address per article it shows.
 */
export const listingQuery = validInput('query', z.object({ after: canonicalPositiveInteger(9).optional() }), (c) =>
  c.notFound(),
);

/** A listing page's address: `path` with `after=<id>` added, or the plain path for the first page. */
export const listingPath = (path: string, after: number | undefined) =>
  after === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}after=${after}`;

/** Where a listing page's links go: the newer page (undefined on the first), the older one (undefined on the last). */
export interface ListingNeighbours {
  newer?: { after?: number };
  older?: { after: number };
}

/**
 * A page from what `publishedArticlesQuery` (perPage + 1 rows) and `newerArticleIdsQuery` read;
 * undefined when the anchor is not in the listing or nothing follows it.
 */
export function listingPage<Row extends ArticleSummary>(
  rows: Row[],
  newerIds: { id: number }[],
  { perPage, after }: { perPage: number; after: number | undefined },
): ({ articles: Row[] } & ListingNeighbours) | undefined {
  const articles = rows.slice(0, perPage);
  const older = rows.length > perPage ? { after: articles.at(-1)!.id } : undefined;
  if (after === undefined) return { articles, older };
  if (newerIds[0]?.id !== after || articles.length === 0) return undefined;
  const newer = newerIds.length > perPage ? { after: newerIds.at(-1)!.id } : {};
  return { articles, older, newer };
}
