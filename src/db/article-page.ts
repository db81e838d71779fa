import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { type ArticleDetail, detailColumns, isPublished } from './articles';
import type { Db } from './client';
import { compiledStatement } from './compiled-statement';
import { articles, articleTags, authors, comments, media, sections, staticPages, tags } from './schema';

/** What readers may see of a comment: never the email or the IP hash. */
export type PublicComment = Pick<
  typeof comments.$inferSelect,
  | 'id'
  | 'parentId'
  | 'rootId'
  | 'depth'
  | 'authorName'
  | 'body'
  | 'createdAt'
  | 'editedAt'
  | 'removal'
  | 'staff'
  | 'sourceUrl'
  | 'authorUrl'
>;

/** The approved comment a reply answers, as the form shows it ("Replying to …"). */
export type ReplyTarget = Pick<typeof comments.$inferSelect, 'id' | 'rootId' | 'depth' | 'authorName' | 'body'>;

import type { NavigationLink } from './navigation';

/** `json_object('key', column, …)`: a row as JSON, built by SQLite. */
const jsonObject = (fields: Record<string, SQLiteColumn>): SQL =>
  sql`json_object(${sql.join(
    Object.entries(fields).map(([key, column]) => sql`${sql.raw(`'${key}'`)}, ${column}`),
    sql`, `,
  )})`;

/** The rows of `select` as a JSON array (empty when there are none); the order is restored in JS. */
const jsonArray = (select: SQL): SQL => sql`coalesce((select json_group_array(json(row)) from (${select})), '[]')`;

const publicCommentJson = jsonObject({
  id: comments.id,
  parentId: comments.parentId,
  rootId: comments.rootId,
  depth: comments.depth,
  authorName: comments.authorName,
  body: comments.body,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  removal: comments.removal,
  staff: comments.staff,
  sourceUrl: comments.sourceUrl,
  authorUrl: comments.authorUrl,
});

function articlePageStatement(): SQL {
  const slug = sql.placeholder('slug');
  const articleId = sql`(select ${articles.id} from ${articles} where ${articles.slug} = ${slug} and ${isPublished})`;
  const approved = sql`${comments.articleId} = ${articleId} and ${comments.status} = 'approved'`;
  // Threads are numbered oldest first (comments.thread_number): the page `offset` threads from the newest is a range.
  const newest = sql`((select ${articles.threadCount} from ${articles} where ${articles.id} = ${articleId}) - ${sql.placeholder('offset')})`;
  const pageRoots = sql`(select ${comments.id} from ${comments} where ${comments.articleId} = ${articleId}
    and ${comments.threadNumber} <= ${newest} and ${comments.threadNumber} > ${newest} - ${sql.placeholder('limit')})`;
  const article = jsonObject({
    id: articles.id,
    slug: articles.slug,
    headline: articles.headline,
    standfirst: articles.standfirst,
    publishedAt: articles.publishedAt,
    authorName: authors.name,
    authorSlug: authors.slug,
    sectionName: sections.name,
    sectionSlug: sections.slug,
    ...detailColumns,
  });
  return sql`select
    (select ${article} from ${articles}
      inner join ${authors} on ${authors.id} = ${articles.authorId}
      inner join ${sections} on ${sections.id} = ${articles.sectionId}
      left join ${media} on ${media.hash} = ${authors.photoHash}
      where ${articles.slug} = ${slug} and ${isPublished}) as article,
    ${jsonArray(sql`select ${jsonObject({ slug: tags.slug, name: tags.name })} as row from ${articleTags}
      inner join ${tags} on ${tags.id} = ${articleTags.tagId} where ${articleTags.articleId} = ${articleId}`)} as tags,
    (select ${articles.commentCount} from ${articles} where ${articles.id} = ${articleId}) as total,
    (select ${articles.threadCount} from ${articles} where ${articles.id} = ${articleId}) as topLevel,
    ${jsonArray(sql`select ${publicCommentJson} as row from ${comments} where ${comments.id} in ${pageRoots}`)} as roots,
    ${jsonArray(sql`select ${publicCommentJson} as row from ${comments} where ${comments.rootId} in ${pageRoots} and ${comments.status} = 'approved'`)} as replies,
    ${jsonArray(sql`select json_object('kind', 'section', 'slug', ${sections.slug}, 'name', ${sections.name}, 'position', ${sections.position}) as row from ${sections}
      union all select json_object('kind', 'page', 'slug', ${staticPages.slug}, 'name', ${staticPages.title}, 'position', ${staticPages.navPosition}) from ${staticPages}
      where ${staticPages.status} = 'published' and ${staticPages.navPosition} is not null`)} as navigation,
    (select ${jsonObject({ id: comments.id, rootId: comments.rootId, depth: comments.depth, authorName: comments.authorName, body: comments.body })}
      from ${comments} where ${comments.id} = ${sql.placeholder('replyTo')} and ${approved}) as replyTarget`;
}

const articlePageQuery = compiledStatement<{ slug: string; limit: number; offset: number; replyTo: number }>(
  articlePageStatement,
);

interface ArticlePageRow {
  article: string | null;
  tags: string;
  total: number;
  topLevel: number;
  roots: string;
  replies: string;
  navigation: string;
  replyTarget: string | null;
}

type Timestamped<T, Keys extends keyof T> = Omit<T, Keys> & Record<Keys, number>;

/** The order of SQLite's default (binary) collation, as `order by name` sorts. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byTime = (direction: 1 | -1) => (a: PublicComment, b: PublicComment) =>
  direction * (a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);

function parseComments(json: string): PublicComment[] {
  return (JSON.parse(json) as (Timestamped<PublicComment, 'createdAt'> & { editedAt: number | null })[]).map(
    (comment) => ({
      ...comment,
      staff: Boolean(comment.staff),
      createdAt: new Date(comment.createdAt),
      editedAt: comment.editedAt === null ? null : new Date(comment.editedAt),
    }),
  );
}

function parseArticle(json: string): ArticleDetail {
  const article = JSON.parse(json) as Timestamped<ArticleDetail, 'publishedAt' | 'createdAt' | 'updatedAt'>;
  return {
    ...article,
    commentsClosed: Boolean(article.commentsClosed),
    publishedAt: new Date(article.publishedAt),
    createdAt: new Date(article.createdAt),
    updatedAt: new Date(article.updatedAt),
  };
}

/**
 * Everything an article page shows, in one statement (one D1 round trip): the published article,
 * its tags, one page of approved threads (top-level comments newest first, replies oldest first)
 * with the counts for the heading and pager, the navigation (as navigationQuery orders it), and the comment `replyTo` names if it
 * is an approved comment on this article. Undefined when no published article has this slug.
 */
export async function loadArticlePage(
  db: Db,
  {
    slug,
    commentPage,
    commentsPerPage,
    replyTo,
  }: { slug: string; commentPage: number; commentsPerPage: number; replyTo?: number },
) {
  const row = await articlePageQuery(db, {
    slug,
    limit: commentsPerPage,
    offset: (commentPage - 1) * commentsPerPage,
    replyTo: replyTo ?? 0,
  }).first<ArticlePageRow>();
  if (!row?.article) return undefined;
  const navigationRows = JSON.parse(row.navigation) as NavigationLink[];
  return {
    article: parseArticle(row.article),
    tags: (JSON.parse(row.tags) as { slug: string; name: string }[]).sort((a, b) => byText(a.name, b.name)),
    commentCount: row.total,
    topLevelCommentCount: row.topLevel,
    roots: parseComments(row.roots).sort(byTime(-1)),
    replies: parseComments(row.replies).sort(byTime(1)),
    navigation: navigationRows.sort(
      (a, b) => byText(b.kind, a.kind) || a.position - b.position || byText(a.name, b.name),
    ),
    replyTarget: row.replyTarget === null ? undefined : (JSON.parse(row.replyTarget) as ReplyTarget),
  };
}

export type LoadedArticlePage = NonNullable<Awaited<ReturnType<typeof loadArticlePage>>>;
