import type { ArticleSummary } from '../../db/articles';
import { ResponsiveImage } from '../../media/views/responsive-image';
import { articlePath, sectionPath } from '../../paths';
import { Byline } from './byline';

export function ArticleList({ articles, timeZone }: { articles: ArticleSummary[]; timeZone: string }) {
  return (
    <ol class="article-list">
      {articles.map((article) => (
        <li class="article-summary">
          {article.heroImageUrl && (
            <ResponsiveImage
              class="article-thumbnail"
              src={article.heroImageUrl}
              alt=""
              width={article.heroImageWidth}
              height={article.heroImageHeight}
              sizes="(min-width: 48rem) 12rem, 8rem"
            />
          )}
          <a class="section-label" href={sectionPath(article.sectionSlug)}>
            {article.sectionName}
          </a>
          <h2>
            <a href={articlePath(article, timeZone)}>{article.headline}</a>
          </h2>
          {article.standfirst && <p class="standfirst">{article.standfirst}</p>}
          <Byline article={article} timeZone={timeZone} />
        </li>
      ))}
    </ol>
  );
}
