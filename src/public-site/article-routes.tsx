import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { accepts } from 'hono/accepts';
import { deleteCookie, getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { COMMENT_NOTICE_COOKIE } from '../comments/notice';
import { COMMENT_HELD_NOTICE } from '../comments/views/comment-form';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { wasDeleted } from '../db/deleted-articles';
import { readerDb } from '../db/session';
import { redirectedArticleQuery } from '../db/slug-redirects';
import { canonicalPositiveInteger, pageNumber } from '../lib/pagination';
import { readsWhole, requestAccess } from '../members/reader-access';
import { ARTICLE_MARKDOWN_PATH, ARTICLE_PATH, articleMarkdownPath, articlePath } from '../paths';
import { articleMarkdown, articleMarkdownQuery, MARKDOWN_CONTENT_TYPE } from './article-markdown';
import { articleResponse } from './article-response';
import { publicPageCache } from './public-page-cache';

const articleQuery = validInput(
  'query',
  z.object({ page: pageNumber, replyto: canonicalPositiveInteger(12).optional() }),
  (c) => c.notFound(),
);

/**
 * What an address answers when no published article has its slug: a redirect to the article's new
 * address (`address` of its page's path: the page, or its Markdown) if the slug was changed, 410 if
 * the article was deleted, else `notFound`.
 */
async function missingArticle(
  c: Context<AppEnv>,
  slug: string,
  address: (pagePath: string) => string,
  notFound: Response | Promise<Response>,
): Promise<Response> {
  const db = primaryDb(c.env);
  const renamed = await redirectedArticleQuery(db, slug);
  if (renamed) return c.redirect(address(articlePath(renamed, siteConfig(c.env).timeZone)), 301);
  if (await wasDeleted(db, slug)) throw new HTTPException(410, { message: 'This article has been removed' });
  return notFound;
}

/** An article's Markdown, asked for at `requestedPath` (its `.md` address, or its page's with `Accept`); `address` spells that kind of address from the page's path. */
async function markdownResponse(
  c: Context<AppEnv>,
  { slug, requestedPath }: { slug: string; requestedPath: string },
  address: (pagePath: string) => string,
): Promise<Response> {
  const site = siteConfig(c.env);
  const [article] = await articleMarkdownQuery(readerDb(c), slug);
  if (!article) return missingArticle(c, slug, address, c.notFound());
  const path = address(articlePath(article, site.timeZone));
  if (path !== requestedPath) return c.redirect(path, 301);
  return c.body(articleMarkdown(article, site, readsWhole(article.access, requestAccess(c))), 200, {
    'Content-Type': MARKDOWN_CONTENT_TYPE,
  });
}

/** Asked for with `Accept` at the page's address, the Markdown is kept under its `.md` address: one entry, one purge, never the page's key. */
const negotiatedMarkdownCache = publicPageCache([], (c) => articleMarkdownPath(c.req.path));

/**
 * Content negotiation on an article's address: a client that prefers `text/markdown` to `text/html`
 * gets the Markdown (from the `.md` address's cache entry), any other the page; both answers say
 * `Vary: Accept`, so no shared cache gives one the other.
 */
const negotiated: MiddlewareHandler<AppEnv, typeof ARTICLE_PATH> = async (c, next) => {
  const type = accepts(c, { header: 'Accept', supports: ['text/html', 'text/markdown'], default: 'text/html' });
  if (type === 'text/markdown') {
    const { year, month, slug } = c.req.param();
    const requested = { slug, requestedPath: `/${year}/${month}/${slug}` };
    const cached = await negotiatedMarkdownCache(c, async () => {
      c.res = await markdownResponse(c, requested, (pagePath) => pagePath);
    });
    if (cached) c.res = cached;
  } else {
    await next();
  }
  c.res.headers.append('Vary', 'Accept');
};

export const articleRoutes = new Hono<AppEnv>()
  .get(ARTICLE_MARKDOWN_PATH, publicPageCache(), (c) => {
    const { year, month, file } = c.req.param();
    return markdownResponse(
      c,
      { slug: file.slice(0, -'.md'.length), requestedPath: `/${year}/${month}/${file}` },
      articleMarkdownPath,
    );
  })
  .get(ARTICLE_PATH, articleQuery, negotiated, publicPageCache(['page', 'replyto']), async (c) => {
    const { year, month, slug } = c.req.param();
    const { page, replyto } = c.req.valid('query');
    const held = getCookie(c, COMMENT_NOTICE_COOKIE) !== undefined;
    if (held) deleteCookie(c, COMMENT_NOTICE_COOKIE, { path: c.req.path });
    const response = await articleResponse(c, {
      requestedPath: `/${year}/${month}/${slug}`,
      slug,
      commentPage: page,
      replyTo: replyto,
      notice: held ? COMMENT_HELD_NOTICE : undefined,
    });
    // A published article whose slug was changed keeps its old address working.
    return response.status === 404 ? missingArticle(c, slug, (pagePath) => pagePath, response) : response;
  });
