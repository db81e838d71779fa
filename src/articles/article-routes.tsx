import { type Context, Hono } from 'hono';
import { createFactory } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { articleDetailByIdQuery } from '../db/articles';
import { primaryDb } from '../db/client';
import { navigationQuery } from '../db/navigation';
import { renderDocument } from '../layout/layout';
import { fromLocalDateTime, recentLocalDays } from '../lib/dates';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { slugify } from '../lib/slug';
import { mediaPath } from '../media/keys';
import { storeUpload } from '../media/store';
import { purgeArticlePages } from '../page-cache/purge';
import { absoluteUrl, articlePath } from '../paths';
import { ArticlePage } from '../public-site/views/article-page';
import { articleViewsPerDay, articleViewsTotal } from '../readership/queries';
import { everyDay } from '../readership/views/bar-chart';
import { requireRole } from '../staff/require-role';
import { hasRole } from '../staff/roles';
import { CSRF_FIELD } from '../staff/session-middleware';
import { removeArticle, saveArticle, setPublication } from './article-editing';
import { ARTICLE_FIELDS, type ArticleField, type ArticleInput, articleInputSchema } from './article-input';
import {
  ARTICLE_LIST_STATES,
  articleCommentCount,
  articleForEditing,
  articleListPage,
  articleListPlaceParam,
  articleOptionsQueries,
  type EditedArticle,
  setCommentsClosed,
} from './article-queries';
import { articleDone } from './done';
import { ownDraftOrEditor } from './edit-rights';
import { revisionsOf } from './revision-queries';
import { ArticleDeletePage } from './views/article-delete-page';
import { ArticleEditPage, type ArticleFormValues, articleFormValues } from './views/article-edit-page';
import { ArticleListPage, listHref } from './views/article-list-page';

const PER_PAGE = 50;
const ID = ':id{[0-9]{1,15}}';

const listQuery = validInput(
  'query',
  z.object({
    state: z.enum(ARTICLE_LIST_STATES).optional().catch(undefined),
    section: z.coerce.number().int().positive().optional().catch(undefined),
    after: articleListPlaceParam.optional().catch(undefined),
    /** The list's old numbered pages: answered with its first page. */
    page: z.string().optional(),
    deleted: z.literal('1').optional().catch(undefined),
  }),
);

interface FormState {
  values: ArticleFormValues;
  /** The text someone else saved since this staffMember's form was loaded. */
  newer?: EditedArticle;
  errors?: Partial<Record<ArticleField, string>>;
  message?: string;
  publishError?: string;
}

const READERS_DAYS = 30;

/** The staffMember's form for a new article (no `article`) or a stored one, with the reader-facing address when published. */
async function editPage(
  c: Context<AppEnv>,
  status: 200 | 404 | 409 | 422,
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
      canPublish={hasRole(c.var.staffMember.role, 'editor')}
      readers={readers && { total: readers[0][0]?.views ?? 0, perDay: everyDay(days, readers[1]) }}
      {...form}
    />,
    { title: article ? `Edit: ${article.headline}` : 'New article' },
  );
}

const articleId = (c: Context<AppEnv>) => Number(c.req.param('id'));

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
    staffMemberId: c.var.staffMember.id,
  });
  if (!stored.ok) return { errors: { heroImageFile: stored.message } };
  return { input: { ...input, heroImageUrl: mediaPath(stored.media.hash) } };
}

/** Publishing names the revision the editor read (every publish form carries it): that one goes live, or none. */
const publishForm = validInput(
  'form',
  z.object({ publishAt: z.string().trim().max(20).default(''), revision: z.coerce.number().int().min(0) }),
  () => {
    throw new HTTPException(400, {
      message: 'Publish from the article’s page: this form does not say which revision you read.',
    });
  },
);

const factory = createFactory<AppEnv>();

/** The list of articles, filtered by state and section; a contributor may edit only their own drafts. */
const listArticles = factory.createHandlers(listQuery, async (c) => {
  const { state, section, after, page, deleted } = c.req.valid('query');
  if (page !== undefined) return c.redirect(listHref({ state, sectionId: section }), 302);
  const db = primaryDb(c.env);
  const staffMember = c.var.staffMember;
  const onlyOwn = !hasRole(staffMember.role, 'editor');
  const [{ rows, older, newer, total }, [, sections]] = await Promise.all([
    articleListPage(db, {
      state,
      sectionId: section,
      after,
      perPage: PER_PAGE,
      viewer: staffMember,
      onlyOwn,
    }),
    db.batch(articleOptionsQueries(db)),
  ]);
  return c.render(
    <ArticleListPage
      rows={rows}
      state={state}
      sectionId={section}
      sections={sections}
      older={older}
      newer={newer}
      total={total}
      timeZone={siteConfig(c.env).timeZone}
      editable={(row) => !onlyOwn || row.status === 'draft'}
      message={deleted && 'The article was deleted.'}
    />,
    { title: 'Articles' },
  );
});

/** The empty form for a new article, its author set to the staff member's own. */
const showNewArticle = factory.createHandlers((c) =>
  editPage(c, 200, undefined, { values: { authorId: String(c.var.staffMember.authorId ?? '') } }),
);

/** Saves a new article (with its uploaded hero image, if any), then opens it. */
const createArticle = factory.createHandlers(articleForm, async (c) => {
  const hero = await withUploadedHero(c, c.req.valid('form'));
  const result =
    'errors' in hero ? hero : await saveArticle(c.env, primaryDb(c.env), hero.input, { by: c.var.staffMember });
  if (result && !('id' in result)) {
    return editPage(c, 422, undefined, {
      values: submittedStrings(await c.req.parseBody(), ARTICLE_FIELDS),
      errors: 'errors' in result ? result.errors : {},
    });
  }
  return c.redirect(articleDone.path(`/admin/articles/${result!.id}`, 'saved'), 303);
});

/** The form of a stored article, with what the last action did. */
const showArticle = factory.createHandlers(articleDone.query, async (c) => {
  const article = await articleForEditing(primaryDb(c.env), articleId(c));
  if (!article) return c.notFound();
  const message = articleDone.message(c.req.valid('query'));
  return editPage(c, 200, article, { values: articleFormValues(article), message });
});

/** Saves a stored article as a new revision, unless someone saved a newer one since the form was loaded (409). */
const updateArticle = factory.createHandlers(articleForm, async (c) => {
  const db = primaryDb(c.env);
  const input = c.req.valid('form');
  const hero = await withUploadedHero(c, input);
  const result =
    'errors' in hero
      ? hero
      : await saveArticle(c.env, db, hero.input, {
          id: articleId(c),
          by: c.var.staffMember,
          baseRevision: input.revision,
        });
  if (!result) return c.notFound();
  if ('conflict' in result) {
    const newer = result.conflict;
    const [latest] = await revisionsOf(db, newer.id).limit(1);
    return editPage(c, 409, newer, {
      // What this editor typed stays in the form; saving it again now replaces the newer text knowingly.
      values: { ...submittedStrings(await c.req.parseBody(), ARTICLE_FIELDS), revision: String(newer.revision) },
      message: `Not saved: ${latest?.savedByName || 'someone'} saved a newer version (revision ${newer.revision}) while you were editing. Your text is still in the form; the newer text is shown below it. Save again to replace it with yours.`,
      newer,
    });
  }
  if ('errors' in result) {
    const article = await articleForEditing(db, articleId(c));
    return editPage(c, 422, article, {
      values: submittedStrings(await c.req.parseBody(), ARTICLE_FIELDS),
      errors: result.errors,
    });
  }
  return c.redirect(articleDone.path(`/admin/articles/${result.id}`, 'saved'), 303);
});

/** The article as readers would see it, in the public layout, under a "Preview" notice. */
const previewArticle = factory.createHandlers(async (c) => {
  const db = primaryDb(c.env);
  const [[article], navigation] = await db.batch([articleDetailByIdQuery(db, articleId(c)), navigationQuery(db)]);
  const edited = article && (await articleForEditing(db, article.id));
  if (!article || !edited) return c.notFound();
  const site = siteConfig(c.env);
  const page = (
    <>
      <p class="comment-notice" role="status">
        Preview: readers do not see this page. <a href={`/admin/articles/${article.id}`}>Back to the article</a>
      </p>
      {edited.status === 'draft' && hasRole(c.var.staffMember.role, 'editor') && (
        // Publishes what this page shows, or nothing if it changes meanwhile.
        <form method="post" action={`/admin/articles/${article.id}/publish`} class="comment-notice">
          <input type="hidden" name={CSRF_FIELD} value={c.var.csrfToken} />
          <input type="hidden" name="revision" value={String(edited.revision)} />
          <input type="hidden" name="publishAt" value="" />
          <button type="submit">Publish this revision now</button>
        </form>
      )}
      <ArticlePage
        article={article}
        path={articlePath(article, site.timeZone)}
        url={absoluteUrl(site.url, articlePath(article, site.timeZone))}
        tags={edited.tagNames.map((name) => ({ name, slug: slugify(name) }))}
        threads={[]}
        commentCount={0}
        commentPage={1}
        commentPageCount={1}
        timeZone={site.timeZone}
        newsletterName={site.newsletterName}
        readsWhole
        signedIn={false}
      />
    </>
  );
  return c.html(renderDocument(site, page, { title: `Preview: ${article.headline}`, navigation }));
});

/** Publishes the article now, or at the local date and time given. */
const publishArticle = factory.createHandlers(publishForm, async (c) => {
  const db = primaryDb(c.env);
  const { publishAt, revision } = c.req.valid('form');
  const article = await articleForEditing(db, articleId(c));
  if (!article) return c.notFound();
  const publishedAt = publishAt ? fromLocalDateTime(publishAt, siteConfig(c.env).timeZone) : new Date();
  if (!publishedAt) {
    return editPage(c, 422, article, {
      values: articleFormValues(article),
      publishError: 'Enter a date and time such as 2026-11-27T09:30, or leave it empty to publish now.',
    });
  }
  const published = await setPublication(c.env, db, article.id, { status: 'published', publishedAt, revision });
  if (published === 'missing') return c.notFound();
  if (published === 'changed') {
    const current = (await articleForEditing(db, article.id)) ?? article;
    return editPage(c, 409, current, {
      values: articleFormValues(current),
      publishError: `Not published: it changed after you read it (you read revision ${revision}, it is now revision ${current.revision}). Read it again, then publish.`,
    });
  }
  return c.redirect(articleDone.path(`/admin/articles/${article.id}`, 'published'), 303);
});

/** The page that asks before an article is deleted, saying how many comments go with it. */
const confirmArticleDeletion = factory.createHandlers(async (c) => {
  const db = primaryDb(c.env);
  const [article, commentCount] = await Promise.all([
    articleForEditing(db, articleId(c)),
    articleCommentCount(db, articleId(c)),
  ]);
  if (!article) return c.notFound();
  return c.render(<ArticleDeletePage article={article} commentCount={commentCount} />, {
    title: `Delete: ${article.headline}`,
  });
});

/** Deletes the article, then lists the articles saying so. */
const deleteArticle = factory.createHandlers(async (c) => {
  if (!(await removeArticle(c.env, primaryDb(c.env), articleId(c)))) return c.notFound();
  return c.redirect('/admin/articles?deleted=1', 303);
});

/** Takes the article back to a draft. */
const unpublishArticle = factory.createHandlers(async (c) => {
  const unpublished = await setPublication(c.env, primaryDb(c.env), articleId(c), { status: 'draft' });
  if (unpublished !== 'done') return c.notFound();
  return c.redirect(articleDone.path(`/admin/articles/${articleId(c)}`, 'published'), 303);
});

/** Closes the article's comments or opens them again. */
const setArticleComments = factory.createHandlers(
  validInput('form', z.object({ closed: z.literal('on').optional().catch(undefined) })),
  async (c) => {
    if (!(await setCommentsClosed(primaryDb(c.env), articleId(c), c.req.valid('form').closed === 'on'))) {
      return c.notFound();
    }
    await purgeArticlePages(c.env, articleId(c));
    return c.redirect(`/admin/articles/${articleId(c)}#comments-setting`, 303);
  },
);

/** Articles: list (filter by state and section), write, edit, preview, publish now or later, unpublish. */
export const articleAdminRoutes = new Hono<AppEnv>()
  .get('/admin/articles', requireRole('contributor'), ...listArticles)
  .get('/admin/articles/new', requireRole('contributor'), ...showNewArticle)
  .post('/admin/articles', requireRole('contributor'), ...createArticle)
  .get(`/admin/articles/${ID}`, ownDraftOrEditor, ...showArticle)
  .post(`/admin/articles/${ID}`, ownDraftOrEditor, ...updateArticle)
  .get(`/admin/articles/${ID}/preview`, ownDraftOrEditor, ...previewArticle)
  .post(`/admin/articles/${ID}/publish`, requireRole('editor'), ...publishArticle)
  .get(`/admin/articles/${ID}/delete`, ownDraftOrEditor, ...confirmArticleDeletion)
  .post(`/admin/articles/${ID}/delete`, ownDraftOrEditor, ...deleteArticle)
  .post(`/admin/articles/${ID}/unpublish`, requireRole('editor'), ...unpublishArticle)
  .post(`/admin/articles/${ID}/comments`, requireRole('editor'), ...setArticleComments);
