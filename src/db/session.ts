import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createDb, type Db } from './client';

export interface D1SessionOptions {
  database: (c: Context) => D1Database;
  /** Holds the reader's bookmark after a write, so their next reads are at least that fresh. */
  cookieName: string;
  /** How long after a write the reader's reads stay pinned to it. */
  cookieMaxAgeSeconds: number;
}

/** The D1 bookmark of a reader's last write. */
export const D1_BOOKMARK_COOKIE = 'edgepress_d1_bookmark';
export const D1_BOOKMARK_MAX_AGE_SECONDS = 60;

const BOOKMARK = /^[\w.:+/=-]{1,200}$/;

/**
 * Reads go through D1's Sessions API: an anonymous GET may be answered by the nearest read replica
 * (`first-unconstrained`); a write starts at the primary, and its bookmark is handed back in a
 * cookie, which makes the same reader's next reads at least as fresh as their write (they see their
 * own comment). Sets `c.var.db` (drizzle over the session: drizzle only calls `prepare` and `batch`).
 *
 * @example
 * app.use('*', d1Session({ database: (c) => c.env.DB, cookieName: 'd1_bookmark', cookieMaxAgeSeconds: 60 }))
 */
export function d1Session(options: D1SessionOptions): MiddlewareHandler<{ Variables: { db: Db } }> {
  return async function d1SessionMiddleware(c, next) {
    const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
    const bookmark = getCookie(c, options.cookieName);
    const session = options
      .database(c)
      .withSession(
        reading ? (bookmark && BOOKMARK.test(bookmark) ? bookmark : 'first-unconstrained') : 'first-primary',
      );
    c.set('db', createDb(session as unknown as D1Database));
    await next();
    const latest = session.getBookmark();
    if (!reading && latest && c.res.status < 400) {
      setCookie(c, options.cookieName, latest, {
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
