import type { Context, Env as HonoEnv, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { hmacSign, hmacVerify } from '../lib/hmac';
import { createDb, type Db } from './client';

declare module 'hono' {
  interface ContextVariableMap {
    /** Drizzle over this request's D1 session: every reader page and every reader's own write. */
    db: Db;
    /** The reader sent the site's signed bookmark of a write in the last minute. */
    recentWriter: boolean;
  }
}

export interface D1SessionOptions<E extends HonoEnv = HonoEnv> {
  database: (c: Context<E>) => D1Database;
  /** Signs the bookmark cookie, so that only a cookie the site issued counts as a recent write. */
  secret: (c: Context<E>) => string;
  /** Holds the reader's bookmark after a write, so their next reads are at least that fresh. */
  cookieName: string;
  /** How long after a write the reader's reads stay pinned to it. */
  cookieMaxAgeSeconds: number;
}

/** The D1 bookmark of a reader's last write. */
export const D1_BOOKMARK_COOKIE = 'edgepress_d1_bookmark';
export const D1_BOOKMARK_MAX_AGE_SECONDS = 60;

const BOOKMARK = /^[\w.:+/=-]{1,200}$/;

/** `<bookmark>~<HMAC of it>`: the bookmark of a write this site answered. */
const signedCookie = async (secret: string, bookmark: string) => `${bookmark}~${await hmacSign(secret, bookmark)}`;

async function verifiedBookmark(secret: string, cookie: string | undefined): Promise<string | undefined> {
  const separator = cookie?.lastIndexOf('~') ?? -1;
  if (!cookie || separator < 0) return undefined;
  const bookmark = cookie.slice(0, separator);
  if (!BOOKMARK.test(bookmark)) return undefined;
  return (await hmacVerify(secret, bookmark, cookie.slice(separator + 1))) ? bookmark : undefined;
}

/**
 * Reads go through D1's Sessions API: an anonymous GET may be answered by the nearest read replica
 * (`first-unconstrained`); a write starts at the primary, and its bookmark is handed back in a
 * cookie, which makes the same reader's next reads at least as fresh as their write (they see their
 * own comment). The cookie is signed: a bookmark the site did not issue is ignored. Sets `c.var.db`
 * (drizzle over the session: drizzle only calls `prepare` and `batch`) and `c.var.recentWriter`
 * (this reader wrote in the last minute, so shared cached pages are not for them).
 *
 * @example
 * app.use('*', d1Session({ database: (c) => c.env.DB, secret: (c) => c.env.BOOKMARK_COOKIE_SECRET, cookieName: 'd1_bookmark', cookieMaxAgeSeconds: 60 }))
 */
export function d1Session<E extends HonoEnv>(options: D1SessionOptions<E>): MiddlewareHandler<E> {
  return async function d1SessionMiddleware(c, next) {
    const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
    const cookie = getCookie(c, options.cookieName);
    const bookmark = reading && cookie ? await verifiedBookmark(options.secret(c), cookie) : undefined;
    const session = options.database(c).withSession(reading ? (bookmark ?? 'first-unconstrained') : 'first-primary');
    c.set('db', createDb(session as unknown as D1Database));
    c.set('recentWriter', bookmark !== undefined);
    await next();
    const latest = session.getBookmark();
    if (!reading && latest && c.res.status < 400) {
      setCookie(c, options.cookieName, await signedCookie(options.secret(c), latest), {
        path: '/',
        maxAge: options.cookieMaxAgeSeconds,
        httpOnly: true,
        sameSite: 'Lax',
        secure: new URL(c.req.url).protocol === 'https:',
      });
    }
  };
}

/** The reader's D1 session (set by `d1Session`): every reader page and every reader's own write. */
export const readerDb = (c: { var: { db: Db } }): Db => c.var.db;
