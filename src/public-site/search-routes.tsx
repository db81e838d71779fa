import { Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { navigationQuery } from '../db/navigation';
import { readerDb } from '../db/session';
import { MAX_QUERY_LENGTH } from '../layout/search-form';
import { canonicalPositiveInteger, pageCount, pageNumber } from '../lib/pagination';
import { pagePath, SEARCH_PATH } from '../paths';
import { listingPage, listingPath } from './listing-query';
import { bestMatchSearchQueries, newestSearchQueries, SEARCH_WINDOW } from './search-queries';
import { matchExpression, searchTerms } from './search-terms';
import { SearchPage, type SearchSort } from './views/search-page';

/** `/search?q=…` for a query (with `sort=best-match` for that order), plain `/search` without one. */
const searchPath = (query: string, sort: SearchSort) =>
  query
    ? `${SEARCH_PATH}?${new URLSearchParams({ q: query, ...(sort === 'best-match' ? { sort } : {}) })}`
    : SEARCH_PATH;

/**
 * Newest first, a page at a time from the last article shown (`after`, as the listings do), or, with
 * `sort=best-match`, the newest SEARCH_WINDOW matches ranked and numbered in pages (`page`). A
 * parameter of the other order is a 404.
 */
const searchQuery = validInput(
  'query',
  z
    .object({
      sort: z.enum(['best-match']).optional(),
      after: canonicalPositiveInteger(9).optional(),
      page: pageNumber,
    })
    .refine(({ sort, after, page }) => (sort === 'best-match' ? after === undefined : page === 1)),
  (c) => c.notFound(),
);

/**
 * Site search over the FTS5 index: published articles only. Not cached (each query is its own page, and
 * the index makes it cheap); never indexed by search engines. A query too long to run is a 400 with the
 * form to try again.
 */
export const searchRoutes = new Hono<AppEnv>().get(SEARCH_PATH, searchQuery, async (c) => {
  const { sort = 'newest', after, page } = c.req.valid('query');
  const q = c.req.query('q') ?? '';
  const site = siteConfig(c.env);
  const db = readerDb(c);
  const tooLong = q.trim().length > MAX_QUERY_LENGTH;
  const query = q.trim().slice(0, MAX_QUERY_LENGTH);
  const terms = tooLong ? [] : searchTerms(query);
  const perPage = site.articlesPerPage;
  const path = searchPath(query, sort);
  const render = (
    props: Omit<Parameters<typeof SearchPage>[0], 'query' | 'path' | 'sort' | 'timeZone'>,
    canonical: string,
    navigation: Awaited<ReturnType<typeof navigationQuery>>,
  ) => {
    c.status(tooLong ? 400 : 200);
    return c.render(
      <SearchPage
        query={query}
        path={path}
        sort={sort}
        timeZone={site.timeZone}
        error={tooLong ? `Search for at most ${MAX_QUERY_LENGTH} characters.` : undefined}
        {...props}
      />,
      { title: query ? `Search: ${query}` : 'Search', navigation, canonicalPath: canonical, noindex: true },
    );
  };

  if (terms.length === 0) {
    if (after !== undefined || page > 1) return c.notFound();
    return render({ results: [] }, path, await navigationQuery(db));
  }
  const match = matchExpression(terms);
  if (sort === 'best-match') {
    const [navigation, results, [counted]] = await db.batch([
      navigationQuery(db),
      ...bestMatchSearchQueries(db, { match, page, perPage }),
    ]);
    const published = counted?.total ?? 0;
    // Drafts among the newest matches make the window's published fewer than it holds: "more" is by matches.
    const total = (counted?.matched ?? 0) > SEARCH_WINDOW ? SEARCH_WINDOW + 1 : published;
    const pages = pageCount(Math.min(published, SEARCH_WINDOW), perPage);
    if (page > pages) return c.notFound();
    return render({ results, total, pages: { page, pageCount: pages } }, pagePath(path, page), navigation);
  }
  const [navigation, rows, newerIds] = await db.batch([
    navigationQuery(db),
    ...newestSearchQueries(db, { match, after, perPage }),
  ]);
  const listing = listingPage(rows, newerIds, { perPage, after });
  if (!listing) return c.notFound();
  const { articles, ...neighbours } = listing;
  return render({ results: articles, neighbours }, listingPath(path, after), navigation);
});
