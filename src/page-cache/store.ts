import { sha1Hex } from '../domain/hash';

/** Query parameters that change a public page's content; any other parameter shares the plain page's entry. */
export const PAGE_VARIANT_PARAMS = ['page', 'replyto'] as const;

export interface CachedPage {
  html: string;
  etag: string;
  storedAt: number;
}

interface CachedPageMetadata {
  etag: string;
  storedAt: number;
}

/** `page:<path>|<sorted variant params>`; the `|` lets a purge find every variant of one path by prefix. */
export function pageCacheKey(url: URL): string {
  const variant = new URLSearchParams();
  for (const name of PAGE_VARIANT_PARAMS) {
    const value = url.searchParams.get(name);
    if (value !== null) variant.set(name, value);
  }
  return `page:${url.pathname}|${variant}`;
}

export async function readCachedPage(kv: KVNamespace, key: string): Promise<CachedPage | null> {
  const { value, metadata } = await kv.getWithMetadata<CachedPageMetadata>(key, 'text');
  if (value === null || !metadata) return null;
  return { html: value, etag: metadata.etag, storedAt: metadata.storedAt };
}

export async function writeCachedPage(
  kv: KVNamespace,
  key: string,
  html: string,
  ttlSeconds: number,
): Promise<CachedPage> {
  const page = { html, etag: `"${await sha1Hex(html)}"`, storedAt: Date.now() };
  await kv.put(key, html, {
    expirationTtl: ttlSeconds,
    metadata: { etag: page.etag, storedAt: page.storedAt } satisfies CachedPageMetadata,
  });
  return page;
}

/** Deletes every cached variant (all `?page=`…) of each path. */
export async function purgeCachedPaths(kv: KVNamespace, paths: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(paths)].map(async (path) => {
      let cursor: string | undefined;
      do {
        const listing = await kv.list({ prefix: `page:${path}|`, cursor });
        await Promise.all(listing.keys.map((key) => kv.delete(key.name)));
        cursor = listing.list_complete ? undefined : listing.cursor;
      } while (cursor);
    }),
  );
}
