import { articleLocation } from '../db/articles';
import type { Db } from '../db/client';
import { renderMarkdown } from '../lib/markdown';
import { mediaDimensions } from '../media/queries';
import { purgeArticlePages } from '../page-cache/purge';
import type { ArticleField, ArticleInput } from './article-input';
import {
  type ArticleContent,
  articleForEditing,
  articleIdBySlug,
  authorAndSectionExist,
  insertArticle,
  saveArticleContent,
  setArticlePublication,
} from './article-queries';

export type SaveArticleResult = { id: number } | { errors: Partial<Record<ArticleField, string>> };

export const SLUG_TAKEN = 'Another article already has this slug: choose another.';

const isSlugConflict = (error: unknown) => String((error as Error)?.message ?? error).includes('articles.slug');

async function refusals(db: Db, input: ArticleInput, id?: number) {
  const errors: Partial<Record<ArticleField, string>> = {};
  const [owner, exists] = await Promise.all([articleIdBySlug(db, input.slug), authorAndSectionExist(db, input)]);
  if (owner !== undefined && owner !== id) errors.slug = SLUG_TAKEN;
  if (!exists.author) errors.authorId = 'Choose an author from the list.';
  if (!exists.section) errors.sectionId = 'Choose a section from the list.';
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * Creates (no id) or updates an article from the editor's form: the Markdown is rendered to HTML now,
 * missing tags are created, a published article's old slug keeps answering with a 301, and every
 * cached page the article was or now is on is purged. A slug already taken is a field error.
 */
export async function saveArticle(
  env: Env,
  db: Db,
  input: ArticleInput,
  id?: number,
): Promise<SaveArticleResult | undefined> {
  const before = id === undefined ? undefined : await articleForEditing(db, id);
  if (id !== undefined && !before) return undefined;
  const errors = await refusals(db, input, id);
  if (errors) return { errors };

  const heroImageUrl = input.heroImageUrl || null;
  const sameImage = before !== undefined && before.heroImageUrl === heroImageUrl;
  // A media-library image has its size in D1; the stored size belongs to the article's old image.
  const heroSize = sameImage
    ? { width: before.heroImageWidth, height: before.heroImageHeight }
    : await mediaDimensions(db, heroImageUrl);
  const content: ArticleContent = {
    slug: input.slug,
    headline: input.headline,
    standfirst: input.standfirst,
    bodyMarkdown: input.body,
    bodyHtml: renderMarkdown(input.body),
    heroImageUrl,
    heroImageAlt: input.heroImageAlt,
    heroImageCredit: input.heroImageCredit,
    heroImageWidth: heroSize.width,
    heroImageHeight: heroSize.height,
    authorId: input.authorId,
    sectionId: input.sectionId,
  };
  const previous = id === undefined ? undefined : await articleLocation(db, id);
  try {
    const articleId = id ?? (await insertArticle(db, content));
    await saveArticleContent(db, articleId, {
      content,
      tagNames: input.tags,
      redirectFrom: before?.status === 'published' ? before.slug : undefined,
    });
    await purgeArticlePages(env, articleId, previous);
    return { id: articleId };
  } catch (error) {
    if (isSlugConflict(error)) return { errors: { slug: SLUG_TAKEN } };
    throw error;
  }
}

/** Publishes now or at a later time (scheduled), or takes an article back to draft; purges its pages old and new. */
export async function setPublication(
  env: Env,
  db: Db,
  id: number,
  publication: { status: 'published'; publishedAt: Date } | { status: 'draft' },
): Promise<boolean> {
  const previous = await articleLocation(db, id);
  if (!previous) return false;
  await setArticlePublication(db, id, publication);
  await purgeArticlePages(env, id, previous);
  return true;
}
