import { formatDate } from '../../lib/dates';
import { authorPath } from '../../paths';

/** "By Richard Weitz · November 16, 2010" under an article's headline in a list. */
export function Byline({
  article,
  timeZone,
}: {
  article: { authorName: string; authorSlug: string; publishedAt: Date | null };
  timeZone: string;
}) {
  return (
    <p class="byline">
      By <a href={authorPath(article.authorSlug)}>{article.authorName}</a>
      {article.publishedAt && (
        <>
          {' · '}
          <time datetime={article.publishedAt.toISOString()}>{formatDate(article.publishedAt, timeZone)}</time>
        </>
      )}
    </p>
  );
}
