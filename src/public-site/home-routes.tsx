import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { newerArticleIdsQuery, publishedArticlesQuery } from '../db/articles';
import { navigationQuery } from '../db/navigation';
import { readerDb } from '../db/session';
import { listingPage, listingPath, listingQuery } from './listing-query';
import { publicPageCache } from './public-page-cache';
import { HomePage } from './views/home-page';

export const homeRoutes = new Hono<AppEnv>().get('/', listingQuery, publicPageCache(['after']), async (c) => {
  const { after } = c.req.valid('query');
  const site = siteConfig(c.env);
  const perPage = site.articlesPerPage;
  const db = readerDb(c);
  const [rows, newerIds, navigation] = await db.batch([
    publishedArticlesQuery(db, { limit: perPage + 1, after }),
    newerArticleIdsQuery(db, { perPage, after }),
    navigationQuery(db),
  ]);
  const page = listingPage(rows, newerIds, { perPage, after });
  if (!page) return c.notFound();
  return c.render(<HomePage {...page} timeZone={site.timeZone} />, {
    navigation,
    canonicalPath: listingPath('/', after),
  });
});
