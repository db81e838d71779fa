import { pagePath } from '../../paths';

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
