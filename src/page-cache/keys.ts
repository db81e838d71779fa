/** The page cache's KV keys, apart from the Workers APIs: the commands (src/cli/) name them too. */

/** The prefix of every cached page's KV key. */
export const PAGE_KEY_PREFIX = 'page:';

/** The path a cached page's KV key is for (`page:/about|@member` → `/about`). */
export const cachedPagePath = (key: string) => key.slice(PAGE_KEY_PREFIX.length, key.lastIndexOf('|'));

/** When a path was last purged (ms), kept long enough to outlive any render in flight. */
export const purgeMarkerKey = (path: string) => `purged:${path}`;
export const PURGE_MARKER_TTL_SECONDS = 3600;
