import { zValidator } from '@hono/zod-validator';
import { type Context, Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env';
import { pagePath } from '../paths';
import { ARTICLE_PATH } from '../reading/article';
import { articleResponse } from '../reading/article-response';
import { COMMENT_NOTICE_COOKIE } from '../reading/reader-cookies';
import {
  checkCommentTraps,
  commentRateLimit,
  DUPLICATE,
  EXPIRED_FORM,
  limitMessage,
  postRequestComment,
} from './guards';
import { type CommentFormValues, commentInputSchema, fieldErrors, submittedValues } from './input';
import type { CommentFormState } from './views/comment-form';

/** The article page again, with the reader's text kept in the form and the reason it came back. */
async function formAgain(
  c: Context<AppEnv>,
  values: CommentFormValues,
  status: ContentfulStatusCode,
  form: Omit<CommentFormState, 'values'>,
) {
  const { year, month, slug } = c.req.param() as { year: string; month: string; slug: string };
  const parent = Number(values.parent);
  return articleResponse(c, {
    requestedPath: `/${year}/${month}/${slug}`,
    slug,
    commentPage: 1,
    replyTo: Number.isInteger(parent) && parent > 0 ? parent : undefined,
    form: { ...form, values, status },
  });
}

/** Post/Redirect/Get to the held notice, which only this reader's next view shows. */
function redirectToHeldNotice(c: Context<AppEnv>, articlePath: string) {
  setCookie(c, COMMENT_NOTICE_COOKIE, 'held', {
    path: articlePath,
    maxAge: 300,
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
  });
  return c.redirect(`${articlePath}#comment-notice`, 303);
}

export const commentRoutes = new Hono<AppEnv>().post(
  `${ARTICLE_PATH}/comments`,
  zValidator('form', commentInputSchema, async (result, c) => {
    if (!result.success) {
      // zValidator types its hook's context with Hono's default Env; at run time it is this app's.
      return formAgain(c as unknown as Context<AppEnv>, submittedValues(result.data), 422, {
        errors: fieldErrors(result.error),
        message: 'Please correct the marked fields: your comment has not been posted yet.',
      });
    }
  }),
  async (c, next) => {
    const input = c.req.valid('form');
    c.set('comment', input);
    const trap = await checkCommentTraps(c.env, c.req.param('slug'), input);
    if (trap === 'expired') return formAgain(c, submittedValues(input), 422, { message: EXPIRED_FORM });
    if (trap === 'trapped') {
      const { year, month, slug } = c.req.param();
      return redirectToHeldNotice(c, `/${year}/${month}/${slug}`);
    }
    await next();
  },
  commentRateLimit((c, refusal) =>
    formAgain(c, submittedValues(c.var.comment), 429, { message: limitMessage(refusal) }),
  ),
  async (c) => {
    const input = c.var.comment;
    const result = await postRequestComment(c);
    switch (result.outcome) {
      case 'article-not-found':
        return c.notFound();
      case 'invalid-parent':
        return formAgain(c, { ...submittedValues(input), parent: undefined }, 422, {
          errors: { parent: 'The comment you replied to is not on this article, so your comment was not posted.' },
        });
      case 'duplicate':
        return formAgain(c, submittedValues(input), 409, { message: DUPLICATE });
      case 'held':
        return redirectToHeldNotice(c, result.articlePath);
      case 'published':
        return c.redirect(`${pagePath(result.articlePath, result.commentPage)}#comment-${result.commentId}`, 303);
    }
  },
);
