import type { Context } from 'hono';

/**
 * Set on the redirect after a comment is held, read (and cleared) by the next view of the article:
 * the "awaiting moderation" notice reaches only that reader, never the shared page cache.
 */
export const COMMENT_NOTICE_COOKIE = 'edgepress_comment_notice';

/** The D1 bookmark of a reader's last write (see db/session.ts). */
export const D1_BOOKMARK_COOKIE = 'edgepress_d1_bookmark';
export const D1_BOOKMARK_MAX_AGE_SECONDS = 60;

const hasCookie = (c: Context, name: string) => (c.req.header('Cookie') ?? '').includes(`${name}=`);

/** A reader with a notice waiting, or who has just written, gets pages rendered for them, not shared copies. */
export const hasPersonalState = (c: Context) => hasCookie(c, COMMENT_NOTICE_COOKIE) || hasCookie(c, D1_BOOKMARK_COOKIE);
