import { sha1Hex } from '../lib/hash';
import { logEvent } from '../lib/log';
import { cachedPagePath, PAGE_KEY_PREFIX, PURGE_MARKER_TTL_SECONDS, purgeMarkerKey } from './keys';
import { forgetPages } from './memory';
import type { CachedPage } from './page';

/**
 * How long the per-data-centre Cache API keeps a page. A purge clears KV everywhere but the Cache
 * API only where it runs, so other locations converge within this time. With the purge queue's batch
 * timeout and the memory level it makes the staleness bound (see STALENESS_BOUND_SECONDS in purge-queue.ts).
 */
export const EDGE_CACHE_TTL_SECONDS = 20;

/** KV's own read cache in each location (`cacheTtl`): 30 s is the least KV accepts. */
const KV_READ_CACHE_TTL_SECONDS = 30;

/** KV's limit on key length: a longer address is rendered without the cache. */
export const MAX_KEY_BYTES = 512;

interface CachedPageMetadata {
  etag: string;
  storedAt: number;
  /** Absent on entries stored before feeds were cached: those were all HTML pages. */
  contentType?: string;
}

const HTML_CONTENT_TYPE = 'text/html; charset=UTF-8';

/**
 * Besides the page every reader without an account shares, a page is cached once per access level of
 * signed-in members: shared by every member of that level, never one member's.
 */
export const ACCESS_LEVELS = ['member', 'paid'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/**
 * `page:<path>|<variant>`, then `@<level>` for an access level's page: the variant is the canonical
 * spelling of the validated values that change the page (`page=2`, `replyto=7`), empty for the plain
 * page. Only plain pages are kept in KV, so a path has at most one KV key per access level, whatever
 * clients send.
 */
export function pageCacheKey(path: string, variant = '', level?: AccessLevel): string {
  return `${PAGE_KEY_PREFIX}${path}|${variant}${level ? `@${level}` : ''}`;
}

/** A path's plain page, for readers without an account and for each access level. */
const plainKeys = (path: string) => [
  pageCacheKey(path),
  ...ACCESS_LEVELS.map((level) => pageCacheKey(path, '', level)),
];

/** The Cache API wants a URL: one on a private host, named after the KV key. */
const edgeRequest = (key: string) => new Request(`https://page-cache.edgepress.internal/${encodeURIComponent(key)}`);

/** A KV operation that may be refused (rate, quota, operations per invocation): logged, never thrown. */
async function tolerated<T>(operation: string, key: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    logEvent('warn', 'page-cache.kv-refused', {
      operation,
      key,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

async function readEdge(key: string, now: number): Promise<CachedPage | null> {
  const response = await caches.default.match(edgeRequest(key));
  if (!response) return null;
  // The Cache API expires it too; this makes the bound hold on the caller's clock (tests inject one).
  if (now - Number(response.headers.get('X-Edge-Stored-At')) >= EDGE_CACHE_TTL_SECONDS * 1000) {
    await response.body?.cancel();
    return null;
  }
  return {
    body: await response.text(),
    contentType: response.headers.get('Content-Type') ?? HTML_CONTENT_TYPE,
    etag: response.headers.get('ETag') ?? '',
    storedAt: Number(response.headers.get('X-Stored-At')),
  };
}

function writeEdge(key: string, page: CachedPage, now: number): Promise<void> {
  return caches.default.put(
    edgeRequest(key),
    new Response(page.body, {
      headers: {
        'Content-Type': page.contentType,
        'Cache-Control': `public, max-age=${EDGE_CACHE_TTL_SECONDS}`,
        ETag: page.etag,
        'X-Stored-At': String(page.storedAt),
        'X-Edge-Stored-At': String(now),
      },
    }),
  );
}

/** Whether `key` is a plain page (of any access level), the only kind KV keeps; variants live in the Cache API and memory. */
const keptInKv = (key: string) => /\|(@[a-z]+)?$/.test(key);

/**
 * The page under `key`: first from this data centre's Cache API, then (plain pages only) from KV,
 * copying it to the Cache API. `level` says which answered. A refused KV read is a miss.
 */
export async function readCachedPage(
  kv: KVNamespace,
  key: string,
  now: number,
): Promise<(CachedPage & { level: 'edge' | 'kv'; refillEdge?: Promise<void> }) | null> {
  const edge = await readEdge(key, now);
  if (edge) return { ...edge, level: 'edge' };
  if (!keptInKv(key)) return null;
  const read = await tolerated('get', key, () =>
    kv.getWithMetadata<CachedPageMetadata>(key, { type: 'text', cacheTtl: KV_READ_CACHE_TTL_SECONDS }),
  );
  if (!read || read.value === null || !read.metadata) return null;
  const page = {
    body: read.value,
    contentType: read.metadata.contentType ?? HTML_CONTENT_TYPE,
    etag: read.metadata.etag,
    storedAt: read.metadata.storedAt,
  };
  return { ...page, level: 'kv', refillEdge: writeEdge(key, page, now) };
}

/**
 * Stores a rendered page (HTML unless `contentType` says otherwise) in the Cache API and, for a
 * plain page, in KV for `keepSeconds` (its fresh life and the stale window after it); the route
 * decides what is fresh. A refused KV write (1 write a second per key, daily quota) is logged
 * (`page-cache.kv-refused`, which Workers Logs counts) and the page still served.
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
    keptInKv(key) &&
      tolerated('put', key, () =>
        kv.put(key, body, {
          expirationTtl: keepSeconds,
          metadata: { etag: page.etag, storedAt: page.storedAt, contentType } satisfies CachedPageMetadata,
        }),
      ),
    writeEdge(key, page, now),
  ]);
  return page;
}

/** The KV operations `purgeCachedPath` makes: the plain page's deletes (one per access level) and the purge marker's put. */
export const KV_OPERATIONS_PER_PURGED_PATH = 2 + ACCESS_LEVELS.length;

/**
 * Purges one path: its KV keys (the plain page of every access level), this data centre's Cache API copies of them, every variant
 * in this isolate's memory, and records when, so that a render that began before the purge is not
 * stored after it. Variants (`?page=2`, `?replyto=`) and other data centres' copies expire within
 * EDGE_CACHE_TTL_SECONDS. Throws when KV refuses (the purge queue retries it).
 */
export async function purgeCachedPath(kv: KVNamespace, path: string, now = Date.now()): Promise<void> {
  const keys = plainKeys(path);
  forgetPages(pageCacheKey(path));
  await Promise.all([
    kv.put(purgeMarkerKey(path), String(now), { expirationTtl: PURGE_MARKER_TTL_SECONDS }),
    ...keys.flatMap((key) => [kv.delete(key), caches.default.delete(edgeRequest(key))]),
  ]);
}

/**
 * Whether `path` was purged after `since`: a page rendered from data read before then is stale.
 * When KV cannot say, the answer is yes (the page is served, not stored).
 */
export async function purgedSince(kv: KVNamespace, path: string, since: number): Promise<boolean> {
  const purgedAt = await tolerated('get', purgeMarkerKey(path), () => kv.get(purgeMarkerKey(path)));
  return purgedAt === undefined || (purgedAt !== null && Number(purgedAt) > since);
}

/** The paths that have a cached page in KV now (each once, whatever its variants): what a site-wide purge must clear. */
export async function cachedPagePaths(kv: KVNamespace): Promise<string[]> {
  const paths = new Set<string>();
  let cursor: string | undefined;
  do {
    const listing = await kv.list({ prefix: PAGE_KEY_PREFIX, cursor });
    for (const key of listing.keys) paths.add(cachedPagePath(key.name));
    cursor = listing.list_complete ? undefined : listing.cursor;
  } while (cursor);
  return [...paths];
}
