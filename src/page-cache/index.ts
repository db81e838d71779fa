import type { Context, Env as HonoEnv, MiddlewareHandler } from 'hono';
import { recallPage, rememberPage } from './memory';
import type { CachedPage } from './page';
import { type AccessLevel, MAX_KEY_BYTES, pageCacheKey, purgedSince, readCachedPage, writeCachedPage } from './store';

export { ACCESS_LEVELS, type AccessLevel } from './store';

export interface PageCacheOptions<E extends HonoEnv = HonoEnv> {
  /** The KV namespace that holds rendered pages. */
  namespace: (c: Context<E>) => KVNamespace;
  /** How long a stored page is fresh; for as long again it may be served stale while one request re-renders it. */
  ttlSeconds: (c: Context<E>) => number;
  /** Requests that must skip the cache entirely (they carry per-visitor state, e.g. a flash cookie). */
  bypass?: (c: Context<E>) => boolean | Promise<boolean>;
  /**
   * The values that make this request a variant of its path's page, from the route's validated input
   * (never the raw query): `{ page: 2 }`. Absent or default values (undefined, page 1) are the plain page.
   */
  variant?: (c: Context<E>) => Record<string, number | undefined>;
  /**
   * The address whose page this request gets, when not its own path: a representation chosen by
   * `Accept` is kept (and purged) under the address that serves only it (an article's Markdown under
   * its `.md` address), so one path never holds two representations.
   */
  path?: (c: Context<E>) => string;
  /**
   * The access level whose shared page this request gets (undefined: the page of readers without an
   * account). The route must render nothing personal for it: every reader of the level gets the same entry.
   */
  level?: (c: Context<E>) => AccessLevel | undefined;
  /** The clock, injectable for tests. */
  now?: () => number;
}

/** Browsers revalidate every time (a cheap 304 thanks to the ETag), so a reader never sees a stale page after posting. */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

type CacheStatus = 'HIT' | 'STALE' | 'MISS';

/** Keys this isolate is re-rendering right now: while one request renders, the others get the stale copy. */
const rendering = new Set<string>();

/** HTML, plain text, Markdown, XML (feeds, sitemaps) and JSON Feed: the documents that are stored and served back as text. */
const TEXT_CONTENT_TYPE = /^(text\/[\w.+-]+|application\/([\w.-]+\+)?xml|application\/feed\+json)\s*(;|$)/i;

function isStorable(res: Response): boolean {
  const cacheControl = res.headers.get('Cache-Control') ?? '';
  return (
    res.status === 200 &&
    TEXT_CONTENT_TYPE.test(res.headers.get('Content-Type') ?? '') &&
    !res.headers.has('Set-Cookie') &&
    !/\b(private|no-store)\b/.test(cacheControl)
  );
}

function cachedResponse(page: CachedPage, status: CacheStatus, level?: 'memory' | 'edge' | 'kv'): Response {
  const headers = new Headers({
    'Content-Type': page.contentType,
    'Cache-Control': PUBLIC_PAGE_CACHE_CONTROL,
    ETag: page.etag,
    'X-Cache': status,
  });
  if (level) headers.set('X-Cache-Level', level);
  return new Response(page.body, { headers });
}

/** The canonical variant: names sorted, the first page and absent values left out. */
function variantOf(values: Record<string, number | undefined>): string {
  const entries = Object.entries(values)
    .filter(([name, value]) => value !== undefined && !(name === 'page' && value === 1))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return new URLSearchParams(entries.map(([name, value]) => [name, String(value)])).toString();
}

/**
 * Serves public GET (and so HEAD) pages from the cache: this isolate's memory (for a few seconds),
 * then this data centre's Cache API, then KV; renders and stores them on a miss. A hit never reaches
 * the route (so never touches D1). A page older than its TTL is re-rendered by one request while concurrent ones get the stale copy
 * (`X-Cache: STALE`). A hit keeps the content type it was stored with (HTML, Markdown, or a feed's or
 * sitemap's XML or JSON). Responses that are not a plain 200 text document, that set a cookie, or that the route marks
 * `private`/`no-store` pass through unstored, marked `X-Cache: BYPASS`. The key is the path and the
 * route's validated `variant` and the reader's access `level`: other query parameters share the plain
 * page, and only the plain page is kept in KV (variants in the Cache API and memory), so KV holds one
 * key per path and access level.
 *
 * @example
 * app.get('/', pageCache({ namespace: (c) => c.env.PAGE_CACHE, ttlSeconds: () => 3600 }), handler)
 */
export function pageCache<E extends HonoEnv>(options: PageCacheOptions<E>): MiddlewareHandler<E> {
  return async function pageCacheMiddleware(c, next) {
    const path = options.path?.(c) ?? c.req.path;
    const key = pageCacheKey(path, variantOf(options.variant?.(c) ?? {}), options.level?.(c));
    const cacheable =
      (c.req.method === 'GET' || c.req.method === 'HEAD') &&
      !(await options.bypass?.(c)) &&
      new TextEncoder().encode(key).byteLength <= MAX_KEY_BYTES;
    if (!cacheable) {
      await next();
      c.res.headers.set('X-Cache', 'BYPASS');
      return;
    }
    const kv = options.namespace(c);
    const ttlMs = options.ttlSeconds(c) * 1000;
    const now = options.now?.() ?? Date.now();
    const remembered = recallPage(key, now);
    if (remembered && now - remembered.storedAt < ttlMs) return cachedResponse(remembered, 'HIT', 'memory');
    const cached = await readCachedPage(kv, key, now);
    if (cached?.refillEdge) c.executionCtx.waitUntil(cached.refillEdge);
    const fresh = cached && now - cached.storedAt < ttlMs;
    if (cached && (fresh || rendering.has(key))) {
      if (fresh) rememberPage(key, cached, now);
      return cachedResponse(cached, fresh ? 'HIT' : 'STALE', cached.level);
    }

    rendering.add(key);
    try {
      const renderStartedAt = Date.now();
      await next();
      if (!isStorable(c.res)) {
        c.res.headers.set('X-Cache', 'BYPASS');
        return;
      }
      // A purge (a comment approved, an article edited) landed while this page was rendered from older data.
      if (await purgedSince(kv, path, renderStartedAt)) {
        c.res.headers.set('X-Cache', 'MISS');
        return;
      }
      const contentType = c.res.headers.get('Content-Type')!;
      const stored = await writeCachedPage(kv, key, await c.res.text(), (2 * ttlMs) / 1000, now, contentType);
      rememberPage(key, stored, now);
      c.res = cachedResponse(stored, 'MISS');
    } finally {
      rendering.delete(key);
    }
  };
}
