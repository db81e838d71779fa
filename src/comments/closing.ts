const DAY_MS = 24 * 60 * 60 * 1000;

export const COMMENTS_CLOSED = 'Comments are closed on this article.';

/** Whether an article refuses new comments: closed by an editor, or published more than `closeAfterDays` ago (0: never by age). */
export function commentsClosed(
  article: { commentsClosed: boolean; publishedAt: Date | null },
  closeAfterDays: number,
  now: Date,
): boolean {
  if (article.commentsClosed) return true;
  if (closeAfterDays === 0 || !article.publishedAt) return false;
  return now.getTime() - article.publishedAt.getTime() > closeAfterDays * DAY_MS;
}
