import { siteConfig } from '../config';
import { pageCache } from '../middleware/page-cache';

/** The KV page cache as every public reader page uses it. */
export const publicPageCache = pageCache({
  namespace: (c) => c.env.PAGE_CACHE,
  ttlSeconds: (c) => siteConfig(c.env).pageCacheTtlSeconds,
});
