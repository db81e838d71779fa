import type { CachedPage } from './page';

/**
 * How long this isolate answers a page from its own memory, without asking the Cache API or KV. A
 * purge clears the isolate that runs it at once; other isolates (in this data centre or elsewhere)
 * catch up within this time, well inside the Cache API's own EDGE_CACHE_TTL_SECONDS.
 */
export const MEMORY_CACHE_TTL_SECONDS = 5;

/** An isolate has 128 MB: the pages kept here stay a small part of it. */
const MAX_ENTRIES = 500;
const MAX_CHARACTERS = 8 * 1024 * 1024;

interface Remembered {
  page: CachedPage;
  until: number;
}

const entries = new Map<string, Remembered>();
let characters = 0;

function forget(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  characters -= entry.page.body.length;
  entries.delete(key);
}

/** The page under `key` if this isolate stored it less than MEMORY_CACHE_TTL_SECONDS ago. */
export function recallPage(key: string, now: number): CachedPage | undefined {
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.until > now) return entry.page;
  forget(key);
  return undefined;
}

/** Keeps a page in this isolate's memory; the oldest pages make room when it is full. */
export function rememberPage(key: string, { body, contentType, etag, storedAt }: CachedPage, now: number): void {
  if (body.length > MAX_CHARACTERS / 4) return;
  forget(key);
  entries.set(key, { page: { body, contentType, etag, storedAt }, until: now + MEMORY_CACHE_TTL_SECONDS * 1000 });
  characters += body.length;
  for (const oldest of entries.keys()) {
    if (entries.size <= MAX_ENTRIES && characters <= MAX_CHARACTERS) break;
    forget(oldest);
  }
}

/** Forgets every page whose key starts with `prefix` (all the variants of one path). */
export function forgetPages(prefix: string): void {
  for (const key of [...entries.keys()]) if (key.startsWith(prefix)) forget(key);
}
