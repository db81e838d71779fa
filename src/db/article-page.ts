import { articleTagsQuery, publishedArticleQuery } from './articles';
import type { Db } from './client';
import { approvedThreadsQueries, replyTargetQuery } from './comments';
import { navigationSectionsQuery } from './sections';

/** Everything an article page shows, read in a single D1 round trip (one `batch`). */
export async function loadArticlePage(
  db: Db,
  {
    slug,
    commentPage,
    commentsPerPage,
    replyTo,
  }: { slug: string; commentPage: number; commentsPerPage: number; replyTo?: number },
) {
  const [articleRows, tags, [counts], roots, replies, sections, replyTargets] = await db.batch([
    publishedArticleQuery(db, slug),
    articleTagsQuery(db, slug),
    ...approvedThreadsQueries(db, { slug, page: commentPage, perPage: commentsPerPage }),
    navigationSectionsQuery(db),
    replyTargetQuery(db, { slug, commentId: replyTo ?? 0 }),
  ]);
  const article = articleRows[0];
  if (!article) return undefined;
  return {
    article,
    tags,
    commentCount: counts?.total ?? 0,
    topLevelCommentCount: Number(counts?.topLevel ?? 0),
    roots,
    replies,
    sections,
    replyTarget: replyTargets[0],
  };
}

export type LoadedArticlePage = NonNullable<Awaited<ReturnType<typeof loadArticlePage>>>;
