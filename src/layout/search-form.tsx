import { SEARCH_PATH } from '../paths';

/** The longest query searched; a longer one is cut there, and the reader told. */
export const MAX_QUERY_LENGTH = 200;

/** A plain GET form to /search: in the site header, and on the search page with the reader's query in it. */
export function SearchForm({ id, query = '' }: { id: string; query?: string }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: role=search on the form is what older screen readers announce
    <form class="search-form" role="search" action={SEARCH_PATH} method="get">
      <label class="visually-hidden" for={id}>
        Search articles
      </label>
      <input type="search" id={id} name="q" value={query} maxlength={MAX_QUERY_LENGTH} placeholder="Search articles" />
      <button type="submit">Search</button>
    </form>
  );
}
