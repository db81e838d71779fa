import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/** Times are stored as Unix epoch milliseconds (UTC); views format them in the site's time zone. */
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const timestampDefaultNow = (name: string) =>
  timestamp(name)
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);
const createdAt = () => timestampDefaultNow('created_at');

export const authors = sqliteTable('authors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  bio: text('bio').notNull().default(''),
  createdAt: createdAt(),
});

export const sections = sqliteTable('sections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  position: integer('position').notNull().default(0),
});

export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
});

export const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const articles = sqliteTable(
  'articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    headline: text('headline').notNull(),
    standfirst: text('standfirst').notNull().default(''),
    bodyMarkdown: text('body_markdown').notNull(),
    /** Rendered from bodyMarkdown when the article is saved, so a page view never parses Markdown. */
    bodyHtml: text('body_html').notNull(),
    heroImageUrl: text('hero_image_url'),
    heroImageAlt: text('hero_image_alt').notNull().default(''),
    heroImageCredit: text('hero_image_credit').notNull().default(''),
    heroImageWidth: integer('hero_image_width'),
    heroImageHeight: integer('hero_image_height'),
    authorId: integer('author_id')
      .notNull()
      .references(() => authors.id),
    sectionId: integer('section_id')
      .notNull()
      .references(() => sections.id),
    status: text('status', { enum: ARTICLE_STATUSES }).notNull().default('draft'),
    publishedAt: timestamp('published_at'),
    createdAt: createdAt(),
    updatedAt: timestampDefaultNow('updated_at').$onUpdate(() => new Date()),
  },
  (table) => [
    index('articles_status_published_idx').on(table.status, table.publishedAt),
    index('articles_section_idx').on(table.sectionId, table.status, table.publishedAt),
    index('articles_author_idx').on(table.authorId, table.status, table.publishedAt),
  ],
);

export const articleTags = sqliteTable(
  'article_tags',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.articleId, table.tagId] }),
    index('article_tags_tag_idx').on(table.tagId),
  ],
);

export const COMMENT_STATUSES = ['pending', 'approved', 'spam', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id),
    /** The comment this one replies to; null for a top-level comment. */
    parentId: integer('parent_id').references((): AnySQLiteColumn => comments.id),
    /** The top-level comment of this thread (null for a top-level comment), so a page of threads loads in one query. */
    rootId: integer('root_id').references((): AnySQLiteColumn => comments.id),
    depth: integer('depth').notNull().default(0),
    authorName: text('author_name').notNull(),
    /** Never published: not in HTML, JSON, feeds or error messages. */
    authorEmail: text('author_email').notNull(),
    body: text('body').notNull(),
    /** SHA-256 of the trimmed body: with the article and email it makes a repeated comment a unique-index conflict. */
    bodyHash: text('body_hash').notNull(),
    status: text('status', { enum: COMMENT_STATUSES }).notNull().default('pending'),
    /** Why a comment was held or marked spam (the rule that matched), for moderators. */
    heldReason: text('held_reason'),
    /** Salted hash of the client IP: the only thing kept about the visitor's connection. */
    ipHash: text('ip_hash'),
    createdAt: createdAt(),
    moderatedAt: timestamp('moderated_at'),
  },
  (table) => [
    index('comments_article_top_idx').on(table.articleId, table.status, table.parentId, table.createdAt),
    index('comments_root_idx').on(table.rootId, table.status, table.createdAt),
    index('comments_status_created_idx').on(table.status, table.createdAt),
    index('comments_email_status_idx').on(table.authorEmail, table.status),
    uniqueIndex('comments_duplicate_idx').on(table.articleId, table.authorEmail, table.bodyHash),
  ],
);

export const SUBSCRIBER_STATUSES = ['unconfirmed', 'confirmed', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export const subscribers = sqliteTable(
  'subscribers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null once the subscriber asked to be erased; emailHash stays so an import cannot resubscribe them. */
    email: text('email').unique(),
    emailHash: text('email_hash').notNull().unique(),
    status: text('status', { enum: SUBSCRIBER_STATUSES }).notNull().default('unconfirmed'),
    confirmationSentAt: timestamp('confirmation_sent_at'),
    confirmedAt: timestamp('confirmed_at'),
    unsubscribedAt: timestamp('unsubscribed_at'),
    erasedAt: timestamp('erased_at'),
    createdAt: createdAt(),
  },
  (table) => [index('subscribers_status_idx').on(table.status, table.confirmedAt)],
);

export type Article = typeof articles.$inferSelect;
export type Author = typeof authors.$inferSelect;
export type Section = typeof sections.$inferSelect;
export type Tag = typeof tags.$inferSelect;
export type Comment = typeof comments.$inferSelect;
