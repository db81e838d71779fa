import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { primaryDb } from '../db/client';
import { hmacSign, hmacVerify } from '../lib/hmac';
import { hasRole } from './roles';
import { resumeSessionById, SESSION_MAX_MS, sessionId } from './sessions';

/**
 * The session cookie is sent only to /admin, so the article's comment form cannot see it. This
 * second cookie, set and cleared with it, names the session (its row id, never the token) with an
 * HMAC: it proves nothing once the session ends, and does nothing but let its editor comment as staff
 * and its staff member see the images of drafts.
 */
export const STAFF_COMMENTER_COOKIE = 'edgepress_staff';
const signed = (id: string) => `staff-commenter|${id}`;
const OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'Strict' } as const;

export async function setStaffCommenterCookie(c: Context<AppEnv>, token: string): Promise<void> {
  const id = await sessionId(token);
  setCookie(c, STAFF_COMMENTER_COOKIE, `${id}.${await hmacSign(c.env.FORM_TOKEN_SECRET, signed(id))}`, {
    ...OPTIONS,
    maxAge: SESSION_MAX_MS / 1000,
  });
}

export const clearStaffCommenterCookie = (c: Context<AppEnv>) => deleteCookie(c, STAFF_COMMENTER_COOKIE, OPTIONS);

/**
 * The staff member, of any role, whose live session this browser's staff-commenter cookie names: on
 * the public site, what lets them see a draft's images.
 */
export async function staffBrowsing(c: Context<AppEnv>) {
  const [id = '', signature = ''] = (getCookie(c, STAFF_COMMENTER_COOKIE) ?? '').split('.');
  if (!id || !(await hmacVerify(c.env.FORM_TOKEN_SECRET, signed(id), signature))) return undefined;
  return resumeSessionById(primaryDb(c.env), id, new Date());
}

/** The staff member (editor role and up) who comments as staff from this browser, if any. */
export async function staffCommenter(c: Context<AppEnv>): Promise<{ name: string; email: string } | undefined> {
  const staffMember = await staffBrowsing(c);
  if (!staffMember || !hasRole(staffMember.role, 'editor') || staffMember.name.trim() === '') return undefined;
  return { name: staffMember.name, email: staffMember.email };
}
