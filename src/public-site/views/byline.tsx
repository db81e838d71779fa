import { DateTime } from '../../layout/date-time';
import { articlePath, authorPath } from '../../paths';

/** "3 comments", "1 comment", "No comments yet". */
export const commentCountText = (count: number) =>
  count === 0 ? 'No comments yet' : `${count} ${count === 1 ? 'comment' : 'comments'}`;

/** "By Richard Weitz · November 16, 2010 at 18:00 UTC+9 · 3 comments" under an article's headline in a list. */
export function Byline({
  article,
  timeZone,
}: {
  article: { authorName: string; authorSlug: string; slug: string; publishedAt: Date | null; commentCount: number };
  timeZone: string;
}) {
  return (
    <p class="byline">
      By <a href={authorPath(article.authorSlug)}>{article.authorName}</a>
      {article.publishedAt && (
        <>
          {' · '}
          <DateTime date={article.publishedAt} timeZone={timeZone} />
        </>
      )}
      {' · '}
      <a class="comment-count" href={`${articlePath(article, timeZone)}#comments`}>
        {commentCountText(article.commentCount)}
      </a>
    </p>
  );
}
