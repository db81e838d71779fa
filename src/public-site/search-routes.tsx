import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { navigationQuery } from '../db/navigation';
import { readerDb } from '../db/session';
import { MAX_QUERY_LENGTH } from '../layout/search-form';
import { pageCount } from '../lib/pagination';
import { pagePath, SEARCH_PATH } from '../paths';
import { pageQuery } from './page-query';
import { SEARCH_WINDOW, searchQueries } from './search-queries';
import { matchExpression, searchTerms } from './search-terms';
import { SearchPage } from './views/search-page';

/** `/search?q=…` for a query, plain `/search` without one. */
const searchPath = (query: string) => (query ? `${SEARCH_PATH}?${new URLSearchParams({ q: query })}` : SEARCH_PATH);

/**
 * Site search over the FTS5 index: published articles only, best match first, paginated. Not cached (each
 * query is its own page, and the index makes it cheap); never indexed by search engines. A query too long
 * to run is a 400 with the form to try again.
 */
export const searchRoutes = new Hono<AppEnv>().get(SEARCH_PATH, pageQuery, async (c) => {
  const { page } = c.req.valid('query');
  const q = c.req.query('q') ?? '';
  const site = siteConfig(c.env);
  const db = readerDb(c);
  const tooLong = q.trim().length > MAX_QUERY_LENGTH;
  const query = q.trim().slice(0, MAX_QUERY_LENGTH);
  const terms = tooLong ? [] : searchTerms(query);
  const perPage = site.articlesPerPage;
  const [navigation, results, total] =
    terms.length === 0
      ? [await navigationQuery(db), [], 0]
      : await db
          .batch([navigationQuery(db), ...searchQueries(db, { match: matchExpression(terms), page, perPage })])
          .then(([navigation, results, [counted]]) => [navigation, results, counted?.total ?? 0] as const);
  const pages = pageCount(Math.min(total, SEARCH_WINDOW), perPage);
  if (page > pages) return c.notFound();

  const path = searchPath(query);
  c.status(tooLong ? 400 : 200);
  return c.render(
    <SearchPage
      query={query}
      error={tooLong ? `Search for at most ${MAX_QUERY_LENGTH} characters.` : undefined}
      results={results}
      total={total}
      page={page}
      pageCount={pages}
      path={path}
      timeZone={site.timeZone}
    />,
    { title: query ? `Search: ${query}` : 'Search', navigation, canonicalPath: pagePath(path, page), noindex: true },
  );
});
