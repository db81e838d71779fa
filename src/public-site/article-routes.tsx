import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { COMMENT_NOTICE_COOKIE } from '../comments/notice';
import { COMMENT_HELD_NOTICE } from '../comments/views/comment-form';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { wasDeleted } from '../db/deleted-articles';
import { redirectedArticleQuery } from '../db/slug-redirects';
import { canonicalPositiveInteger, pageNumber } from '../lib/pagination';
import { ARTICLE_PATH, articlePath } from '../paths';
import { articleResponse } from './article-response';
import { publicPageCache } from './public-page-cache';

const articleQuery = validInput(
  'query',
  z.object({ page: pageNumber, replyto: canonicalPositiveInteger(12).optional() }),
  (c) => c.notFound(),
);

export const articleRoutes = new Hono<AppEnv>().get(
  ARTICLE_PATH,
  articleQuery,
  publicPageCache(['page', 'replyto']),
  async (c) => {
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
    const db = primaryDb(c.env);
    const renamed = await redirectedArticleQuery(db, slug);
    if (renamed) return c.redirect(articlePath(renamed, siteConfig(c.env).timeZone), 301);
    if (await wasDeleted(db, slug)) throw new HTTPException(410, { message: 'This article has been removed' });
    return response;
  },
);
