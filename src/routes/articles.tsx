import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { COMMENT_HELD_NOTICE } from '../views/comment-form';
import { articleResponse } from './article-response';
import { COMMENT_NOTICE_COOKIE } from './comment-notice-cookie';
import { pageNumber } from './page-query';
import { publicPageCache } from './public-page-cache';

export const ARTICLE_PATH = '/:year{[0-9]{4}}/:month{[0-9]{2}}/:slug{[a-z0-9-]+}';

const articleQuery = zValidator(
  'query',
  z.object({ page: pageNumber, replyto: z.coerce.number().int().positive().optional() }),
  (result, c) => {
    if (!result.success) return c.notFound();
  },
);

export const articleRoutes = new Hono<AppEnv>().get(ARTICLE_PATH, publicPageCache, articleQuery, async (c) => {
  const { year, month, slug } = c.req.param();
  const { page, replyto } = c.req.valid('query');
  const held = getCookie(c, COMMENT_NOTICE_COOKIE) !== undefined;
  if (held) deleteCookie(c, COMMENT_NOTICE_COOKIE, { path: c.req.path });
  return articleResponse(c, {
    requestedPath: `/${year}/${month}/${slug}`,
    slug,
    commentPage: page,
    replyTo: replyto,
    notice: held ? COMMENT_HELD_NOTICE : undefined,
  });
});
