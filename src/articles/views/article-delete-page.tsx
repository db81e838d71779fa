import { CsrfField } from '../../layout/admin-layout';
import type { EditedArticle } from '../article-queries';

/** "Are you sure?": what goes with the article, and what its address will answer. */
export function ArticleDeletePage({ article, commentCount }: { article: EditedArticle; commentCount: number }) {
  const published = article.status === 'published';
  return (
    <>
      <p>
        <a href={`/admin/articles/${article.id}`}>← Back to the article</a>
      </p>
      <h1>Delete “{article.headline}”?</h1>
      <p>
        The article, its {commentCount} comment{commentCount === 1 ? '' : 's'} and its revisions are deleted for good.
        {published && ' Its address will answer “410 Gone”, so search engines drop it.'}
      </p>
      <form method="post" action={`/admin/articles/${article.id}/delete`}>
        <CsrfField />
        <button type="submit" class="danger">
          Delete the article
        </button>{' '}
        <a href={`/admin/articles/${article.id}`}>Keep it</a>
      </form>
    </>
  );
}
