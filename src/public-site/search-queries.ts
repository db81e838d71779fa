import { and, count, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { summaryColumns } from '../db/articles';
import type { Db } from '../db/client';
import { articles, authors, sections } from '../db/schema';
import { MATCH_END, MATCH_START } from './search-terms';

/**
 * The FTS5 index of articles (migrations/0004_search_index.sql, kept in step by triggers). Declared here, not
 * in schema.ts, so that drizzle-kit never tries to create it as a plain table.
 */
const articlesSearch = sqliteTable('articles_search', {
  rowid: integer('rowid').notNull(),
  headline: text('headline').notNull(),
  standfirst: text('standfirst').notNull(),
  bodyMarkdown: text('body_markdown').notNull(),
});

/** bm25 weights per indexed column: a word in the headline counts most, then the standfirst, then the body. */
const relevance = sql`bm25(${articlesSearch}, 10.0, 4.0, 1.0)`;

const SNIPPET_WORDS = 32;
const snippet = (column: number) =>
  sql<string>`snippet(${articlesSearch}, ${sql.raw(String(column))}, ${MATCH_START}, ${MATCH_END}, '…', ${sql.raw(String(SNIPPET_WORDS))})`;

/**
 * How many of the newest matches a best-match search ranks. A common word matches most of an archive;
 * ranking every match would read them all, so it ranks at most this many, wherever the archive's size.
 */
export const SEARCH_WINDOW = 500;

// Unary + keeps SQLite off articles' status index: a search drives from its matches and looks each
// article up by id, rather than walking every published article and probing the index.
const published = sql`(+${articles.status} = 'published' and +${articles.publishedAt} <= cast(unixepoch('subsec') * 1000 as integer))`;

/**
 * A result: the article's summary, its headline with the matches marked, snippets of its standfirst and
 * body (none of a members' or paid article's body: its words may be past the teaser).
 */
const resultColumns = {
  ...summaryColumns,
  markedHeadline: sql<string>`highlight(${articlesSearch}, 0, ${MATCH_START}, ${MATCH_END})`.as('marked_headline'),
  standfirstSnippet: snippet(1).as('standfirst_snippet'),
  bodySnippet: sql<string>`case when ${articles.access} = 'public' then ${snippet(2)} else '' end`.as('body_snippet'),
};

const results = (db: Db, where: SQL | undefined) =>
  db
    .select(resultColumns)
    .from(articlesSearch)
    .innerJoin(articles, eq(articles.id, articlesSearch.rowid))
    .innerJoin(authors, eq(authors.id, articles.authorId))
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(where);

/**
 * The newest published matches of an FTS5 expression (by article id), perPage + 1 of them after the
 * article `after`, and the ids from `after` the other way (for the newer page's link), as the listings'
 * keyset pages read them (`listingPage`). FTS5 reads the word's doclist from a rowid bound in rowid
 * order and stops at the LIMIT: a page reads what it shows, however many articles match.
 */
export function newestSearchQueries(
  db: Db,
  { match, after, perPage }: { match: string; after: number | undefined; perPage: number },
) {
  const matches = sql`${articlesSearch} match ${match}`;
  return [
    results(db, and(matches, after === undefined ? undefined : lt(articlesSearch.rowid, after), published))
      .orderBy(desc(articlesSearch.rowid))
      .limit(perPage + 1),
    db
      .select({ id: articles.id })
      .from(articlesSearch)
      .innerJoin(articles, eq(articles.id, articlesSearch.rowid))
      .where(and(matches, after === undefined ? sql`0` : gte(articlesSearch.rowid, after), published))
      .orderBy(articlesSearch.rowid)
      .limit(perPage + 1),
  ] as const;
}

/**
 * One page of the published articles matching an FTS5 expression among its newest SEARCH_WINDOW
 * matches, best match first, with the headline and snippets of the standfirst and body marked
 * (MATCH_START…MATCH_END); and how many of the window are published (`total`) and how many
 * matched at all, up to SEARCH_WINDOW + 1 (`matched`, more than SEARCH_WINDOW meaning "more").
 */
export function bestMatchSearchQueries(
  db: Db,
  { match, page, perPage }: { match: string; page: number; perPage: number },
) {
  // FTS5 reads a doclist from its end for ORDER BY rowid DESC LIMIT, and seeks to a rowid bound.
  const newest = sql`(select ${articlesSearch}.rowid from ${articlesSearch} where ${articlesSearch} match ${match} order by ${articlesSearch}.rowid desc limit ${SEARCH_WINDOW + 1})`;
  const window = sql`${articlesSearch}.rowid >= (select min(rowid) from (select rowid from ${newest} limit ${SEARCH_WINDOW}))`;
  return [
    results(db, and(sql`${articlesSearch} match ${match}`, window, published))
      .orderBy(relevance, desc(articles.publishedAt))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db
      .select({ total: count(), matched: sql<number>`(select count(*) from ${newest})` })
      .from(sql`${newest} as newest`)
      .innerJoin(articles, sql`${articles.id} = newest.rowid`)
      .where(published),
  ] as const;
}

export type SearchResult = Awaited<ReturnType<ReturnType<typeof newestSearchQueries>[0]['execute']>>[number];
