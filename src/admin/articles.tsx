import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { articleDetailByIdQuery } from '../db/articles';
import { primaryDb } from '../db/client';
import { navigationSectionsQuery } from '../db/sections';
import { renderDocument } from '../layout/layout';
import { fromLocalDateTime } from '../lib/dates';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { pageCount, pageNumber } from '../lib/pagination';
import { slugify } from '../lib/slug';
import { mediaPath } from '../media/keys';
import { storeUpload } from '../media/store';
import { articlePath } from '../paths';
import { ArticlePage } from '../reading/views/article-page';
import { saveArticle, setPublication } from './article-editing';
import { ARTICLE_FIELDS, type ArticleField, type ArticleInput, articleInputSchema } from './article-input';
import {
  articleForEditing,
  articleOptionsQueries,
  EDITOR_ARTICLE_STATES,
  type EditedArticle,
  editorArticlesPageQueries,
} from './article-queries';
import { ArticleEditPage, type ArticleFormValues, articleFormValues } from './views/article-edit-page';
import { ArticleListPage } from './views/article-list-page';

const PER_PAGE = 50;
const ID = ':id{[0-9]{1,15}}';

const listQuery = validInput(
  'query',
  z.object({
    state: z.enum(EDITOR_ARTICLE_STATES).optional().catch(undefined),
    section: z.coerce.number().int().positive().optional().catch(undefined),
    page: pageNumber.catch(1),
  }),
);

interface FormState {
  values: ArticleFormValues;
  errors?: Partial<Record<ArticleField, string>>;
  message?: string;
  publishError?: string;
}

/** The editor's form for a new article (no `article`) or a stored one, with the reader-facing address when published. */
async function editPage(
  c: Context<AppEnv>,
  status: 200 | 404 | 422,
  article: EditedArticle | undefined,
  form: FormState,
) {
  const db = primaryDb(c.env);
  const [authors, sections] = await db.batch(articleOptionsQueries(db));
  const { timeZone } = siteConfig(c.env);
  c.status(status);
  return c.render(
    <ArticleEditPage
      article={article}
      publicPath={article?.publishedAt ? articlePath(article, timeZone) : undefined}
      authors={authors}
      sections={sections}
      timeZone={timeZone}
      {...form}
    />,
    { title: article ? `Edit: ${article.headline}` : 'New article' },
  );
}

const articleId = (c: Context) => Number(c.req.param('id'));

/** The article form's validation: on failure, the form again (422) with what was typed and a message at each field. */
const articleForm = validInput('form', articleInputSchema, async (c, error, submitted) => {
  const id = c.req.param('id');
  const article = id ? await articleForEditing(primaryDb(c.env), Number(id)) : undefined;
  if (id && !article) return c.notFound();
  return editPage(c, 422, article, {
    values: submittedStrings(submitted, ARTICLE_FIELDS),
    errors: firstErrorPerField(error, ARTICLE_FIELDS),
    message: 'Please correct the marked fields: nothing has been saved yet.',
  });
});

/**
 * The hero file the form carried, if any, stored as a media-library upload (checked the same way):
 * its address replaces the typed one, and saving the article takes its size from the library.
 */
async function withUploadedHero(
  c: Context<AppEnv>,
  input: ArticleInput,
): Promise<{ input: ArticleInput } | { errors: Partial<Record<ArticleField, string>> }> {
  const file = (await c.req.parseBody()).heroImageFile;
  if (!(file instanceof File) || file.size === 0) return { input };
  if (!input.heroImageAlt) return { errors: { heroImageAlt: 'Describe the image for readers who cannot see it.' } };
  const stored = await storeUpload(c.env, primaryDb(c.env), file, {
    alt: input.heroImageAlt,
    credit: input.heroImageCredit,
    editorId: c.var.editor.id,
  });
  if (!stored.ok) return { errors: { heroImageFile: stored.message } };
  return { input: { ...input, heroImageUrl: mediaPath(stored.media.hash) } };
}

const publishForm = validInput('form', z.object({ publishAt: z.string().trim().max(20).default('') }));

/** Articles: list (filter by state and section), write, edit, preview, publish now or later, unpublish. */
export const articleAdminRoutes = new Hono<AppEnv>()
  .get('/admin/articles', listQuery, async (c) => {
    const { state, section, page } = c.req.valid('query');
    const db = primaryDb(c.env);
    const [rows, [counted], [, sections]] = await Promise.all([
      ...editorArticlesPageQueries(db, { state, sectionId: section, page, perPage: PER_PAGE }),
      db.batch(articleOptionsQueries(db)),
    ]);
    return c.render(
      <ArticleListPage
        rows={rows}
        state={state}
        sectionId={section}
        sections={sections}
        page={page}
        pageCount={pageCount(counted?.total ?? 0, PER_PAGE)}
        timeZone={siteConfig(c.env).timeZone}
      />,
      { title: 'Articles' },
    );
  })
  .get('/admin/articles/new', (c) => editPage(c, 200, undefined, { values: {} }))
  .post('/admin/articles', articleForm, async (c) => {
    const hero = await withUploadedHero(c, c.req.valid('form'));
    const result = 'errors' in hero ? hero : await saveArticle(c.env, primaryDb(c.env), hero.input);
    if (result && 'errors' in result) {
      return editPage(c, 422, undefined, {
        values: submittedStrings(await c.req.parseBody(), ARTICLE_FIELDS),
        errors: result.errors,
      });
    }
    return c.redirect(`/admin/articles/${result!.id}?saved=1`, 303);
  })
  .get(`/admin/articles/${ID}`, async (c) => {
    const article = await articleForEditing(primaryDb(c.env), articleId(c));
    if (!article) return c.notFound();
    const notice = c.req.query('saved') ? 'Saved.' : c.req.query('published') ? 'Publication updated.' : undefined;
    return editPage(c, 200, article, { values: articleFormValues(article), message: notice });
  })
  .post(`/admin/articles/${ID}`, articleForm, async (c) => {
    const db = primaryDb(c.env);
    const hero = await withUploadedHero(c, c.req.valid('form'));
    const result = 'errors' in hero ? hero : await saveArticle(c.env, db, hero.input, articleId(c));
    if (!result) return c.notFound();
    if ('errors' in result) {
      const article = await articleForEditing(db, articleId(c));
      return editPage(c, 422, article, {
        values: submittedStrings(await c.req.parseBody(), ARTICLE_FIELDS),
        errors: result.errors,
      });
    }
    return c.redirect(`/admin/articles/${result.id}?saved=1`, 303);
  })
  .get(`/admin/articles/${ID}/preview`, async (c) => {
    const db = primaryDb(c.env);
    const [[article], sections] = await db.batch([
      articleDetailByIdQuery(db, articleId(c)),
      navigationSectionsQuery(db),
    ]);
    const edited = article && (await articleForEditing(db, article.id));
    if (!article || !edited) return c.notFound();
    const site = siteConfig(c.env);
    const page = (
      <>
        <p class="comment-notice" role="status">
          Preview: readers do not see this page. <a href={`/admin/articles/${article.id}`}>Back to the editor</a>
        </p>
        <ArticlePage
          article={article}
          path={articlePath(article, site.timeZone)}
          tags={edited.tagNames.map((name) => ({ name, slug: slugify(name) }))}
          threads={[]}
          commentCount={0}
          commentPage={1}
          commentPageCount={1}
          timeZone={site.timeZone}
          newsletterName={site.newsletterName}
        />
      </>
    );
    return c.html(renderDocument(site, page, { title: `Preview: ${article.headline}`, sections }));
  })
  .post(`/admin/articles/${ID}/publish`, publishForm, async (c) => {
    const db = primaryDb(c.env);
    const { publishAt } = c.req.valid('form');
    const article = await articleForEditing(db, articleId(c));
    if (!article) return c.notFound();
    const publishedAt = publishAt ? fromLocalDateTime(publishAt, siteConfig(c.env).timeZone) : new Date();
    if (!publishedAt) {
      return editPage(c, 422, article, {
        values: articleFormValues(article),
        publishError: 'Enter a date and time such as 2026-11-27T09:30, or leave it empty to publish now.',
      });
    }
    await setPublication(c.env, db, article.id, { status: 'published', publishedAt });
    return c.redirect(`/admin/articles/${article.id}?published=1`, 303);
  })
  .post(`/admin/articles/${ID}/unpublish`, async (c) => {
    const found = await setPublication(c.env, primaryDb(c.env), articleId(c), { status: 'draft' });
    if (!found) return c.notFound();
    return c.redirect(`/admin/articles/${articleId(c)}?published=1`, 303);
  });
