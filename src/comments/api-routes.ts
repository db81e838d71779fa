import { Hono } from 'hono';
import { createFactory } from 'hono/factory';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { loadArticlePage } from '../db/article-page';
import { readerDb } from '../db/session';
import { pageCount, pageNumber } from '../lib/pagination';
import { articlePath, pagePath } from '../paths';
import { COMMENTS_CLOSED, commentsClosed } from './closing';
import {
  checkCommentTraps,
  commentFormToken,
  commentRateLimit,
  DUPLICATE,
  EXPIRED_FORM,
  limitMessage,
  postRequestComment,
  STAFF_NAME,
  USED_FORM,
} from './guards';
import { commentInputSchema, fieldErrors } from './input';
import { buildThreads, COMMENTS_PER_PAGE } from './threads';
import { COMMENT_HELD_NOTICE } from './views/comment-form';
import { commentThreadJson } from './views/comment-json';

const COMMENTS_PATH = '/api/articles/:slug{[a-z0-9-]+}/comments';
const NOT_FOUND = { error: 'There is no published article at this address.' };

/** Both routes share one path: typing the factory with it keeps `c.req.param('slug')` a string. */
const factory = createFactory<AppEnv, typeof COMMENTS_PATH>();

/** One page of an article's comment threads as JSON, with the form token a new comment needs. */
const listComments = factory.createHandlers(
  validInput('query', z.object({ page: pageNumber }), (c) =>
    c.json({ error: 'page must be a whole number from 1.' }, 400),
  ),
  async (c) => {
    const slug = c.req.param('slug');
    const { page } = c.req.valid('query');
    const site = siteConfig(c.env);
    const loaded = await loadArticlePage(readerDb(c), {
      slug,
      commentPage: page,
      commentsPerPage: COMMENTS_PER_PAGE,
    });
    if (!loaded) return c.json(NOT_FOUND, 404);
    const pages = pageCount(loaded.topLevelCommentCount, COMMENTS_PER_PAGE);
    if (page > pages) return c.json({ error: `This article has ${pages} page(s) of comments.` }, 404);
    return c.json({
      article: {
        slug,
        headline: loaded.article.headline,
        url: site.url + articlePath(loaded.article, site.timeZone),
      },
      commentCount: loaded.commentCount,
      commentsOpen: !commentsClosed(loaded.article, site.comments.closeAfterDays, new Date()),
      page,
      pageCount: pages,
      comments: buildThreads(loaded.roots, loaded.replies).map(commentThreadJson),
      /** Send it back as `token` when posting (within a day). */
      formToken: await commentFormToken(c.env, slug),
    });
  },
);

/** Posts a comment sent as JSON (past the traps and the rate limit): published (201), held (202) or refused. */
const postComment = factory.createHandlers(
  validInput('json', commentInputSchema, (c, error) =>
    c.json({ error: 'Some fields are not valid.', fields: fieldErrors(error) }, 422),
  ),
  async (c, next) => {
    const input = c.req.valid('json');
    c.set('comment', input);
    const trap = await checkCommentTraps(c.env, c.req.param('slug'), input);
    if (trap === 'expired') return c.json({ error: EXPIRED_FORM, fields: { token: 'expired' } }, 422);
    if (trap === 'trapped') return c.json({ status: 'pending', message: COMMENT_HELD_NOTICE }, 202);
    await next();
  },
  commentRateLimit((c, refusal) =>
    c.json({ error: limitMessage(refusal), retryAfterSeconds: refusal.retryAfterSeconds }, 429),
  ),
  async (c) => {
    const site = siteConfig(c.env);
    const result = await postRequestComment(c);
    switch (result.outcome) {
      case 'article-not-found':
        return c.json(NOT_FOUND, 404);
      case 'closed':
        return c.json({ error: COMMENTS_CLOSED }, 403);
      case 'invalid-parent':
        return c.json(
          { error: 'Some fields are not valid.', fields: { parent: 'There is no such comment on this article.' } },
          422,
        );
      case 'duplicate':
        return c.json({ error: DUPLICATE }, 409);
      case 'staff-name':
        return c.json({ error: 'Some fields are not valid.', fields: { name: STAFF_NAME } }, 422);
      case 'token-used':
        return c.json(
          {
            error: USED_FORM,
            fields: { token: 'used' },
            formToken: await commentFormToken(c.env, c.req.param('slug')),
          },
          422,
        );
      case 'token-replayed':
      case 'held':
        return c.json({ status: 'pending', message: COMMENT_HELD_NOTICE }, 202);
      case 'published': {
        const url = `${site.url}${pagePath(result.articlePath, result.commentPage)}#comment-${result.commentId}`;
        c.header('Location', url);
        return c.json({ status: 'approved', id: result.commentId, url }, 201);
      }
    }
  },
);

/** The comments API: an article's comments as JSON, and new comments posted as JSON. */
export const commentApiRoutes = new Hono<AppEnv>()
  .get(COMMENTS_PATH, ...listComments)
  .post(COMMENTS_PATH, ...postComment);
