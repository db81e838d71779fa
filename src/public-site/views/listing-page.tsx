import type { ArticleSummary } from '../../db/articles';
import type { ListingNeighbours } from '../listing-query';
import { ArticleList } from './article-list';
import { AuthorPhoto } from './author-photo';
import { ListingNavigation } from './pagination';

interface ListingPageProps extends ListingNeighbours {
  kind: string;
  name: string;
  description: string;
  path: string;
  articles: ArticleSummary[];
  /** An author's photo, from the media library. */
  photo?: { hash: string | null; width: number | null; height: number | null };
  timeZone: string;
}

/** A section, tag or author page: its name, description (an author's bio) and its articles. */
export function ListingPage(props: ListingPageProps) {
  return (
    <section class="listing">
      <header class="listing-header">
        {props.photo && <AuthorPhoto {...props.photo} alt={props.name} sizes="8rem" class="author-photo" priority />}
        <p class="section-label">{props.kind}</p>
        <h1>{props.name}</h1>
        {props.description && <p class="standfirst">{props.description}</p>}
      </header>
      {props.articles.length === 0 ? (
        <p>No articles here yet.</p>
      ) : (
        <ArticleList articles={props.articles} timeZone={props.timeZone} />
      )}
      <ListingNavigation path={props.path} label={`More from ${props.name}`} newer={props.newer} older={props.older} />
    </section>
  );
}
