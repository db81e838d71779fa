/**
 * Set on the redirect after a comment is held, read (and cleared) by the next view of the article:
 * the "awaiting moderation" notice reaches only that reader, never the shared page cache.
 */
export const COMMENT_NOTICE_COOKIE = 'edgepress_comment_notice';
