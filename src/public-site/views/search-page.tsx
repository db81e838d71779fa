import { SearchForm } from '../../layout/search-form';
import { articlePath, sectionPath } from '../../paths';
import { SEARCH_WINDOW, type SearchResult } from '../search-queries';
import { snippetSegments, withoutMarkdown } from '../search-terms';
import { Byline } from './byline';
import { Pagination } from './pagination';

/** Matched words in <mark>; every piece of text escaped by JSX. */
function Highlighted({ marked }: { marked: string }) {
  return <>{snippetSegments(marked).map((segment) => (segment.match ? <mark>{segment.text}</mark> : segment.text))}</>;
}

const hasMatch = (marked: string) => snippetSegments(marked).some((segment) => segment.match);

/** The body's snippet where the body matched, else the standfirst's (the headline alone may have matched). */
function excerpt(result: SearchResult): string {
  return hasMatch(result.bodySnippet) ? withoutMarkdown(result.bodySnippet) : result.standfirstSnippet;
}

interface SearchPageProps {
  query: string;
  /** Why the query could not be run (e.g. too long), shown above the form. */
  error?: string;
  results: SearchResult[];
  total: number;
  page: number;
  pageCount: number;
  /** The search's own address (`/search?q=…`), which pagination extends with `page=`. */
  path: string;
  timeZone: string;
}

export function SearchPage(props: SearchPageProps) {
  const { query, results, timeZone } = props;
  return (
    <section class="search">
      <h1>{query ? `Search results for “${query}”` : 'Search'}</h1>
      {props.error && (
        <p class="form-message" role="alert">
          {props.error}
        </p>
      )}
      <SearchForm id="search-page-query" query={query} />
      {query && !props.error && (
        <p class="search-count" role="status">
          {props.total === 0
            ? 'No articles match your search.'
            : props.total > SEARCH_WINDOW
              ? `More than ${SEARCH_WINDOW} articles found: the best matches among the newest ${SEARCH_WINDOW} are shown. Add a word to narrow the search.`
              : `${props.total} ${props.total === 1 ? 'article' : 'articles'} found.`}
        </p>
      )}
      {results.length > 0 && (
        <ol class="article-list">
          {results.map((result) => (
            <li class="article-summary">
              <a class="section-label" href={sectionPath(result.sectionSlug)}>
                {result.sectionName}
              </a>
              <h2>
                <a href={articlePath(result, timeZone)}>
                  <Highlighted marked={result.markedHeadline} />
                </a>
              </h2>
              <p class="search-snippet">
                <Highlighted marked={excerpt(result)} />
              </p>
              <Byline article={result} timeZone={timeZone} />
            </li>
          ))}
        </ol>
      )}
      <Pagination path={props.path} page={props.page} pageCount={props.pageCount} label="More results" />
    </section>
  );
}
