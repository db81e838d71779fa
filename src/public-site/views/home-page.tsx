import type { ArticleSummary } from '../../db/articles';
import { ArticleList } from './article-list';
import { Pagination } from './pagination';

interface HomePageProps {
  articles: ArticleSummary[];
  page: number;
  pageCount: number;
  timeZone: string;
}

export function HomePage({ articles, page, pageCount, timeZone }: HomePageProps) {
  return (
    <section class="home">
      <h1 class="visually-hidden">Latest articles</h1>
      {articles.length === 0 ? (
        <p>Nothing has been published yet.</p>
      ) : (
        <ArticleList articles={articles} timeZone={timeZone} />
      )}
      <Pagination path="/" page={page} pageCount={pageCount} label="More articles" />
    </section>
  );
}
