import type { Context, MiddlewareHandler } from 'hono';
import { pageCacheKey, readCachedPage, writeCachedPage } from '../page-cache/store';

export interface PageCacheOptions {
  /** The KV namespace that holds rendered pages. */
  namespace: (c: Context) => KVNamespace;
  /** How long a stored page lives in KV. */
  ttlSeconds: (c: Context) => number;
  /** Requests that must skip the cache entirely (they carry per-visitor state, e.g. a flash cookie). */
  bypass?: (c: Context) => boolean;
}

/** Browsers revalidate every time (a cheap 304 thanks to the ETag), so a reader never sees a stale page after posting. */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

function isStorable(res: Response): boolean {
  const cacheControl = res.headers.get('Cache-Control') ?? '';
  return (
    res.status === 200 &&
    (res.headers.get('Content-Type') ?? '').startsWith('text/html') &&
    !res.headers.has('Set-Cookie') &&
    !/\b(private|no-store)\b/.test(cacheControl)
  );
}

function htmlResponse(html: string, etag: string, cacheStatus: 'HIT' | 'MISS'): Response {
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=UTF-8',
      'Cache-Control': PUBLIC_PAGE_CACHE_CONTROL,
      ETag: etag,
      'X-Cache': cacheStatus,
    },
  });
}

/**
 * Serves public GET (and so HEAD) pages from KV, rendering and storing them on a miss. A hit never reaches the
 * route (so never touches D1). Responses that are not a plain 200 HTML page, that set a cookie, or
 * that the route marks `private`/`no-store` are passed through unstored, marked `X-Cache: BYPASS`.
 *
 * @example
 * app.use('*', pageCache({ namespace: (c) => c.env.PAGE_CACHE, ttlSeconds: () => 3600 }))
 */
export function pageCache(options: PageCacheOptions): MiddlewareHandler {
  return async function pageCacheMiddleware(c, next) {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || options.bypass?.(c)) {
      await next();
      c.res.headers.set('X-Cache', 'BYPASS');
      return;
    }
    const kv = options.namespace(c);
    const key = pageCacheKey(new URL(c.req.url));
    const cached = await readCachedPage(kv, key);
    if (cached) return htmlResponse(cached.html, cached.etag, 'HIT');

    await next();
    if (!isStorable(c.res)) {
      c.res.headers.set('X-Cache', 'BYPASS');
      return;
    }
    const html = await c.res.text();
    const stored = await writeCachedPage(kv, key, html, options.ttlSeconds(c));
    c.res = htmlResponse(html, stored.etag, 'MISS');
  };
}
