import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { absoluteUrl, SITEMAP_PATH } from '../paths';
import { robotsTxt } from './views/sitemap-xml';

/** What tells search engines' crawlers where they may go and where the sitemap index is: `robots.txt`. */
export const crawlerRoutes = new Hono<AppEnv>().get('/robots.txt', (c) =>
  c.text(robotsTxt(absoluteUrl(siteConfig(c.env).url, SITEMAP_PATH))),
);
