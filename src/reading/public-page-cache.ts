import type { Context } from 'hono';
import { siteConfig } from '../config';
import { pageCache } from '../page-cache/index';
import { hasPersonalState } from './reader-cookies';

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
