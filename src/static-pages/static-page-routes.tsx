import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { navigationQuery } from '../db/navigation';
import { readerDb } from '../db/session';
import { STATIC_PAGE_PATH } from '../paths';
import { publicPageCache } from '../public-site/public-page-cache';
import { publishedStaticPageQuery } from './queries';
import { StaticPageView } from './views/static-page';

/**
 * A published static page at `/<slug>`. Mounted after every other route, so an address another
 * route answers never reaches it; an unknown slug falls through to the 404 (and the old-address lookup).
 */
export const staticPageRoutes = new Hono<AppEnv>().get(STATIC_PAGE_PATH, publicPageCache(), async (c) => {
  const db = readerDb(c);
  const [[page], navigation] = await db.batch([publishedStaticPageQuery(db, c.req.param('slug')), navigationQuery(db)]);
  if (!page) return c.notFound();
  return c.render(<StaticPageView title={page.title} bodyHtml={page.bodyHtml} />, { title: page.title, navigation });
});
