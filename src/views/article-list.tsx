import type { ArticleSummary } from '../db/articles';
import { formatDate } from '../domain/dates';
import { articlePath, authorPath, sectionPath } from '../domain/paths';

export function ArticleList({ articles, timeZone }: { articles: ArticleSummary[]; timeZone: string }) {
  return (
    <ol class="article-list">
      {articles.map((article) => (
        <li class="article-summary">
          <a class="section-label" href={sectionPath(article.sectionSlug)}>
            {article.sectionName}
          </a>
          <h2>
            <a href={articlePath(article, timeZone)}>{article.headline}</a>
          </h2>
          {article.standfirst && <p class="standfirst">{article.standfirst}</p>}
          <p class="byline">
            By <a href={authorPath(article.authorSlug)}>{article.authorName}</a>
            {article.publishedAt && (
              <>
                {' · '}
                <time datetime={article.publishedAt.toISOString()}>{formatDate(article.publishedAt, timeZone)}</time>
              </>
            )}
          </p>
        </li>
      ))}
    </ol>
  );
}
