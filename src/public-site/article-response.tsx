import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env';
import { commentsClosed } from '../comments/closing';
import { editableCommentIds, editWindowMs } from '../comments/edit-capability';
import { commentFormToken } from '../comments/guards';
import { buildThreads, COMMENTS_PER_PAGE } from '../comments/threads';
import { CommentForm, type CommentFormState, CommentNotice } from '../comments/views/comment-form';
import { CommentsClosed } from '../comments/views/comments-closed';
import { siteConfig } from '../config';
import { loadArticlePage } from '../db/article-page';
import { readerDb } from '../db/session';
import { pageCount } from '../lib/pagination';
import { readsWhole, requestAccess } from '../members/reader-access';
import { absoluteUrl, articleMarkdownPath, articlePath, commentFeedPath, pagePath, WEBMENTION_PATH } from '../paths';
import { ArticleMeta } from './views/article-meta';
import { ArticlePage } from './views/article-page';

export interface ArticleResponseOptions {
  /** The year and month from the URL; a mismatch with the publication date redirects (GET) or is a 404. */
  requestedPath: string;
  slug: string;
  commentPage: number;
  replyTo?: number;
  /** A refused submission coming back to the reader: their text, the messages, and the status. */
  form?: CommentFormState & { status: ContentfulStatusCode };
  notice?: string;
}

/**
 * The article page: a plain view (cacheable), or the page with a reader's refused comment form or a
 * notice (`private, no-store`: it must never reach the shared cache).
 */
export async function articleResponse(c: Context<AppEnv>, options: ArticleResponseOptions): Promise<Response> {
  const site = siteConfig(c.env);
  const loaded = await loadArticlePage(readerDb(c), {
    slug: options.slug,
    commentPage: options.commentPage,
    commentsPerPage: COMMENTS_PER_PAGE,
    replyTo: options.replyTo,
  });
  if (!loaded) return c.notFound();
  const path = articlePath(loaded.article, site.timeZone);
  if (path !== options.requestedPath) return c.req.method === 'GET' ? c.redirect(path, 301) : c.notFound();
  const commentPageCount = pageCount(loaded.topLevelCommentCount, COMMENTS_PER_PAGE);
  if (options.commentPage > commentPageCount) return c.notFound();
  // A reply link to a comment that is not (or no longer) approved here: the plain page, never a cache entry of its own.
  if (options.replyTo !== undefined && !loaded.replyTarget && c.req.method === 'GET') {
    return c.redirect(`${pagePath(path, options.commentPage)}#respond`, 302);
  }

  const token = await commentFormToken(c.env, options.slug);
  const closed = commentsClosed(loaded.article, site.comments.closeAfterDays, new Date());
  const capabilities = await editableCommentIds(c);
  const openUntil = Date.now() - editWindowMs(c.env);
  const editable = new Set(
    [...loaded.roots, ...loaded.replies]
      .filter((comment) => capabilities.has(comment.id) && comment.createdAt.getTime() > openUntil)
      .map((comment) => comment.id),
  );
  const personal = options.form !== undefined || options.notice !== undefined || capabilities.size > 0;
  if (personal) c.header('Cache-Control', 'private, no-store');
  const { member } = c.var;
  c.status(options.form?.status ?? 200);
  return c.render(
    <ArticlePage
      article={loaded.article}
      path={path}
      url={absoluteUrl(site.url, path)}
      tags={loaded.tags}
      threads={buildThreads(loaded.roots, loaded.replies)}
      commentCount={loaded.commentCount}
      commentPage={options.commentPage}
      commentPageCount={commentPageCount}
      timeZone={site.timeZone}
      newsletterName={site.newsletterName}
      readsWhole={readsWhole(loaded.article.access, requestAccess(c))}
      signedIn={member !== undefined}
      replyHref={closed ? undefined : (id) => `${path}?replyto=${id}#respond`}
      editHref={(id) => (editable.has(id) ? `${path}/comments/${id}` : undefined)}
      commentForm={
        <>
          {options.notice && <CommentNotice text={options.notice} />}
          {closed ? (
            <CommentsClosed keptText={options.form?.values?.comment} />
          ) : (
            <CommentForm
              articlePath={path}
              token={token}
              replyTo={loaded.replyTarget}
              // A page that may be cached is shared by every member of this access level: it must not name this one.
              member={member && (personal ? { name: member.name } : 'shared')}
              {...options.form}
            />
          )}
        </>
      }
    />,
    {
      title: loaded.article.metaTitle || loaded.article.headline,
      description: loaded.article.metaDescription || loaded.article.standfirst,
      navigation: loaded.navigation,
      canonicalPath: loaded.article.canonicalUrl || pagePath(path, options.commentPage),
      noindex: loaded.article.noindex === 1,
      commentFeed: { title: `Comments on “${loaded.article.headline}” (Atom)`, path: commentFeedPath(path) },
      head: (
        <>
          <link
            rel="alternate"
            type="text/markdown"
            title="This article in Markdown"
            href={articleMarkdownPath(path)}
          />
          <link rel="webmention" href={absoluteUrl(site.url, WEBMENTION_PATH)} />
          <ArticleMeta article={loaded.article} tags={loaded.tags} url={absoluteUrl(site.url, path)} site={site} />
        </>
      ),
    },
  );
}
