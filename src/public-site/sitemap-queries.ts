import { and, asc, desc, eq, gt, lte, type SQL, sql } from 'drizzle-orm';
import { isPublished } from '../db/articles';
import type { Db } from '../db/client';
import { articles, articleTags, authors, newsletterIssues, sections, staticPages, tags } from '../db/schema';

/**
 * Published, not scheduled, not hidden from search engines; read from articles_sitemap_idx alone (the
 * unary + keeps SQLite from choosing the publication-time index, which would read every row's body).
 */
const listed = sql`(${articles.status} = 'published' and ${articles.noindex} = 0 and +${articles.publishedAt} <= cast(unixepoch('subsec') * 1000 as integer))`;
const hasPublishedArticle = (column: typeof authors.id | typeof tags.id, through: 'author' | 'tag') =>
  through === 'author'
    ? sql`exists (select 1 from ${articles} where ${articles.authorId} = ${column} and ${isPublished})`
    : // The tag's own copy of each article's status and time: one seek in article_tags_listing_idx a tag.
      sql`exists (select 1 from ${articleTags} where ${articleTags.tagId} = ${column} and ${articleTags.status} = 'published' and ${articleTags.publishedAt} <= cast(unixepoch('subsec') * 1000 as integer))`;

/**
 * A file's number less one, written as articles_sitemap_part_idx (schema.ts) has it at Google's 50,000
 * addresses a file, so SQLite reads a file's last change from that index.
 */
const partIndex = (id: typeof articles.id, perFile: number) => sql`(${id} - 1) / ${sql.raw(String(perFile))}`;

/**
 * What the sitemap index names, read in a few rows a file whatever the archive's size: each articles
 * file up to the newest id with the last change of its listed articles (one seek in
 * articles_sitemap_part_idx; none for a file with nothing listed), and each tags file that has a tag
 * with a published article (the first such tag of its range). Files are counted from the highest id
 * (its primary key), so the rows read grow by two for every 50,000 ids.
 */
export function sitemapIndexQueries(db: Db, perFile: number) {
  const parts = (table: typeof articles | typeof tags, row: SQL, name: 'lastmod' | 'listed') =>
    sql`with recursive parts(part) as (select 0 union all select part + 1 from parts
      where part < (select (max(${table.id}) - 1) / ${perFile} from ${table}))
      select part + 1 as part, ${row} as ${sql.raw(name)} from parts`;
  const lastChange = sql`(select ${articles.updatedAt} from ${articles}
    where ${partIndex(articles.id, perFile)} = parts.part and ${listed}
    order by ${articles.updatedAt} desc limit 1)`;
  const anyTag = sql`(select 1 from ${tags}
    where ${tags.id} > parts.part * ${perFile} and ${tags.id} <= (parts.part + 1) * ${perFile}
    and ${hasPublishedArticle(tags.id, 'tag')} limit 1)`;
  return [
    db.all<{ part: number; lastmod: number | null }>(parts(articles, lastChange, 'lastmod')),
    db.all<{ part: number; listed: number | null }>(parts(tags, anyTag, 'listed')),
  ] as const;
}

const idsOfPart = (id: typeof articles.id | typeof tags.id, part: number, perFile: number) =>
  and(gt(id, (part - 1) * perFile), lte(id, part * perFile));

/** One articles part: its listed articles by id (a range of the primary key). */
export function articlesPartQuery(db: Db, part: number, perFile: number) {
  return db
    .select({ slug: articles.slug, publishedAt: articles.publishedAt, updatedAt: articles.updatedAt })
    .from(articles)
    .where(and(idsOfPart(articles.id, part, perFile), listed))
    .orderBy(asc(articles.id));
}

/** One tags part: its tags that have a published article. */
export function tagsPartQuery(db: Db, part: number, perFile: number) {
  return db
    .select({ slug: tags.slug })
    .from(tags)
    .where(and(idsOfPart(tags.id, part, perFile), hasPublishedArticle(tags.id, 'tag')))
    .orderBy(asc(tags.id));
}

/** The pages file: every section, the authors with a published article, the newsletter's sent issues, the published static pages. */
export function pagesQueries(db: Db) {
  return [
    db.select({ slug: sections.slug }).from(sections).orderBy(asc(sections.position), asc(sections.slug)),
    db
      .select({ slug: authors.slug })
      .from(authors)
      .where(hasPublishedArticle(authors.id, 'author'))
      .orderBy(asc(authors.slug)),
    db
      .select({ number: newsletterIssues.number })
      .from(newsletterIssues)
      .where(eq(newsletterIssues.status, 'sent'))
      .orderBy(desc(newsletterIssues.number)),
    db
      .select({ slug: staticPages.slug, updatedAt: staticPages.updatedAt })
      .from(staticPages)
      .where(eq(staticPages.status, 'published'))
      .orderBy(asc(staticPages.slug)),
  ] as const;
}

/** Google News takes at most 1,000 articles a sitemap, from the last two days. */
export const NEWS_LIMIT = 1000;
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

/** The articles published in the two days before `now`, newest first (the status and publication index). */
export function newsQuery(db: Db, now: Date) {
  return db
    .select({ slug: articles.slug, headline: articles.headline, publishedAt: articles.publishedAt })
    .from(articles)
    .where(and(listed, gt(articles.publishedAt, new Date(now.getTime() - NEWS_WINDOW_MS))))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(NEWS_LIMIT);
}
