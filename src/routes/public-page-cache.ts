import { siteConfig } from '../config';
import { pageCache } from '../middleware/page-cache';
import { hasCommentNotice } from './comment-notice-cookie';

/** The KV page cache as every public reader page uses it; a reader with a pending notice skips it. */
export const publicPageCache = pageCache({
  namespace: (c) => c.env.PAGE_CACHE,
  ttlSeconds: (c) => siteConfig(c.env).pageCacheTtlSeconds,
  bypass: hasCommentNotice,
});
