import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { hmacSign, hmacVerify } from '../lib/hmac';

const COOKIE_PREFIX = 'edgepress_edit_';
const cookieName = (commentId: number) => `${COOKIE_PREFIX}${commentId}`;
const signedText = (commentId: number, expiresAt: number) => `comment-edit|${commentId}|${expiresAt}`;

export const editWindowMs = (env: Env) => siteConfig(env).comments.editWindowMinutes * 60_000;

/**
 * Gives this browser the right to edit or delete the comment it has just posted, until the window
 * closes: a signed cookie per comment, HttpOnly, sent only to the article's own addresses.
 */
export async function grantEditCapability(
  c: Context<AppEnv>,
  { commentId, articlePath, postedAt }: { commentId: number; articlePath: string; postedAt: Date },
): Promise<void> {
  const expiresAt = postedAt.getTime() + editWindowMs(c.env);
  setCookie(
    c,
    cookieName(commentId),
    `${expiresAt}.${await hmacSign(c.env.FORM_TOKEN_SECRET, signedText(commentId, expiresAt))}`,
    {
      path: articlePath,
      maxAge: Math.max(1, Math.floor((expiresAt - Date.now()) / 1000)),
      httpOnly: true,
      sameSite: 'Lax',
      secure: new URL(c.req.url).protocol === 'https:',
    },
  );
}

export function revokeEditCapability(c: Context<AppEnv>, commentId: number, articlePath: string): void {
  setCookie(c, cookieName(commentId), '', { path: articlePath, maxAge: 0, httpOnly: true, sameSite: 'Lax' });
}

/** The comments this browser may still edit (cookies with a valid signature, inside the window). */
export async function editableCommentIds(c: Context<AppEnv>, now = Date.now()): Promise<Set<number>> {
  const editable = new Set<number>();
  for (const [name, value] of Object.entries(getCookie(c))) {
    if (!name.startsWith(COOKIE_PREFIX)) continue;
    const commentId = Number(name.slice(COOKIE_PREFIX.length));
    const [expires, signature = ''] = value.split('.');
    const expiresAt = Number(expires);
    if (!Number.isSafeInteger(commentId) || !Number.isSafeInteger(expiresAt) || expiresAt <= now) continue;
    if (await hmacVerify(c.env.FORM_TOKEN_SECRET, signedText(commentId, expiresAt), signature)) editable.add(commentId);
  }
  return editable;
}
