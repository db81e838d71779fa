import { diffWords } from 'diff';
import { CsrfField } from '../../layout/admin-layout';
import { AdminTable } from '../../layout/admin-table';
import { formatDateTime } from '../../lib/dates';
import type { EditedArticle } from '../article-queries';
import type { Revision, RevisionSummary } from '../revision-queries';

const savedBy = (revision: RevisionSummary) =>
  revision.savedByName || (revision.number === 0 ? 'before revisions were kept' : 'someone no longer on the staff');

/** Word by word, what changed from `before` to `after`: removed words struck through, added ones marked. */
export function WordDiff({ before, after }: { before: string; after: string }) {
  const changes = diffWords(before, after);
  if (changes.every((change) => !change.added && !change.removed)) return <p class="diff-same">No change.</p>;
  return (
    <p class="diff">
      {changes.map((change) =>
        change.added ? <ins>{change.value}</ins> : change.removed ? <del>{change.value}</del> : change.value,
      )}
    </p>
  );
}

export function RevisionListPage({
  article,
  revisions,
  timeZone,
}: {
  article: EditedArticle;
  revisions: RevisionSummary[];
  timeZone: string;
}) {
  return (
    <>
      <p>
        <a href={`/admin/articles/${article.id}`}>← Back to the article</a>
      </p>
      <h1>Revisions: {article.headline}</h1>
      <AdminTable
        columns={['Revision', 'Saved by', 'When', 'Compare']}
        rows={revisions}
        cells={(revision) => [
          <>
            {revision.number}
            {revision.number === article.revision && ' (current)'}
            {revision.restoredFrom !== null && ` (restored from ${revision.restoredFrom})`}
          </>,
          savedBy(revision),
          formatDateTime(revision.savedAt, timeZone),
          revision.number !== article.revision && (
            <a href={`/admin/articles/${article.id}/revisions/${revision.number}`}>Compare with the current text</a>
          ),
        ]}
        empty="This article has not been saved since revisions were kept."
      />
    </>
  );
}

/** One old revision against the current text, word by word, with the button that restores it. */
export function RevisionDiffPage({
  article,
  revision,
  timeZone,
}: {
  article: EditedArticle;
  revision: Revision;
  timeZone: string;
}) {
  return (
    <>
      <p>
        <a href={`/admin/articles/${article.id}/revisions`}>← All revisions</a>
      </p>
      <h1>
        Revision {revision.number} against the current text (revision {article.revision})
      </h1>
      <p>
        Saved by {savedBy(revision)}, {formatDateTime(revision.savedAt, timeZone)}. Struck-through words are in revision{' '}
        {revision.number} only; marked words are in the current text only.
      </p>
      <h2>Headline</h2>
      <WordDiff before={revision.headline} after={article.headline} />
      <h2>Standfirst</h2>
      <WordDiff before={revision.standfirst} after={article.standfirst} />
      <h2>Body</h2>
      <WordDiff before={revision.bodyMarkdown} after={article.bodyMarkdown} />
      <form method="post" action={`/admin/articles/${article.id}/revisions/${revision.number}/restore`}>
        <CsrfField />
        <input type="hidden" name="revision" value={String(article.revision)} />
        <button type="submit">Restore revision {revision.number}</button>
      </form>
      <p>Restoring saves its headline, standfirst and body as a new revision; nothing is lost.</p>
    </>
  );
}
