import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { carriesEditCapability } from '../comments/edit-capability';
import { COMMENT_NOTICE_COOKIE } from '../comments/notice';
import { siteConfig } from '../config';
import { D1_BOOKMARK_COOKIE } from '../db/session';
import { pageCache } from '../page-cache';

/**
 * A reader with a notice waiting, who has just written, or who may still edit a comment gets pages
 * rendered for them, not shared copies.
 */
const hasPersonalState = (c: Context) =>
  getCookie(c, COMMENT_NOTICE_COOKIE) !== undefined ||
  getCookie(c, D1_BOOKMARK_COOKIE) !== undefined ||
  carriesEditCapability(c);

/** An operator's request to render without the cache: only when CACHE_BYPASS_TOKEN is set and sent. */
function isCacheBypassRequest(c: Context): boolean {
  const token: string | undefined = c.env.CACHE_BYPASS_TOKEN;
  return Boolean(token) && c.req.header('X-Cache-Bypass') === token;
}

/** The KV page cache as every public reader page uses it; readers with personal state skip it. */
export const publicPageCache = pageCache({
  namespace: (c) => c.env.PAGE_CACHE,
  ttlSeconds: (c) => siteConfig(c.env).pageCacheTtlSeconds,
  bypass: (c) => hasPersonalState(c) || isCacheBypassRequest(c),
});
