import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { publishedArticlesPageQueries } from '../db/articles';
import { navigationSectionsQuery } from '../db/sections';
import { readerDb } from '../db/session';
import { pageCount } from '../lib/pagination';
import { pageQuery } from './page-query';
import { publicPageCache } from './public-page-cache';
import { HomePage } from './views/home-page';

export const homeRoutes = new Hono<AppEnv>().get('/', pageQuery, publicPageCache(['page']), async (c) => {
  const { page } = c.req.valid('query');
  const site = siteConfig(c.env);
  const db = readerDb(c);
  const [articles, [counted], sections] = await db.batch([
    ...publishedArticlesPageQueries(db, { page, perPage: site.articlesPerPage }),
    navigationSectionsQuery(db),
  ]);
  const pages = pageCount(counted?.total ?? 0, site.articlesPerPage);
  if (page > pages) return c.notFound();
  return c.render(<HomePage articles={articles} page={page} pageCount={pages} timeZone={site.timeZone} />, {
    sections,
  });
});
