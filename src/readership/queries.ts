import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { articles, articleViews } from '../db/schema';

const views = sql<number>`sum(${articleViews.views})`.mapWith(Number);
const readers = eq(articleViews.client, 'browser');
const since = (day: string) => and(readers, gte(articleViews.day, day));

export interface Figure {
  label: string;
  views: number;
}

export interface TopArticle {
  id: number;
  headline: string;
  views: number;
}

/** Readers' views per day since `day` (crawlers are not readers), oldest first; days without views are absent. */
export const viewsPerDay = (db: Db, day: string) =>
  db
    .select({ day: articleViews.day, views })
    .from(articleViews)
    .where(since(day))
    .groupBy(articleViews.day)
    .orderBy(articleViews.day);

export const topArticles = (db: Db, day: string, limit = 10) =>
  db
    .select({ id: articles.id, headline: articles.headline, views })
    .from(articleViews)
    .innerJoin(articles, eq(articles.id, articleViews.articleId))
    .where(since(day))
    .groupBy(articles.id)
    .orderBy(desc(views), articles.id)
    .limit(limit);

export const topCountries = (db: Db, day: string, limit = 10) =>
  db
    .select({ label: articleViews.country, views })
    .from(articleViews)
    .where(since(day))
    .groupBy(articleViews.country)
    .orderBy(desc(views), articleViews.country)
    .limit(limit);

/**
 * A referring host is named once this many readers came from it: a made-up `Referer` costs a reader
 * of its own each time (a reader counts once an article a day), so a spammer's hosts stay unnamed.
 */
export const MIN_READERS_PER_REFERRER = 3;

/** Referring hosts with enough readers; '' is a view with no referrer (typed address, bookmark, mail app). */
export const topReferrers = (db: Db, day: string, limit = 10) =>
  db
    .select({ label: articleViews.referrer, views })
    .from(articleViews)
    .where(since(day))
    .groupBy(articleViews.referrer)
    .having(sql`${articleViews.referrer} = '' OR ${views} >= ${MIN_READERS_PER_REFERRER}`)
    .orderBy(desc(views), articleViews.referrer)
    .limit(limit);

/** Crawler requests since `day`, reported apart from readers. */
export const crawlerViews = (db: Db, day: string) =>
  db
    .select({ views })
    .from(articleViews)
    .where(and(eq(articleViews.client, 'crawler'), gte(articleViews.day, day)));

/** One article's readers per day since `day`, and its readers ever. */
export const articleViewsPerDay = (db: Db, articleId: number, day: string) =>
  db
    .select({ day: articleViews.day, views })
    .from(articleViews)
    .where(and(eq(articleViews.articleId, articleId), since(day)))
    .groupBy(articleViews.day)
    .orderBy(articleViews.day);

export const articleViewsTotal = (db: Db, articleId: number) =>
  db
    .select({ views })
    .from(articleViews)
    .where(and(eq(articleViews.articleId, articleId), readers));
