import { articleLocation } from '../db/articles';
import type { Db } from '../db/client';
import { federatedAuthor, queueArticleActivity, queueArticleDelete } from '../fediverse/publish';
import { renderArticleBody } from '../lib/markdown';
import { bodyImageSizes, mediaDimensions, mediaShownBy, publishMedia } from '../media/queries';
import { libraryImageResolver } from '../media/responsive';
import { purgeArticlePages } from '../page-cache/purge';
import { STALENESS_BOUND_SECONDS } from '../page-cache/purge-queue';
import { queueWebmentions } from '../webmention/send';
import type { ArticleField, ArticleInput } from './article-input';
import {
  type ArticleContent,
  articleForEditing,
  articleIdBySlug,
  authorAndSectionExist,
  deleteArticle,
  type EditedArticle,
  insertArticle,
  saveArticleContent,
  setArticlePublication,
} from './article-queries';

export type SaveArticleResult =
  | { id: number }
  | { errors: Partial<Record<ArticleField, string>> }
  /** Someone saved since the form was loaded: nothing was written; this is what they saved. */
  | { conflict: EditedArticle };

/** Who saves, and from which revision of the article their form started (optimistic concurrency). */
export interface SaveContext {
  id?: number;
  by: { id: number; name: string; email: string };
  baseRevision?: number;
  restoredFrom?: number;
}

export const SLUG_TAKEN = 'Another article already has this slug: choose another.';

const failedOn = (error: unknown, what: string) => String((error as Error)?.message ?? error).includes(what);

async function refusals(db: Db, input: ArticleInput, id?: number) {
  const errors: Partial<Record<ArticleField, string>> = {};
  const [owner, exists] = await Promise.all([articleIdBySlug(db, input.slug), authorAndSectionExist(db, input)]);
  if (owner !== undefined && owner !== id) errors.slug = SLUG_TAKEN;
  if (!exists.author) errors.authorId = 'Choose an author from the list.';
  if (!exists.section) errors.sectionId = 'Choose a section from the list.';
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * Creates (no id) or updates an article from the editor's form: the Markdown is rendered to HTML now
 * (its media-library images with their variants and their size from D1, one query), missing tags are
 * created, a published article's old slug keeps answering with a 301, and every cached page the
 * article was or now is on is purged. A slug already taken is a field error.
 */
export async function saveArticle(
  env: Env,
  db: Db,
  input: ArticleInput,
  { id, by, baseRevision, restoredFrom }: SaveContext,
): Promise<SaveArticleResult | undefined> {
  const before = id === undefined ? undefined : await articleForEditing(db, id);
  if (id !== undefined && !before) return undefined;
  if (before && baseRevision !== before.revision) return { conflict: before };
  const errors = await refusals(db, input, id);
  if (errors) return { errors };

  const heroImageUrl = input.heroImageUrl || null;
  const sameImage = before !== undefined && before.heroImageUrl === heroImageUrl;
  // A media-library image has its size in D1; the stored size belongs to the article's old image.
  const [heroSize, bodyImages] = await Promise.all([
    sameImage ? { width: before.heroImageWidth, height: before.heroImageHeight } : mediaDimensions(db, heroImageUrl),
    bodyImageSizes(db, input.body),
  ]);
  const body = renderArticleBody(input.body, { resolveImage: libraryImageResolver(bodyImages) });
  const content: ArticleContent = {
    slug: input.slug,
    headline: input.headline,
    standfirst: input.standfirst,
    bodyMarkdown: input.body,
    bodyHtml: body.html,
    access: input.access,
    teaserHtml: body.teaserHtml,
    heroImageUrl,
    heroImageAlt: input.heroImageAlt,
    heroImageCredit: input.heroImageCredit,
    heroImageWidth: heroSize.width,
    heroImageHeight: heroSize.height,
    authorId: input.authorId,
    sectionId: input.sectionId,
    metaTitle: input.metaTitle,
    metaDescription: input.metaDescription,
    socialTitle: input.socialTitle,
    socialDescription: input.socialDescription,
    canonicalUrl: input.canonicalUrl,
    noindex: input.noindex ? 1 : 0,
  };
  const previous = id === undefined ? undefined : await articleLocation(db, id);
  try {
    const articleId = id ?? (await insertArticle(db, content, by.id));
    await saveArticleContent(db, articleId, {
      content,
      tagNames: input.tags,
      redirectFrom: before?.status === 'published' ? before.slug : undefined,
      revision: {
        base: before?.revision ?? 0,
        keepOriginal: before?.revision === 0,
        savedBy: by.id,
        savedByName: by.name || by.email,
        restoredFrom: restoredFrom ?? null,
      },
    });
    if (before?.status === 'published' && before.publishedAt)
      await publishMedia(db, mediaShownBy(content), before.publishedAt);
    await purgeArticlePages(env, articleId, previous);
    await queueWebmentions(env, db, articleId, STALENESS_BOUND_SECONDS);
    if (before?.status === 'published')
      await queueArticleActivity(env, db, articleId, 'update', STALENESS_BOUND_SECONDS);
    return { id: articleId };
  } catch (error) {
    if (failedOn(error, 'articles.slug')) return { errors: { slug: SLUG_TAKEN } };
    if (before && failedOn(error, 'article_revisions')) {
      const newer = await articleForEditing(db, before.id);
      if (newer) return { conflict: newer };
    }
    throw error;
  }
}

/** Deletes an article and its comments (a published one's address then answers 410) and purges the pages it was on. */
export async function removeArticle(env: Env, db: Db, id: number): Promise<boolean> {
  const [previous, article, federated] = await Promise.all([
    articleLocation(db, id),
    articleForEditing(db, id),
    federatedAuthor(db, id),
  ]);
  if (!previous || !article) return false;
  await deleteArticle(db, id, { wasPublished: article.status === 'published' });
  await purgeArticlePages(env, id, previous);
  await queueArticleDelete(env, db, id, federated);
  return true;
}

/** Publishes now or at a later time (scheduled), or takes an article back to draft; purges its pages old and new. */
export async function setPublication(
  env: Env,
  db: Db,
  id: number,
  publication: { status: 'published'; publishedAt: Date; revision: number } | { status: 'draft' },
): Promise<'done' | 'missing' | 'changed'> {
  const [previous, federated] = await Promise.all([articleLocation(db, id), federatedAuthor(db, id)]);
  if (!previous) return 'missing';
  const published = publication.status === 'published';
  const change = published ? { status: publication.status, publishedAt: publication.publishedAt } : publication;
  const shown = await setArticlePublication(db, id, change, published ? publication.revision : undefined);
  if (!shown) return 'changed';
  if (published) await publishMedia(db, mediaShownBy(shown), publication.publishedAt);
  await purgeArticlePages(env, id, previous);
  await queueWebmentions(env, db, id, STALENESS_BOUND_SECONDS);
  // A new article's page was never cached: its Create may go at once; an Update waits for the old copies to go.
  if (published)
    await queueArticleActivity(env, db, id, federated ? 'update' : 'create', federated ? STALENESS_BOUND_SECONDS : 0);
  else await queueArticleDelete(env, db, id, federated);
  return 'done';
}
