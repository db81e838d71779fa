import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { articleDetailByIdQuery } from '../db/articles';
import { primaryDb } from '../db/client';
import { navigationSectionsQuery } from '../db/sections';
import { renderDocument } from '../layout/layout';
import { fromLocalDateTime, recentLocalDays } from '../lib/dates';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { pageCount, pageNumber } from '../lib/pagination';
import { slugify } from '../lib/slug';
import { articlePath } from '../paths';
import { articleViewsPerDay, articleViewsTotal } from '../readership/queries';
import { ArticlePage } from '../reading/views/article-page';
import { saveArticle, setPublication } from './article-editing';
import { ARTICLE_FIELDS, type ArticleField, articleInputSchema } from './article-input';
import {
  articleForEditing,
  articleOptionsQueries,
  EDITOR_ARTICLE_STATES,
  type EditedArticle,
  editorArticlesPageQueries,
} from './article-queries';
import { ArticleEditPage, type ArticleFormValues, articleFormValues } from './views/article-edit-page';
import { ArticleListPage } from './views/article-list-page';
import { everyDay } from './views/bar-chart';

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

const READERS_DAYS = 30;

/** The editor's form for a new article (no `article`) or a stored one, with the reader-facing address when published. */
async function editPage(
  c: Context<AppEnv>,
  status: 200 | 404 | 422,
  article: EditedArticle | undefined,
  form: FormState,
) {
  const db = primaryDb(c.env);
  const { timeZone } = siteConfig(c.env);
  const days = recentLocalDays(new Date(), timeZone, READERS_DAYS);
  const [[authors, sections], readers] = await Promise.all([
    db.batch(articleOptionsQueries(db)),
    article
      ? db.batch([articleViewsTotal(db, article.id), articleViewsPerDay(db, article.id, days[0]!.day)])
      : undefined,
  ]);
  c.status(status);
  return c.render(
    <ArticleEditPage
      article={article}
      publicPath={article?.publishedAt ? articlePath(article, timeZone) : undefined}
      authors={authors}
      sections={sections}
      timeZone={timeZone}
      readers={readers && { total: readers[0][0]?.views ?? 0, perDay: everyDay(days, readers[1]) }}
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
    const input = c.req.valid('form');
    const result = await saveArticle(c.env, primaryDb(c.env), input);
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
    const result = await saveArticle(c.env, db, c.req.valid('form'), articleId(c));
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
