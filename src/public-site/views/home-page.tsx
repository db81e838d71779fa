import type { ArticleSummary } from '../../db/articles';
import type { ListingNeighbours } from '../listing-query';
import { ArticleList } from './article-list';
import { ListingNavigation } from './pagination';

interface HomePageProps extends ListingNeighbours {
  articles: ArticleSummary[];
  timeZone: string;
}

export function HomePage({ articles, timeZone, newer, older }: HomePageProps) {
  return (
    <section class="home">
      <h1 class="visually-hidden">Latest articles</h1>
      {articles.length === 0 ? (
        <p>Nothing has been published yet.</p>
      ) : (
        <ArticleList articles={articles} timeZone={timeZone} />
      )}
      <ListingNavigation path="/" label="More articles" newer={newer} older={older} />
    </section>
  );
}
