import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { COMMENT_HELD_NOTICE } from '../comments/views/comment-form';
import { siteConfig } from '../config';
import { createDb } from '../db/client';
import { redirectedArticleQuery } from '../db/slug-redirects';
import { articlePath } from '../paths';
import { articleResponse } from './article-response';
import { pageNumber } from './page-query';
import { publicPageCache } from './public-page-cache';
import { COMMENT_NOTICE_COOKIE } from './reader-cookies';

export const ARTICLE_PATH = '/:year{[0-9]{4}}/:month{[0-9]{2}}/:slug{[a-z0-9-]+}';

const articleQuery = zValidator(
  'query',
  z.object({ page: pageNumber, replyto: z.coerce.number().int().positive().optional() }),
  (result, c) => {
    if (!result.success) return c.notFound();
  },
);

export const articleRoutes = new Hono<AppEnv>().get(ARTICLE_PATH, articleQuery, publicPageCache, async (c) => {
  const { year, month, slug } = c.req.param();
  const { page, replyto } = c.req.valid('query');
  const held = getCookie(c, COMMENT_NOTICE_COOKIE) !== undefined;
  if (held) deleteCookie(c, COMMENT_NOTICE_COOKIE, { path: c.req.path });
  const response = await articleResponse(c, {
    requestedPath: `/${year}/${month}/${slug}`,
    slug,
    commentPage: page,
    replyTo: replyto,
    notice: held ? COMMENT_HELD_NOTICE : undefined,
  });
  if (response.status !== 404) return response;
  // A published article whose slug was changed keeps its old address working.
  const renamed = await redirectedArticleQuery(createDb(c.env.DB), slug);
  return renamed ? c.redirect(articlePath(renamed, siteConfig(c.env).timeZone), 301) : response;
});
