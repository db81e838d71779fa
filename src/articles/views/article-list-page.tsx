import { AdminMessage } from '../../layout/admin-layout';
import { AdminTable } from '../../layout/admin-table';
import { DateTime } from '../../layout/date-time';
import type { ArticleListPlace, ArticleListRow, ArticleListState, ArticleOption } from '../article-queries';
import { ARTICLE_LIST_STATES, articleListPlaceText } from '../article-queries';

export interface ArticleListProps {
  rows: ArticleListRow[];
  state?: ArticleListState;
  sectionId?: number;
  sections: ArticleOption[];
  /** Where the older page starts; none on the last page. */
  older?: ArticleListPlace;
  /** Where the newer page starts (`{}`: the first page); none on the first page. */
  newer?: { after?: ArticleListPlace };
  /** How many articles there are, when it is kept (the unfiltered list). */
  total?: number;
  timeZone: string;
  /** Whether the viewer may open a row in the editor (a contributor: only their drafts). */
  editable: (row: ArticleListRow) => boolean;
  message?: string;
}

/** What editors call an article's state: a published article with a future date is scheduled. */
export function articleState(
  article: { status: string; publishedAt: Date | null; reviewRequestedAt: Date | null },
  now = new Date(),
): ArticleListState {
  if (article.status === 'draft') return article.reviewRequestedAt ? 'in review' : 'draft';
  return article.publishedAt && article.publishedAt > now ? 'scheduled' : 'published';
}

/** The list's address with its filters, from `after` (the first page without). */
export function listHref({
  state,
  sectionId,
  after,
}: {
  state?: string;
  sectionId?: number;
  after?: ArticleListPlace;
}) {
  const query = new URLSearchParams();
  if (state) query.set('state', state);
  if (sectionId) query.set('section', String(sectionId));
  if (after) query.set('after', articleListPlaceText(after));
  const text = query.toString();
  return text ? `/admin/articles?${text}` : '/admin/articles';
}

export function ArticleListPage(props: ArticleListProps) {
  return (
    <>
      <h1>Articles</h1>
      <AdminMessage text={props.message} />
      <p>
        <a href="/admin/articles/new">Write a new article</a>
      </p>
      <form method="get" action="/admin/articles" class="admin-filters">
        <label>
          State{' '}
          <select name="state">
            <option value="">All</option>
            {ARTICLE_LIST_STATES.map((state) => (
              <option value={state} selected={props.state === state}>
                {state}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Section{' '}
          <select name="section">
            <option value="">All</option>
            {props.sections.map((section) => (
              <option value={String(section.id)} selected={props.sectionId === section.id}>
                {section.name}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <AdminTable
        columns={['Headline', 'State', 'Section', 'Author', 'Published']}
        rows={props.rows}
        cells={(row) => [
          props.editable(row) ? <a href={`/admin/articles/${row.id}`}>{row.headline}</a> : row.headline,
          articleState(row),
          row.sectionName,
          row.authorName,
          row.publishedAt ? <DateTime date={row.publishedAt} timeZone={props.timeZone} /> : '—',
        ]}
        empty="No articles match."
      />
      {(props.newer || props.older || props.total !== undefined) && (
        <nav class="pagination" aria-label="More articles">
          {props.newer ? <a href={listHref({ ...props, after: props.newer.after })}>← Newer</a> : <span />}
          <span class="pagination-status">
            {props.total !== undefined && `${new Intl.NumberFormat('en').format(props.total)} articles`}
          </span>
          {props.older ? <a href={listHref({ ...props, after: props.older })}>Older →</a> : <span />}
        </nav>
      )}
    </>
  );
}
