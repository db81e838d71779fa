import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { hmacSign, hmacVerify } from '../lib/hmac';

/**
 * The "known commenter" cookie: the ids of the comments this browser posted (the latest few), signed.
 * A comment is published under "first-time" moderation only when one of them is approved with the
 * same email, so an approved comment proves the browser, not the address anyone can type.
 */
export const COMMENTER_COOKIE = 'edgepress_commenter';
const MAX_REMEMBERED = 10;
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;
const signed = (ids: string) => `commenter|${ids}`;

export async function commenterCookieValue(secret: string, ids: number[]): Promise<string> {
  const list = ids.slice(-MAX_REMEMBERED).join('-');
  return `${list}.${await hmacSign(secret, signed(list))}`;
}

/** The comment ids a genuine cookie names; none for a missing, malformed or forged one. */
export async function commentIdsOf(secret: string, value: string | undefined): Promise<number[]> {
  const match = /^(\d{1,12}(?:-\d{1,12}){0,9})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match || !(await hmacVerify(secret, signed(match[1]!), match[2]!))) return [];
  return match[1]!.split('-').map(Number);
}

/** The comments this request's browser has posted, by its cookie. */
export const postedFromThisBrowser = (c: Context<AppEnv>) =>
  commentIdsOf(c.env.FORM_TOKEN_SECRET, getCookie(c, COMMENTER_COOKIE));

/** Adds a newly stored comment to the browser's cookie (HttpOnly, a little over a year). */
export async function rememberComment(c: Context<AppEnv>, known: number[], commentId: number) {
  setCookie(c, COMMENTER_COOKIE, await commenterCookieValue(c.env.FORM_TOKEN_SECRET, [...known, commentId]), {
    path: '/',
    maxAge: MAX_AGE_SECONDS,
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
  });
}
