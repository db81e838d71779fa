import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { AdminMessage } from '../layout/admin-layout';
import { requireRole } from '../staff/require-role';
import { saveArticle } from './article-editing';
import { type ArticleInput, parseTagList } from './article-input';
import { articleForEditing, type EditedArticle } from './article-queries';
import { articleDone } from './done';
import { revisionOf, revisionsOf } from './revision-queries';
import { RevisionDiffPage, RevisionListPage } from './views/revisions-page';

const ID = ':id{[0-9]{1,15}}';
const NUMBER = ':number{[0-9]{1,9}}';

/** The article as it stands, with one revision's headline, standfirst and body. */
function restoredInput(article: EditedArticle, text: { headline: string; standfirst: string; bodyMarkdown: string }) {
  return {
    headline: text.headline,
    slug: article.slug,
    standfirst: text.standfirst,
    body: text.bodyMarkdown,
    access: article.access,
    heroImageUrl: article.heroImageUrl ?? '',
    heroImageAlt: article.heroImageAlt,
    heroImageCredit: article.heroImageCredit,
    authorId: article.authorId,
    sectionId: article.sectionId,
    tags: parseTagList(article.tagNames.join(',')),
    metaTitle: article.metaTitle,
    metaDescription: article.metaDescription,
    socialTitle: article.socialTitle,
    socialDescription: article.socialDescription,
    canonicalUrl: article.canonicalUrl,
    noindex: article.noindex === 1,
  } satisfies Omit<ArticleInput, 'revision'>;
}

async function diffPage(c: Context<AppEnv>, status: 200 | 409, message?: string) {
  const db = primaryDb(c.env);
  const id = Number(c.req.param('id'));
  const [article, revision] = await Promise.all([
    articleForEditing(db, id),
    revisionOf(db, id, Number(c.req.param('number'))),
  ]);
  if (!article || !revision) return c.notFound();
  c.status(status);
  return c.render(
    <>
      <AdminMessage text={message} kind="alert" />
      <RevisionDiffPage article={article} revision={revision} timeZone={siteConfig(c.env).timeZone} />
    </>,
    { title: `Revision ${revision.number}: ${article.headline}` },
  );
}

/** Editors: an article's revisions, one compared word by word with the current text, and restoring it. */
export const revisionRoutes = new Hono<AppEnv>()
  .get(`/admin/articles/${ID}/revisions`, requireRole('editor'), async (c) => {
    const db = primaryDb(c.env);
    const id = Number(c.req.param('id'));
    const [article, revisions] = await Promise.all([articleForEditing(db, id), revisionsOf(db, id)]);
    if (!article) return c.notFound();
    return c.render(
      <RevisionListPage article={article} revisions={revisions} timeZone={siteConfig(c.env).timeZone} />,
      { title: `Revisions: ${article.headline}` },
    );
  })
  .get(`/admin/articles/${ID}/revisions/${NUMBER}`, requireRole('editor'), (c) => diffPage(c, 200))
  .post(
    `/admin/articles/${ID}/revisions/${NUMBER}/restore`,
    requireRole('editor'),
    validInput('form', z.object({ revision: z.coerce.number().int().min(0) })),
    async (c) => {
      const db = primaryDb(c.env);
      const id = Number(c.req.param('id'));
      const number = Number(c.req.param('number'));
      const [article, revision] = await Promise.all([articleForEditing(db, id), revisionOf(db, id, number)]);
      if (!article || !revision) return c.notFound();
      const result = await saveArticle(c.env, db, restoredInput(article, revision), {
        id,
        by: c.var.staffMember,
        baseRevision: c.req.valid('form').revision,
        restoredFrom: number,
      });
      if (result && 'conflict' in result) {
        return diffPage(
          c,
          409,
          'Not restored: someone saved the article meanwhile. Here it is against the newer text.',
        );
      }
      if (!result || 'errors' in result) {
        return diffPage(c, 409, 'Not restored: this revision no longer fits the article (its slug or author changed).');
      }
      return c.redirect(articleDone.path(`/admin/articles/${id}`, 'restored', number), 303);
    },
  );
