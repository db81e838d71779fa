import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { editableCommentIds } from '../comments/edit-capability';
import { withMemberName } from '../comments/views/comment-form';
import { siteConfig } from '../config';
import { requestAccess } from '../members/reader-access';
import { pageCache } from '../page-cache';

/** An operator's request to render without the cache: only when CACHE_BYPASS_TOKEN is set and sent. */
function isCacheBypassRequest(c: Context<AppEnv>): boolean {
  const token: string | undefined = c.env.CACHE_BYPASS_TOKEN;
  return Boolean(token) && c.req.header('X-Cache-Bypass') === token;
}

/** A route's validated query (set by its validator before the cache runs). */
type ValidQuery = { page?: number; replyto?: number; after?: number };
const validQuery = (c: Context<AppEnv>): ValidQuery => (c.req.valid as (target: 'query') => ValidQuery)('query');

/**
 * The KV page cache as every public reader page uses it. A signed-in member gets the page of their
 * access level (member or paid), shared by every member of that level: the page is rendered with
 * nothing personal in it (the comment form's member name is told on the way out, withMemberName).
 * Only a reader who has just written (the site's signed bookmark, see db/session.ts) or who may still
 * edit a comment (a signed edit cookie) skips the cache: a crafted or expired cookie reads the cache
 * like anyone. (The held-comment notice rides on the bookmark: its own cookie is not signed, so it
 * alone does not skip the cache.) `variant` names the validated query values that change the page
 * (`page`, `replyto`, `after`); any other parameter, or a route without them (feeds, sitemap), shares
 * the plain page. `path` names the address the page is kept under when it is not the request's own
 * (see PageCacheOptions).
 */
export function publicPageCache(
  variant: (keyof ValidQuery)[] = [],
  path?: (c: Context<AppEnv>) => string,
): MiddlewareHandler<AppEnv> {
  const cache = pageCache<AppEnv>({
    path,
    namespace: (c) => c.env.PAGE_CACHE,
    ttlSeconds: (c) => siteConfig(c.env).pageCacheTtlSeconds,
    bypass: async (c) =>
      c.get('recentWriter') === true || isCacheBypassRequest(c) || (await editableCommentIds(c)).size > 0,
    variant: (c) => {
      if (variant.length === 0) return {};
      const query = validQuery(c);
      return Object.fromEntries(variant.map((name) => [name, query[name]]));
    },
    level: (c) => {
      const access = requestAccess(c);
      return access === 'anonymous' ? undefined : access;
    },
  });
  return async function publicPageCacheMiddleware(c, next) {
    const cached = await cache(c, next);
    if (cached) c.res = cached;
    const { member } = c.var;
    if (member && c.res.headers.get('Content-Type')?.startsWith('text/html')) {
      c.res = withMemberName(c.res, member.name);
      c.res.headers.delete('ETag');
    }
  };
}
