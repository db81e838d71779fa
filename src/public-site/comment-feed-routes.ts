import { and, desc, eq, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { formatCommentText } from '../comments/text';
import { CommentText } from '../comments/views/comment-list';
import { type SiteConfig, siteConfig } from '../config';
import { isPublished } from '../db/articles';
import type { Db } from '../db/client';
import { articles, comments } from '../db/schema';
import { readerDb } from '../db/session';
import { ARTICLE_PATH, absoluteUrl, articlePath, commentFeedPath } from '../paths';
import { publicPageCache } from './public-page-cache';
import { ATOM_CONTENT_TYPE, atomFeed, type FeedEntry } from './views/feed-xml';

/** How many of the latest comments a feed carries. */
const COMMENT_FEED_LENGTH = 30;
const SUMMARY_LENGTH = 200;

/** The latest approved comments on published articles (one article's, or all), newest first; never an email. */
function latestCommentsQuery(db: Db, slug?: string) {
  const visible = and(eq(comments.status, 'approved'), isNull(comments.removal), isPublished);
  return db
    .select({
      id: comments.id,
      authorName: comments.authorName,
      body: comments.body,
      createdAt: comments.createdAt,
      slug: articles.slug,
      headline: articles.headline,
      publishedAt: articles.publishedAt,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(slug ? and(visible, eq(articles.slug, slug)) : visible)
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(COMMENT_FEED_LENGTH);
}

type FeedComment = Awaited<ReturnType<typeof latestCommentsQuery>>[number];

const excerpt = (body: string) =>
  body.length <= SUMMARY_LENGTH ? body : `${body.slice(0, SUMMARY_LENGTH).replace(/\s+\S*$/, '')}…`;

function commentEntry(site: SiteConfig, comment: FeedComment, withHeadline: boolean): FeedEntry {
  return {
    id: `tag:${new URL(site.url).hostname},${comment.createdAt.toISOString().slice(0, 10)}:comments/${comment.id}`,
    url: absoluteUrl(site.url, `${articlePath(comment, site.timeZone)}#comment-${comment.id}`),
    title: withHeadline ? `${comment.authorName} on “${comment.headline}”` : `Comment by ${comment.authorName}`,
    summary: excerpt(comment.body),
    html: String(CommentText({ text: formatCommentText(comment.body) })),
    published: comment.createdAt,
    updated: comment.createdAt,
    authorName: comment.authorName,
  };
}

const newest = (entries: FeedEntry[], otherwise: Date) =>
  new Date(Math.max(otherwise.getTime(), ...entries.map((entry) => entry.updated.getTime())));

/** Atom feeds of approved comments: each article's, and the latest on the whole site. Through the page cache. */
export const commentFeedRoutes = new Hono<AppEnv>()
  .get(commentFeedPath(), publicPageCache(), async (c) => {
    const site = siteConfig(c.env);
    const entries = (await latestCommentsQuery(readerDb(c))).map((comment) => commentEntry(site, comment, true));
    const body = atomFeed({
      title: `${site.name}: latest comments`,
      subtitle: `Readers' latest comments on ${site.name}`,
      pageUrl: absoluteUrl(site.url, '/'),
      selfUrl: absoluteUrl(site.url, commentFeedPath()),
      siteUrl: site.url,
      updated: newest(entries, new Date(0)),
      entries,
    });
    return c.body(body, 200, { 'Content-Type': ATOM_CONTENT_TYPE });
  })
  .get(commentFeedPath(ARTICLE_PATH), publicPageCache(), async (c) => {
    const site = siteConfig(c.env);
    const { year, month, slug } = c.req.param();
    const db = readerDb(c);
    const [[article], latest] = await db.batch([
      db
        .select({ slug: articles.slug, headline: articles.headline, publishedAt: articles.publishedAt })
        .from(articles)
        .where(and(eq(articles.slug, slug), isPublished)),
      latestCommentsQuery(db, slug),
    ]);
    if (!article?.publishedAt) return c.notFound();
    const path = articlePath(article, site.timeZone);
    if (path !== `/${year}/${month}/${slug}`) return c.notFound();
    const entries = latest.map((comment) => commentEntry(site, comment, false));
    const body = atomFeed({
      title: `Comments on “${article.headline}”`,
      subtitle: `Readers' comments on “${article.headline}”, ${site.name}`,
      pageUrl: absoluteUrl(site.url, `${path}#comments`),
      selfUrl: absoluteUrl(site.url, commentFeedPath(path)),
      siteUrl: site.url,
      updated: newest(entries, article.publishedAt),
      entries,
    });
    return c.body(body, 200, { 'Content-Type': ATOM_CONTENT_TYPE });
  });
