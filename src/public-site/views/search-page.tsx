import { SearchForm } from '../../layout/search-form';
import { articlePath, SEARCH_PATH, sectionPath } from '../../paths';
import type { ListingNeighbours } from '../listing-query';
import { SEARCH_WINDOW, type SearchResult } from '../search-queries';
import { snippetSegments, withoutMarkdown } from '../search-terms';
import { Byline } from './byline';
import { ListingNavigation, Pagination } from './pagination';

/** Matched words in <mark>; every piece of text escaped by JSX. */
function Highlighted({ marked }: { marked: string }) {
  return <>{snippetSegments(marked).map((segment) => (segment.match ? <mark>{segment.text}</mark> : segment.text))}</>;
}

const hasMatch = (marked: string) => snippetSegments(marked).some((segment) => segment.match);

/** The body's snippet where the body matched, else the standfirst's (the headline alone may have matched). */
function excerpt(result: SearchResult): string {
  return hasMatch(result.bodySnippet) ? withoutMarkdown(result.bodySnippet) : result.standfirstSnippet;
}

/** Newest first (keyset pages), or the newest SEARCH_WINDOW matches ranked (numbered pages). */
export type SearchSort = 'newest' | 'best-match';

interface SearchPageProps {
  query: string;
  sort: SearchSort;
  /** Why the query could not be run (e.g. too long), shown above the form. */
  error?: string;
  results: SearchResult[];
  /** Best match: how many match (SEARCH_WINDOW + 1 meaning "more"), and the numbered pages. */
  total?: number;
  pages?: { page: number; pageCount: number };
  /** Newest first: the links to the newer and older pages. */
  neighbours?: ListingNeighbours;
  /** The search's own address (`/search?q=…`), which pagination extends with `page=` or `after=`. */
  path: string;
  timeZone: string;
}

/** What the results are and in which order, with a link to the other order. */
function SearchStatus({ query, sort, results, total }: Pick<SearchPageProps, 'query' | 'sort' | 'results' | 'total'>) {
  if (results.length === 0)
    return (
      <p class="search-count" role="status">
        No articles match your search.
      </p>
    );
  const other = new URLSearchParams({ q: query, ...(sort === 'newest' ? { sort: 'best-match' } : {}) });
  return (
    <p class="search-count" role="status">
      {sort === 'newest'
        ? 'Newest first. '
        : total !== undefined && total > SEARCH_WINDOW
          ? `More than ${SEARCH_WINDOW} articles found: the best matches among the newest ${SEARCH_WINDOW} are shown. Add a word to narrow the search. `
          : `${total} ${total === 1 ? 'article' : 'articles'} found, best match first. `}
      <a href={`${SEARCH_PATH}?${other}`}>
        {sort === 'newest' ? 'Show the best matches first' : 'Show the newest first'}
      </a>
    </p>
  );
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
      {query && !props.error && <SearchStatus query={query} sort={props.sort} results={results} total={props.total} />}
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
      {props.pages && <Pagination path={props.path} {...props.pages} label="More results" />}
      {props.neighbours && <ListingNavigation path={props.path} label="More results" {...props.neighbours} />}
    </section>
  );
}
