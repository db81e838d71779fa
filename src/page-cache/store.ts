import { sha1Hex } from '../lib/hash';
import { forgetPages } from './memory';
import type { CachedPage } from './page';

/** Query parameters that change a public page's content; any other parameter shares the plain page's entry. */
export const PAGE_VARIANT_PARAMS = ['page', 'replyto'] as const;

/**
 * How long the per-data-centre Cache API keeps a page. A purge clears KV everywhere but the Cache
 * API only where it runs, so other locations converge within this time (and KV's own edge read
 * cache, `cacheTtl`, is kept to the same).
 */
export const EDGE_CACHE_TTL_SECONDS = 30;

interface CachedPageMetadata {
  etag: string;
  storedAt: number;
  /** Absent on entries stored before feeds were cached: those were all HTML pages. */
  contentType?: string;
}

const HTML_CONTENT_TYPE = 'text/html; charset=UTF-8';

/** `page:<path>|<sorted variant params>`; the `|` lets a purge find every variant of one path by prefix. */
export function pageCacheKey(url: URL): string {
  const variant = new URLSearchParams();
  for (const name of PAGE_VARIANT_PARAMS) {
    const value = url.searchParams.get(name);
    if (value !== null) variant.set(name, value);
  }
  return `page:${url.pathname}|${variant}`;
}

/** The Cache API wants a URL: one on a private host, named after the KV key. */
const edgeRequest = (key: string) => new Request(`https://page-cache.edgepress.internal/${encodeURIComponent(key)}`);

async function readEdge(key: string): Promise<CachedPage | null> {
  const response = await caches.default.match(edgeRequest(key));
  if (!response) return null;
  return {
    body: await response.text(),
    contentType: response.headers.get('Content-Type') ?? HTML_CONTENT_TYPE,
    etag: response.headers.get('ETag') ?? '',
    storedAt: Number(response.headers.get('X-Stored-At')),
  };
}

function writeEdge(key: string, page: CachedPage): Promise<void> {
  return caches.default.put(
    edgeRequest(key),
    new Response(page.body, {
      headers: {
        'Content-Type': page.contentType,
        'Cache-Control': `public, max-age=${EDGE_CACHE_TTL_SECONDS}`,
        ETag: page.etag,
        'X-Stored-At': String(page.storedAt),
      },
    }),
  );
}

/**
 * The page under `key`: first from this data centre's Cache API, then from KV (copying it to the
 * Cache API). `level` says which answered.
 */
export async function readCachedPage(
  kv: KVNamespace,
  key: string,
): Promise<(CachedPage & { level: 'edge' | 'kv'; refillEdge?: Promise<void> }) | null> {
  const edge = await readEdge(key);
  if (edge) return { ...edge, level: 'edge' };
  const { value, metadata } = await kv.getWithMetadata<CachedPageMetadata>(key, {
    type: 'text',
    cacheTtl: EDGE_CACHE_TTL_SECONDS,
  });
  if (value === null || !metadata) return null;
  const page = {
    body: value,
    contentType: metadata.contentType ?? HTML_CONTENT_TYPE,
    etag: metadata.etag,
    storedAt: metadata.storedAt,
  };
  return { ...page, level: 'kv', refillEdge: writeEdge(key, page) };
}

/**
 * Stores a rendered page (HTML unless `contentType` says otherwise) in KV and the Cache API. KV keeps it for `keepSeconds` (its fresh life and
 * the stale window after it); the route decides what is fresh.
 */
export async function writeCachedPage(
  kv: KVNamespace,
  key: string,
  body: string,
  keepSeconds: number,
  now: number,
  contentType = HTML_CONTENT_TYPE,
): Promise<CachedPage> {
  const page = { body, contentType, etag: `"${await sha1Hex(body)}"`, storedAt: now };
  await Promise.all([
    kv.put(key, body, {
      expirationTtl: keepSeconds,
      metadata: { etag: page.etag, storedAt: page.storedAt, contentType } satisfies CachedPageMetadata,
    }),
    writeEdge(key, page),
  ]);
  return page;
}

/** When a path was last purged (ms), kept long enough to outlive any render in flight. */
const purgeMarkerKey = (path: string) => `purged:${path}`;
const PURGE_MARKER_TTL_SECONDS = 3600;

/**
 * Deletes every cached variant (all `?page=`…) of each path, from KV, from this data centre's
 * Cache API and from this isolate's memory, and records when, so that a render that began before the purge is not stored after it.
 */
export async function purgeCachedPaths(kv: KVNamespace, paths: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(paths)].map(async (path) => {
      await kv.put(purgeMarkerKey(path), String(Date.now()), { expirationTtl: PURGE_MARKER_TTL_SECONDS });
      const prefix = `page:${path}|`;
      forgetPages(prefix);
      const keys = new Set([prefix]);
      let cursor: string | undefined;
      do {
        const listing = await kv.list({ prefix, cursor });
        for (const key of listing.keys) keys.add(key.name);
        cursor = listing.list_complete ? undefined : listing.cursor;
      } while (cursor);
      await Promise.all([...keys].map((key) => Promise.all([kv.delete(key), caches.default.delete(edgeRequest(key))])));
    }),
  );
}

/** Whether `path` was purged after `since`: a page rendered from data read before then is stale. */
export async function purgedSince(kv: KVNamespace, path: string, since: number): Promise<boolean> {
  const purgedAt = await kv.get(purgeMarkerKey(path));
  return purgedAt !== null && Number(purgedAt) > since;
}
