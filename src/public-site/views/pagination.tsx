import { pagePath } from '../../paths';
import { type ListingNeighbours, listingPath } from '../listing-query';

interface PaginationProps {
  path: string;
  page: number;
  pageCount: number;
  label: string;
  /** Appended to each link, e.g. "#comments". */
  fragment?: string;
  newerText?: string;
  olderText?: string;
}

export function Pagination({
  path,
  page,
  pageCount,
  label,
  fragment = '',
  newerText = 'Newer',
  olderText = 'Older',
}: PaginationProps) {
  if (pageCount <= 1) return null;
  return (
    <nav class="pagination" aria-label={label}>
      {page > 1 ? (
        <a rel="prev" href={pagePath(path, page - 1) + fragment}>
          ← {newerText}
        </a>
      ) : (
        <span />
      )}
      <span class="pagination-status">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <a rel="next" href={pagePath(path, page + 1) + fragment}>
          {olderText} →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** A listing's links to newer and older articles (keyset pages: no page numbers, see publishedArticlesQuery). */
export function ListingNavigation({ path, label, newer, older }: { path: string; label: string } & ListingNeighbours) {
  if (!newer && !older) return null;
  return (
    <nav class="pagination" aria-label={label}>
      {newer ? (
        <a rel="prev" href={listingPath(path, newer.after)}>
          ← Newer
        </a>
      ) : (
        <span />
      )}
      <span />
      {older ? (
        <a rel="next" href={listingPath(path, older.after)}>
          Older →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
