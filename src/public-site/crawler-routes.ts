import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { publishedArticlesQuery } from '../db/articles';
import { readerDb } from '../db/session';
import { absoluteUrl, LLMS_TXT_PATH, SITEMAP_PATH } from '../paths';
import { describedSectionsQuery, LLMS_TXT_ARTICLES, llmsTxt } from './llms-txt';
import { publicPageCache } from './public-page-cache';
import { robotsTxt } from './views/sitemap-xml';

/**
 * What tells crawlers where they may go and where the sitemap index is (`robots.txt`), and what
 * tells language models what the site holds (`llms.txt`, through the page cache).
 */
export const crawlerRoutes = new Hono<AppEnv>()
  .get('/robots.txt', (c) => {
    const site = siteConfig(c.env);
    return c.text(robotsTxt(absoluteUrl(site.url, SITEMAP_PATH), site.contentSignals));
  })
  .get(LLMS_TXT_PATH, publicPageCache(), async (c) => {
    const db = readerDb(c);
    const [described, latest] = await db.batch([
      describedSectionsQuery(db),
      publishedArticlesQuery(db, { limit: LLMS_TXT_ARTICLES }),
    ]);
    return c.text(llmsTxt(siteConfig(c.env), described, latest));
  });
