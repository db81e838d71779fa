import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../app-env';
import { primaryDb } from '../db/client';
import { csrfTokenFor, resumeSession, SESSION_MAX_MS, type SignedInStaffMember } from './sessions';
import { clearStaffCommenterCookie, setStaffCommenterCookie } from './staff-commenter';

declare module 'hono' {
  interface ContextVariableMap {
    /** The staffMember signed in to /admin (set by requireEditor). */
    staffMember: SignedInStaffMember;
    /** The signed-in staffMember's per-session token, which every admin form carries (checked by requireEditor). */
    csrfToken: string;
  }
}

export const STAFF_SESSION_COOKIE = 'editor_session';
const COOKIE_PATH = '/admin';

/** HttpOnly, Secure (browsers accept it on http://localhost and http://127.0.0.1 too), SameSite=Strict, only sent to /admin. */
export async function setSessionCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, STAFF_SESSION_COOKIE, token, {
    path: COOKIE_PATH,
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    maxAge: SESSION_MAX_MS / 1000,
  });
  await setStaffCommenterCookie(c, token);
}

export function clearSessionCookie(c: Context<AppEnv>) {
  clearStaffCommenterCookie(c);
  deleteCookie(c, STAFF_SESSION_COOKIE, { path: COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'Strict' });
}

export const sessionToken = (c: Context<AppEnv>) => getCookie(c, STAFF_SESSION_COOKIE);

export interface RequireStaffOptions {
  /** Where a signed-out GET is sent (303). */
  signInPath: string;
  /** Paths anyone may use (the sign-in form itself; a pattern for the invitation links). */
  publicPaths: (string | RegExp)[];
}

/**
 * Lets through only a signed-in editor (a live session: 12 h idle, 7 days at most), setting
 * `c.var.editor` and `c.var.csrfToken`. Anyone else gets 303 to the sign-in page on a GET, 401 otherwise.
 * A POST (or any other state-changing method) must also carry the session's CSRF token, else 403.
 *
 * @example
 * admin.use('/admin/*', requireEditor({ signInPath: '/admin/sign-in', publicPaths: ['/admin/sign-in'] }))
 */
export function requireStaff(options: RequireStaffOptions): MiddlewareHandler<AppEnv> {
  return async function requireEditorMiddleware(c, next) {
    const path = c.req.path;
    if (options.publicPaths.some((open) => (typeof open === 'string' ? open === path : open.test(path)))) return next();
    const token = sessionToken(c);
    const staffMember = token ? await resumeSession(primaryDb(c.env), token, new Date()) : undefined;
    if (!token || !staffMember) {
      if (token) clearSessionCookie(c);
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(options.signInPath, 303);
      throw new HTTPException(401, {
        message: 'Please sign in again: you are not signed in, or your session has ended.',
      });
    }
    c.set('staffMember', staffMember);
    c.set('csrfToken', await csrfTokenFor(token));
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !(await carriesCsrfToken(c))) {
      throw new HTTPException(403, { message: 'This form could not be accepted: reload the page and try again.' });
    }
    await next();
  };
}

export const CSRF_FIELD = 'csrf';

/** Whether a form post carries the session's own token (on top of the app-wide Origin check). */
async function carriesCsrfToken(c: Context<AppEnv>): Promise<boolean> {
  const sent = await c.req
    .formData()
    .then((form) => form.get(CSRF_FIELD))
    .catch(() => null);
  return typeof sent === 'string' && timingSafeEqual(sent, c.var.csrfToken);
}
