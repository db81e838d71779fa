import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AppEnv, validInput } from '../app-env';
import type { InvalidInput } from '../lib/validator';
import { ARTICLE_PATH, pagePath } from '../paths';
import { COMMENTS_CLOSED } from './closing';
import { grantEditCapability } from './edit-capability';
import {
  checkCommentTraps,
  commentRateLimit,
  DUPLICATE,
  EXPIRED_FORM,
  limitMessage,
  postRequestComment,
  refusedFormLimit,
  STAFF_NAME,
  USED_FORM,
} from './guards';
import { type CommentFormValues, type CommentInput, commentInputSchema, fieldErrors, submittedValues } from './input';
import { normalizeCommentEmail } from './normalize';
import { COMMENT_NOTICE_COOKIE } from './notice';
import type { CommentFormState } from './views/comment-form';
import { TooOftenPage } from './views/too-often-page';

declare module 'hono' {
  interface ContextVariableMap {
    /** Whether a signed-in editor is posting this comment (set by the comment form's route). */
    staffComment: boolean;
    /** Whether a signed-in member is posting this comment, under their member name (set by the comment form's route). */
    memberComment: boolean;
  }
}

/** Renders the article page with a reader's refused comment form in it (the public site provides it). */
export type ArticleWithForm = (
  c: Context<AppEnv>,
  options: {
    requestedPath: string;
    slug: string;
    commentPage: number;
    replyTo?: number;
    form: CommentFormState & { status: ContentfulStatusCode };
  },
) => Promise<Response>;

/** The article page again, with the reader's text kept in the form and the reason it came back. */
async function formAgain(
  articleResponse: ArticleWithForm,
  c: Context<AppEnv>,
  values: CommentFormValues,
  status: ContentfulStatusCode,
  form: Omit<CommentFormState, 'values'>,
) {
  const tooOften = await refusedFormLimit(c);
  if (tooOften) {
    c.header('Cache-Control', 'private, no-store');
    c.header('Retry-After', String(tooOften.retryAfterSeconds));
    c.status(429);
    return c.render(
      <TooOftenPage
        message={limitMessage(tooOften)}
        articlePath={requestedArticlePath(c)}
        comment={values.comment ?? ''}
      />,
      { title: 'Please wait' },
    );
  }
  const parent = Number(values.parent);
  return articleResponse(c, {
    requestedPath: requestedArticlePath(c),
    slug: c.req.param('slug') ?? '',
    commentPage: 1,
    replyTo: Number.isInteger(parent) && parent > 0 ? parent : undefined,
    form: { ...form, values, status },
  });
}

function requestedArticlePath(c: Context<AppEnv>) {
  const { year, month, slug } = c.req.param() as { year: string; month: string; slug: string };
  return `/${year}/${month}/${slug}`;
}

/** Post/Redirect/Get to the held notice, which only this reader's next view shows. */
export function redirectToHeldNotice(c: Context<AppEnv>, articlePath = requestedArticlePath(c)) {
  setCookie(c, COMMENT_NOTICE_COOKIE, 'held', {
    path: articlePath,
    maxAge: 300,
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
  });
  return c.redirect(`${articlePath}#comment-notice`, 303);
}

/** The signed-in editor posting, if any (the admin provides it): their comment goes out under this name and address. */
export type StaffCommenter = (c: Context<AppEnv>) => Promise<{ name: string; email: string } | undefined>;

/** The signed-in member posting, if any (the members' folder provides it): no name or email is typed. */
export type MemberCommenter = StaffCommenter;

const memberCommentSchema = commentInputSchema.omit({ name: true, email: true });
const MEMBER_WITHOUT_NAME = 'Please give your name on your account page first: your comments are published under it.';

/**
 * The form's fields: a reader's as typed, a member's completed with their member name and address.
 * Either way `c.var.comment` holds the valid comment, or the form comes back with the reader's text.
 */
function commentInput(articleResponse: ArticleWithForm, memberCommenter: MemberCommenter): MiddlewareHandler<AppEnv> {
  const refused: InvalidInput<AppEnv> = (c, error, submitted) =>
    formAgain(articleResponse, c, submittedValues(submitted), 422, {
      errors: fieldErrors(error),
      message: 'Please correct the marked fields: your comment has not been posted yet.',
    });
  // Called from this middleware rather than chained, so their input types are not the route's.
  const readerInput = validInput('form', commentInputSchema, refused) as unknown as MiddlewareHandler<AppEnv>;
  const memberInput = validInput('form', memberCommentSchema, refused) as unknown as MiddlewareHandler<AppEnv>;
  return async (c, next) => {
    const member = await memberCommenter(c);
    c.set('memberComment', member !== undefined);
    if (!member) {
      return readerInput(c, async () => {
        c.set('comment', c.req.valid('form' as never));
        await next();
      });
    }
    if (member.name.trim() === '') {
      return formAgain(articleResponse, c, submittedValues(await c.req.parseBody()), 422, {
        message: MEMBER_WITHOUT_NAME,
      });
    }
    return memberInput(c, async () => {
      const input: Omit<CommentInput, 'name' | 'email'> = c.req.valid('form' as never);
      c.set('comment', { ...input, name: member.name, email: normalizeCommentEmail(member.email) });
      await next();
    });
  };
}

/**
 * The comment form's POST, on the article's own address; a refused form comes back inside `articleResponse`.
 * A signed-in editor's comment (see `staffCommenter`) is published at once under their staff name, marked staff;
 * a signed-in member's goes out under their member name and address, judged as a known commenter's.
 */
export const commentFormRoutes = (
  articleResponse: ArticleWithForm,
  staffCommenter: StaffCommenter,
  memberCommenter: MemberCommenter,
) =>
  new Hono<AppEnv>().post(
    `${ARTICLE_PATH}/comments`,
    commentInput(articleResponse, memberCommenter),
    async (c, next) => {
      const staff = await staffCommenter(c);
      const input = c.var.comment;
      if (staff) c.set('comment', { ...input, name: staff.name, email: staff.email.toLowerCase() });
      c.set('staffComment', staff !== undefined);
      const trap = await checkCommentTraps(c.env, c.req.param('slug'), input);
      if (trap === 'expired')
        return formAgain(articleResponse, c, submittedValues(input), 422, { message: EXPIRED_FORM });
      if (trap === 'trapped') return redirectToHeldNotice(c);
      await next();
    },
    commentRateLimit((c, refusal) =>
      formAgain(articleResponse, c, submittedValues(c.var.comment), 429, { message: limitMessage(refusal) }),
    ),
    async (c) => {
      const input = c.var.comment;
      const result = await postRequestComment(c, { staff: c.var.staffComment, member: c.var.memberComment });
      switch (result.outcome) {
        case 'article-not-found':
          return c.notFound();
        case 'closed':
          return formAgain(articleResponse, c, submittedValues(input), 403, { message: COMMENTS_CLOSED });
        case 'invalid-parent':
          return formAgain(articleResponse, c, { ...submittedValues(input), parent: undefined }, 422, {
            errors: { parent: 'The comment you replied to is not on this article, so your comment was not posted.' },
          });
        case 'duplicate':
          return formAgain(articleResponse, c, submittedValues(input), 409, { message: DUPLICATE });
        case 'staff-name':
          return formAgain(
            articleResponse,
            c,
            submittedValues(input),
            422,
            c.var.memberComment ? { message: STAFF_NAME } : { errors: { name: STAFF_NAME } },
          );
        case 'token-used':
          return formAgain(articleResponse, c, submittedValues(input), 422, { message: USED_FORM });
        case 'token-replayed':
          return redirectToHeldNotice(c);
        case 'held':
          await grantEditCapability(c, { ...result, postedAt: new Date() });
          return redirectToHeldNotice(c, result.articlePath);
        case 'published':
          await grantEditCapability(c, { ...result, postedAt: new Date() });
          return c.redirect(`${pagePath(result.articlePath, result.commentPage)}#comment-${result.commentId}`, 303);
      }
    },
  );
