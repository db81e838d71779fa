import { and, eq } from 'drizzle-orm';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { isPublished } from '../db/articles';
import { primaryDb } from '../db/client';
import { articles } from '../db/schema';
import { readerDb } from '../db/session';
import { personalPage } from '../layout/personal-page';
import { firstErrorPerField } from '../lib/form-errors';
import { ARTICLE_PATH, articlePath, pagePath } from '../paths';
import { deleteOwnComment, editComment, type OwnComment, ownComment } from './author-edits';
import { postedFromThisBrowser } from './commenter-cookie';
import { editableCommentIds, editWindowMs, revokeEditCapability } from './edit-capability';
import { redirectToHeldNotice } from './form-routes';
import { DUPLICATE } from './guards';
import { commentInputSchema } from './input';
import { commentPageOf } from './queries';
import { COMMENTS_PER_PAGE } from './threads';
import { DeleteCommentPage, EditClosedPage, EditCommentPage } from './views/edit-pages';

const COMMENT_PATH = `${ARTICLE_PATH}/comments/:id{[0-9]+}`;

interface AuthorEdit {
  article: { id: number; headline: string; path: string };
  comment: OwnComment;
  minutesLeft: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    authorEdit: AuthorEdit;
  }
}

/**
 * Lets the request through only from the browser that posted the comment, inside the edit window;
 * anyone else, or later, gets a 403 page that says why.
 */
const authorOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { year, month, slug, id } = c.req.param() as Record<'year' | 'month' | 'slug' | 'id', string>;
  const db = primaryDb(c.env);
  const site = siteConfig(c.env);
  const [article] = await db
    .select({ id: articles.id, slug: articles.slug, headline: articles.headline, publishedAt: articles.publishedAt })
    .from(articles)
    .where(and(eq(articles.slug, slug), isPublished));
  const path = article && articlePath(article, site.timeZone);
  if (!article || path !== `/${year}/${month}/${slug}`) return c.notFound();
  const commentId = Number(id);
  const now = Date.now();
  const comment = (await editableCommentIds(c, now)).has(commentId)
    ? await ownComment(db, { id: commentId, articleId: article.id })
    : undefined;
  const left = comment ? comment.createdAt.getTime() + editWindowMs(c.env) - now : 0;
  if (!comment || left <= 0) {
    return personalPage(
      c,
      'This comment can no longer be changed',
      <EditClosedPage articlePath={path} minutes={site.comments.editWindowMinutes} />,
      403,
    );
  }
  c.set('authorEdit', {
    article: { id: article.id, headline: article.headline, path },
    comment,
    minutesLeft: Math.max(1, Math.ceil(left / 60_000)),
  });
  await next();
};

function editPage(c: Context<AppEnv>, status: ContentfulStatusCode, body: string, error?: string, message?: string) {
  const { article, comment, minutesLeft } = c.var.authorEdit;
  return personalPage(
    c,
    'Edit your comment',
    <EditCommentPage
      articlePath={article.path}
      headline={article.headline}
      commentId={comment.id}
      body={body}
      minutesLeft={minutesLeft}
      error={error}
      message={message}
    />,
    status,
  );
}

const editSchema = z.object({ comment: commentInputSchema.shape.comment });

/**
 * Editing and deleting one's own comment, from the browser that posted it, within the edit window.
 * The writes go through the reader's session: its bookmark cookie keeps the author off the shared
 * cached page until the purge has run, also once a delete has taken their last edit cookie.
 */
export const commentEditRoutes = new Hono<AppEnv>()
  .get(`${COMMENT_PATH}/edit`, authorOnly, (c) => editPage(c, 200, c.var.authorEdit.comment.body))
  .post(
    `${COMMENT_PATH}/edit`,
    authorOnly,
    validInput('form', editSchema, (c, error, submitted) => {
      const text = (submitted as Record<string, unknown> | undefined)?.comment;
      return editPage(c, 422, typeof text === 'string' ? text : '', firstErrorPerField(error, ['comment']).comment);
    }),
    async (c) => {
      const { article, comment } = c.var.authorEdit;
      const { comment: body } = c.req.valid('form');
      const db = readerDb(c);
      const result = await editComment(c.env, db, comment, body, await postedFromThisBrowser(c), new Date());
      if (result.outcome === 'duplicate') return editPage(c, 409, body, undefined, DUPLICATE);
      if (result.outcome === 'held') return redirectToHeldNotice(c, article.path);
      const page = await commentPageOf(db, {
        rootId: comment.rootId ?? comment.id,
        perPage: COMMENTS_PER_PAGE,
      });
      return c.redirect(`${pagePath(article.path, page)}#comment-${comment.id}`, 303);
    },
  )
  .get(`${COMMENT_PATH}/delete`, authorOnly, (c) => {
    const { article, comment } = c.var.authorEdit;
    return personalPage(
      c,
      'Delete your comment?',
      <DeleteCommentPage articlePath={article.path} headline={article.headline} commentId={comment.id} />,
    );
  })
  .post(`${COMMENT_PATH}/delete`, authorOnly, async (c) => {
    const { article, comment } = c.var.authorEdit;
    await deleteOwnComment(c.env, readerDb(c), comment);
    revokeEditCapability(c, comment.id, article.path);
    return c.redirect(`${article.path}#comments`, 303);
  });
