import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { readerDb } from '../db/session';
import { checkFormToken, createFormToken, type FormTokenCheck } from '../lib/form-token';
import { hmacSign } from '../lib/hmac';
import { clientAddress, ipGroup } from '../lib/ip-group';
import { describeWait, hitLimits, type RateLimitRefusal, rateLimit } from '../rate-limit';
import { postedFromThisBrowser, rememberComment } from './commenter-cookie';
import { notifyModeOf } from './input';
import { followFromComment } from './notify-publish';
import { postComment } from './post-comment';

const commentFormScope = (slug: string) => `comment:${slug}`;

/** The token a comment form on the article `slug` carries (in the page, or in the JSON API's answer). */
export const commentFormToken = (env: Env, slug: string) =>
  createFormToken(env.FORM_TOKEN_SECRET, commentFormScope(slug), Date.now());

export const TOO_QUICKLY = 'You are posting comments too quickly. Please wait a moment and try again.';
export const DUPLICATE = 'Duplicate comment: it looks as though you have already said that.';
export const STAFF_NAME = 'This name belongs to a member of our staff. Please choose another name.';
export const USED_FORM =
  'This copy of the form has already been used to post a comment. Your comment is still here: please send it again.';
export const EXPIRED_FORM =
  'This form was open for too long, so we could not accept it. Your comment is still here: please send it again.';

/** The sentence shown to a reader who was rate-limited. */
export function limitMessage({ rule, retryAfterSeconds }: RateLimitRefusal): string {
  return `${rule.message} You can post again in ${describeWait(retryAfterSeconds)}.`;
}

/**
 * The comment endpoints' limits: per IP group (/24, /48) a flood rule and per-minute and per-hour
 * limits, and per email the flood rule. Runs after `c.var.comment` is set.
 */
export function commentRateLimit(
  onLimited: (c: Context<AppEnv>, refusal: RateLimitRefusal) => Response | Promise<Response>,
) {
  return rateLimit<AppEnv>({
    namespace: (c) => c.env.RATE_LIMITER,
    keys: (c) => {
      const { floodSeconds, limitPerMinute, limitPerHour } = siteConfig(c.env).comments;
      const flood = { limit: 1, windowSeconds: floodSeconds, message: TOO_QUICKLY };
      return [
        {
          key: `comment-ip:${ipGroup(clientAddress(c) ?? '')}`,
          rules: [
            flood,
            {
              limit: limitPerMinute,
              windowSeconds: 60,
              message: 'You have reached the limit of comments a minute from your network.',
            },
            {
              limit: limitPerHour,
              windowSeconds: 3600,
              message: 'You have reached the limit of comments an hour from your network.',
            },
          ],
        },
        { key: `comment-email:${c.var.comment.email.toLowerCase()}`, rules: [flood], personal: true },
      ];
    },
    onLimited,
  });
}

/**
 * Refused forms per IP group: each one re-renders the article, so they are counted like posts. The
 * refusal past the limit, if this one is past it.
 */
export async function refusedFormLimit(c: Context<AppEnv>): Promise<RateLimitRefusal | undefined> {
  const { refusalsPerMinute, refusalsPerHour } = siteConfig(c.env).comments;
  const key = {
    key: `comment-refused-ip:${ipGroup(clientAddress(c) ?? '')}`,
    rules: [
      {
        limit: refusalsPerMinute,
        windowSeconds: 60,
        message: 'This form has been sent back too often from your network.',
      },
      {
        limit: refusalsPerHour,
        windowSeconds: 3600,
        message: 'This form has been sent back too often from your network.',
      },
    ],
  };
  return hitLimits(c.env.RATE_LIMITER, [key], Date.now());
}

/**
 * The quiet traps: a filled honeypot, or a form token that is missing or forged. Such posts get an
 * accepted-looking answer and are not stored.
 * An expired token is not a trap: the reader gets the form back to send again.
 */
export async function checkCommentTraps(
  env: Env,
  slug: string,
  input: { website?: string; token?: string },
): Promise<'trapped' | 'expired' | 'ok'> {
  if (input.website) return 'trapped';
  const check: FormTokenCheck = input.token
    ? await checkFormToken(env.FORM_TOKEN_SECRET, commentFormScope(slug), input.token, Date.now())
    : 'invalid';
  if (check === 'expired') return 'expired';
  return check === 'valid' ? 'ok' : 'trapped';
}

/**
 * What makes a form token's use unique: the token from this network (IP group), salted and hashed.
 * A replay from the same network stores nothing; readers of one cached copy of the page on other
 * networks each post with it (as they could each have fetched a token of their own).
 */
const formTokenUse = (env: Env, token: string, address: string | null) =>
  hmacSign(env.IP_HASH_SALT, `form-token|${token}|${ipGroup(address ?? '')}`);

/**
 * Posts this request's validated comment (`c.var.comment`) to the article named in the URL, with this
 * browser's earlier comments as its proof, and adds a stored comment to the browser's cookie.
 */
export async function postRequestComment(
  c: Context<AppEnv>,
  { staff = false, member = false }: { staff?: boolean; member?: boolean } = {},
) {
  const input = c.var.comment;
  const browserCommentIds = await postedFromThisBrowser(c);
  const result = await postComment(c.env, readerDb(c), {
    slug: c.req.param('slug') ?? '',
    parentId: input.parent,
    authorName: input.name,
    authorEmail: input.email,
    body: input.comment,
    ipAddress: clientAddress(c),
    browserCommentIds,
    formToken: input.token ? await formTokenUse(c.env, input.token, clientAddress(c)) : null,
    staff,
    member,
    now: new Date(),
  });
  if (result.outcome === 'published' || result.outcome === 'held') {
    await rememberComment(c, browserCommentIds, result.commentId);
    const mode = notifyModeOf(input);
    if (mode) {
      const request = {
        commentId: result.commentId,
        email: input.email,
        mode,
        now: new Date(),
        requestId: c.var.requestId,
      };
      await followFromComment(c.env, primaryDb(c.env), request, (task) => c.executionCtx.waitUntil(task));
    }
  }
  return result;
}
