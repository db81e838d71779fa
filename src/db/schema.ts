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
  timestamp(name).notNull().default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);
const createdAt = () => timestampDefaultNow('created_at');

export const authors = sqliteTable('authors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  bio: text('bio').notNull().default(''),
  /**
   * The author's photo: a media-library image's hash (checked when set; an image a photo uses cannot be deleted),
   * shown on their page and beside their byline. No foreign key: `media.hash` is unique only through
   * an index, which a restore creates after the rows (src/cli/restore.ts).
   */
  photoHash: text('photo_hash'),
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
/** Who may read an article's whole body: everyone, members (signed in), or members with paid access. */
export const ARTICLE_ACCESS = ['public', 'members', 'paid'] as const;
export type ArticleAccess = (typeof ARTICLE_ACCESS)[number];

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
    access: text('access', { enum: ARTICLE_ACCESS }).notNull().default('public'),
    /** The start of bodyHtml that a reader without access gets (src/lib/markdown.ts renderArticleBody), rendered with it. */
    teaserHtml: text('teaser_html').notNull().default(''),
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
    /** The staff member who started the article: a contributor may edit only their own drafts. */
    createdBy: integer('created_by').references((): AnySQLiteColumn => staffMembers.id, { onDelete: 'set null' }),
    /** Search and social fields; empty means the default (headline, standfirst, the article's own address). */
    metaTitle: text('meta_title').notNull().default(''),
    metaDescription: text('meta_description').notNull().default(''),
    socialTitle: text('social_title').notNull().default(''),
    socialDescription: text('social_description').notNull().default(''),
    /** An absolute https:// URL when the article's canonical copy lives elsewhere. */
    canonicalUrl: text('canonical_url').notNull().default(''),
    /** 1: robots noindex, and left out of the sitemap. */
    noindex: integer('noindex').notNull().default(0),
    /** How many times the content has been saved: a save based on an older count is refused (optimistic concurrency). */
    revision: integer('revision').notNull().default(0),
    /** Closed by an editor: its comments stay, new ones are refused (see also COMMENTS_CLOSE_AFTER_DAYS). */
    commentsClosed: integer('comments_closed', { mode: 'boolean' }).notNull().default(false),
    /** When a contributor submitted the draft for review; null when it is not waiting for an editor. */
    reviewRequestedAt: timestamp('review_requested_at'),
    /** When the editors' review email listed it (src/articles/review-digest.ts); null until then. */
    reviewEmailedAt: timestamp('review_emailed_at'),
    /** What the editor wrote when sending the draft back to its contributor; emptied when it is submitted again. */
    reviewNote: text('review_note').notNull().default(''),
    /** Its approved comments, kept by triggers on `comments` (migration 0030): listings read it, never count. */
    commentCount: integer('comment_count').notNull().default(0),
    /** Its approved top-level comments (the threads its comment pages are cut into), kept by the same triggers (migration 0032). */
    threadCount: integer('thread_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestampDefaultNow('updated_at').$onUpdate(() => new Date()),
  },
  (table) => [
    index('articles_status_published_idx').on(table.status, table.publishedAt),
    /** The admin's article list, most recently edited first. */
    index('articles_updated_idx').on(table.updatedAt),
    /** The article list narrowed to drafts or to published articles, and to a section: a range each, in edit order. */
    index('articles_status_updated_idx').on(table.status, table.updatedAt),
    index('articles_section_updated_idx').on(table.sectionId, table.updatedAt),
    /** The staff member's own drafts, counted and listed first in the article list (with articles_author_idx for their byline's). */
    index('articles_created_by_idx').on(table.createdBy, table.status),
    index('articles_section_idx').on(table.sectionId, table.status, table.publishedAt),
    index('articles_author_idx').on(table.authorId, table.status, table.publishedAt),
    /** The sitemap's files: a range of ids, read from the index alone (the rows' bodies are never touched). */
    index('articles_sitemap_idx').on(
      table.status,
      table.noindex,
      table.id,
      table.publishedAt,
      table.updatedAt,
      table.slug,
    ),
    /**
     * Each sitemap articles file's last change, a seek: the expression is the file's number less one at
     * SITEMAP_URLS_PER_FILE (paths.ts) addresses a file, as src/public-site/sitemap-queries.ts writes it.
     */
    index('articles_sitemap_part_idx').on(sql`(${table.id} - 1) / 50000`, table.status, table.noindex, table.updatedAt),
    /** Only the drafts waiting for review: the review list and the review email's every-5-minutes check read just these. */
    index('articles_review_idx').on(table.reviewRequestedAt).where(sql`${table.reviewRequestedAt} is not null`),
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
    /**
     * The article's status and publication time, copied by triggers (migration 0030), so a tag's page
     * is one index range in publication order, however many articles the tag has.
     */
    status: text('status', { enum: ARTICLE_STATUSES }).notNull().default('draft'),
    publishedAt: timestamp('published_at'),
  },
  (table) => [
    primaryKey({ columns: [table.articleId, table.tagId] }),
    index('article_tags_listing_idx').on(table.tagId, table.status, table.publishedAt, table.articleId),
  ],
);

/** A published article's former slug: its old URL answers 301 to the article's current one. */
export const slugRedirects = sqliteTable('slug_redirects', {
  oldSlug: text('old_slug').primaryKey(),
  articleId: integer('article_id')
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
});

export const STATIC_PAGE_STATUSES = ['draft', 'published'] as const;
export type StaticPageStatus = (typeof STATIC_PAGE_STATUSES)[number];

/** A static page (About, Contact, Masthead) at its own top-level address, `/<slug>`. */
export const staticPages = sqliteTable('static_pages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  bodyMarkdown: text('body_markdown').notNull(),
  /** Rendered from bodyMarkdown when the page is saved, as an article's body is. */
  bodyHtml: text('body_html').notNull(),
  status: text('status', { enum: STATIC_PAGE_STATUSES }).notNull().default('draft'),
  /** Its place in the site's header navigation (lowest first); null: not in the navigation. */
  navPosition: integer('nav_position'),
  createdAt: createdAt(),
  updatedAt: timestampDefaultNow('updated_at').$onUpdate(() => new Date()),
});

export const IMPORTED_KINDS = ['article', 'static-page', 'comment'] as const;

/**
 * What `npm run import` brought from another system (`wordpress:example.org:post:42`): the row it
 * became, and a hash of what the export said, so a second run updates only what changed in the export
 * and duplicates nothing.
 */
export const importRecords = sqliteTable('import_records', {
  sourceKey: text('source_key').primaryKey(),
  kind: text('kind', { enum: IMPORTED_KINDS }).notNull(),
  localId: integer('local_id').notNull(),
  sourceHash: text('source_hash').notNull(),
  importedAt: createdAt(),
});

/**
 * An address the publication had before it moved in (`/2010/11/slug/`, `/?p=42`, `/category/news/`):
 * answered with a 301 to what it became, looked up only when no route answered. `path` is the address
 * as `oldAddressKey` spells it. The target is an imported row (its `import_records` key, so the
 * address follows the article if it is renamed) or a path.
 */
export const oldAddresses = sqliteTable('old_addresses', {
  path: text('path').primaryKey(),
  sourceKey: text('source_key'),
  targetPath: text('target_path'),
  createdAt: createdAt(),
});

export const LISTING_KINDS = ['section', 'author'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

/** A section's or author's former slug: its old address answers 301 to the new one (or to the one it was merged into). */
export const listingRedirects = sqliteTable(
  'listing_redirects',
  {
    kind: text('kind', { enum: LISTING_KINDS }).notNull(),
    oldSlug: text('old_slug').notNull(),
    /** The section's or author's id, as `kind` says. */
    targetId: integer('target_id').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.kind, table.oldSlug] })],
);

/** An article's text as one save left it (number = the article's revision count then), and who saved it. */
export const articleRevisions = sqliteTable(
  'article_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    headline: text('headline').notNull(),
    standfirst: text('standfirst').notNull(),
    bodyMarkdown: text('body_markdown').notNull(),
    savedBy: integer('saved_by').references((): AnySQLiteColumn => staffMembers.id, { onDelete: 'set null' }),
    /** Kept when the person leaves the staff; empty for the text an article had before revisions were kept. */
    savedByName: text('saved_by_name').notNull().default(''),
    /** Set when this revision brought back an older one. */
    restoredFrom: integer('restored_from'),
    savedAt: createdAt(),
  },
  /** Two saves based on the same revision both try to write the next number: the second fails, whole. */
  (table) => [uniqueIndex('article_revisions_number_idx').on(table.articleId, table.number)],
);

/** The slug of a published article an editor deleted: its address answers 410 Gone, not 404. */
export const deletedArticles = sqliteTable('deleted_articles', {
  slug: text('slug').primaryKey(),
  deletedAt: createdAt(),
});

export const COMMENT_STATUSES = ['pending', 'approved', 'spam', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const COMMENT_REMOVALS = ['deleted-by-author', 'erased'] as const;
export type CommentRemoval = (typeof COMMENT_REMOVALS)[number];

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
    /** Lower case. Never published: not in HTML, JSON, feeds or error messages. */
    authorEmail: text('author_email').notNull(),
    body: text('body').notNull(),
    /** SHA-256 of the body's folded form (normalize.ts): with the article and email it makes a repeated comment a unique-index conflict. */
    bodyHash: text('body_hash').notNull(),
    status: text('status', { enum: COMMENT_STATUSES }).notNull().default('pending'),
    /** Why a comment was held or marked spam (the rule that matched), for moderators. */
    heldReason: text('held_reason'),
    /** Salted hash of the client's network (IP group: /24, /48): the only thing kept about the connection. */
    ipHash: text('ip_hash'),
    /** A salted hash of the form token it was posted with and its network: one token stores one comment per network. */
    formToken: text('form_token'),
    createdAt: createdAt(),
    moderatedAt: timestamp('moderated_at'),
    /** When its author last changed the text (within the edit window): readers see "edited". */
    editedAt: timestamp('edited_at'),
    /**
     * Set when the text is gone but the comment stays, because it has replies: deleted by its author,
     * or erased on the author's request (name, email, text and hash emptied).
     */
    removal: text('removal', { enum: COMMENT_REMOVALS }),
    /** Posted by a signed-in staff member under their staff name: published at once and marked "Staff". */
    staff: integer('staff', { mode: 'boolean' }).notNull().default(false),
    /**
     * An approved thread's place among its article's approved threads, oldest first (1 to the
     * article's `thread_count`); null for replies and comments not shown. Kept by triggers (migration
     * 0033), so a page of threads is a range of comments_thread_number_idx, however deep the page.
     */
    threadNumber: integer('thread_number'),
    /**
     * A Webmention's source: the page elsewhere that mentions the article (src/webmention). Its
     * author email is empty and its body hash covers the source too; null for a comment posted here.
     */
    sourceUrl: text('source_url'),
    /**
     * A fediverse reply's author: their actor's profile page (src/fediverse). Such a comment's source
     * is the reply (the Note) on its server; null for every other comment.
     */
    authorUrl: text('author_url'),
  },
  (table) => [
    index('comments_thread_number_idx')
      .on(table.articleId, table.threadNumber)
      .where(sql`${table.threadNumber} is not null`),
    index('comments_article_top_idx').on(table.articleId, table.status, table.parentId, table.createdAt),
    index('comments_root_idx').on(table.rootId, table.status, table.createdAt),
    index('comments_status_created_idx').on(table.status, table.createdAt),
    index('comments_email_status_idx').on(table.authorEmail, table.status),
    uniqueIndex('comments_duplicate_idx').on(table.articleId, table.authorEmail, table.bodyHash),
    uniqueIndex('comments_form_token_idx').on(table.formToken),
    uniqueIndex('comments_source_idx').on(table.articleId, table.sourceUrl),
    // A Delete from the fediverse names the reply alone (src/fediverse/inbox.ts).
    index('comments_source_url_idx').on(table.sourceUrl).where(sql`${table.sourceUrl} is not null`),
  ],
);

export const BLOCK_KINDS = ['email', 'network', 'domain'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** A commenter an editor blocked: new comments from this email or network go straight to spam (src/comments/moderation). */
export const commentBlocks = sqliteTable(
  'comment_blocks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: BLOCK_KINDS }).notNull(),
    /**
     * The lower-case email, the salted hash of the network (IP group) as in `comments.ip_hash`, or a
     * Webmention source's host name (its subdomains are blocked too). Never public.
     */
    value: text('value').notNull(),
    /** The comment it was blocked from. */
    commentId: integer('comment_id').references(() => comments.id, { onDelete: 'set null' }),
    createdBy: integer('created_by').references((): AnySQLiteColumn => staffMembers.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('comment_blocks_kind_value_idx').on(table.kind, table.value)],
);

/** bounced, complained: suppressed after a hard bounce or a spam complaint; only a fresh signup, confirmed again, sends them anything. */
export const SUBSCRIBER_STATUSES = ['unconfirmed', 'confirmed', 'unsubscribed', 'bounced', 'complained'] as const;
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
    /** When a hard bounce or a complaint suppressed the address. */
    suppressedAt: timestamp('suppressed_at'),
    /** IANA, from the signup request (request.cf.timezone) or the unsubscribe page; null: the site's. */
    timeZone: text('time_zone'),
    createdAt: createdAt(),
  },
  (table) => [
    index('subscribers_status_idx').on(table.status, table.confirmedAt),
    // One row per mailbox (src/lib/email.ts mailboxKey): every spelling of an address finds it.
    uniqueIndex('subscribers_mailbox_idx').on(sql`lower(${table.email})`),
  ],
);

/**
 * draft: being written (the weekly send takes it as it stands); scheduled: an editor set its time;
 * sent: frozen, its HTML and text are what subscribers got; cancelled: an editor stopped the week's send.
 */
export const ISSUE_STATUSES = ['draft', 'scheduled', 'sent', 'cancelled'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/** What an issue said, kept when it is sent, for its page in the archive (the email's HTML is subscriber-shaped). */
export interface IssueSnapshot {
  /** "November 30, 2026" */
  date: string;
  preheader: string;
  /** Markdown. */
  intro: string;
  /** Markdown. */
  closing: string;
  articles: { headline: string; standfirst: string; url: string }[];
}

/**
 * One issue a week (`week` makes it one however often the cron fires): built from the week's articles by
 * the weekly send, or written by an editor beforehand in the admin's Issues page.
 */
export const newsletterIssues = sqliteTable(
  'newsletter_issues',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: integer('number').notNull().unique(),
    /** ISO week in the site's time zone of the weekly send it belongs to, e.g. 2026-W48. */
    week: text('week').notNull().unique(),
    subject: text('subject').notNull(),
    /** Both bodies carry UNSUBSCRIBE_URL_PLACEHOLDER, replaced by each subscriber's own link when sent. */
    html: text('html').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    status: text('status', { enum: ISSUE_STATUSES }).notNull().default('draft'),
    /** The line mail clients show after the subject. */
    preheader: text('preheader').notNull().default(''),
    /** Markdown, above the articles. */
    intro: text('intro').notNull().default(''),
    /** Markdown, below the articles. */
    closing: text('closing').notNull().default(''),
    /** The articles in the editor's order; null: every article of the 7 days before the send, newest first. */
    articleIds: text('article_ids', { mode: 'json' }).$type<number[]>(),
    scheduledAt: timestamp('scheduled_at'),
    sentAt: timestamp('sent_at'),
    /** The editor who sent, scheduled or cancelled it; null when the weekly send did. */
    decidedBy: integer('decided_by').references((): AnySQLiteColumn => staffMembers.id, { onDelete: 'set null' }),
    /** Set when sent; null for issues sent before the archive existed. */
    snapshot: text('snapshot', { mode: 'json' }).$type<IssueSnapshot>(),
    /** Each copy goes out at this hour in its subscriber's time zone; null: all at once when sent. */
    localHour: integer('local_hour'),
    /** Deliveries due up to this instant are queued (the hourly job queues the next hour's). */
    queuedUntil: timestamp('queued_until'),
    /** Sent only to subscribers who are members with paid access; its archive page shows others an invitation. */
    paidOnly: integer('paid_only', { mode: 'boolean' }).notNull().default(false),
  },
  (table) => [index('newsletter_issues_status_idx').on(table.status, table.scheduledAt)],
);

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One issue to one subscriber: the unique pair is what makes every send happen at most once. */
export const newsletterDeliveries = sqliteTable(
  'newsletter_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    issueId: integer('issue_id')
      .notNull()
      .references(() => newsletterIssues.id),
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => subscribers.id),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at'),
    /** When its subscriber's local hour comes (issues with a local hour); null: at once. */
    dueAt: timestamp('due_at'),
    createdAt: createdAt(),
    updatedAt: timestampDefaultNow('updated_at').$onUpdate(() => new Date()),
  },
  (table) => [
    uniqueIndex('newsletter_deliveries_issue_subscriber_idx').on(table.issueId, table.subscriberId),
    index('newsletter_deliveries_issue_status_idx').on(table.issueId, table.status),
  ],
);

/** The staff ladder, least to most trusted (see src/staff/roles.ts). */
export const ROLES = ['contributor', 'editor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Staff members sign in to /admin; the first one is created with `npm run staff:add`. "Editor" is a
 * role (ROLES). The SQL table keeps its first name, `editors` (and `editor_sessions.editor_id`): renaming
 * it would rebuild every table whose foreign key names it inside D1's migration transaction, where
 * `PRAGMA foreign_keys=OFF` has no effect, and would make every earlier backup unrestorable, for a name
 * no one reads but in SQL. The code and the UI say only "staff member".
 */
export const staffMembers = sqliteTable('editors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Lower case. */
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  /** PBKDF2-SHA-256 with a salt of its own (src/lib/password.ts); never the password itself. */
  passwordHash: text('password_hash').notNull(),
  /** Least privilege unless said otherwise; the migration that added it made every existing staff member an administrator. */
  role: text('role', { enum: ROLES }).notNull().default('contributor'),
  /** The byline this person writes under, if any: their own drafts come first in the article list. */
  authorId: integer('author_id').references(() => authors.id, { onDelete: 'set null' }),
  lastSignedInAt: timestamp('last_signed_in_at'),
  /** Whether a staff member with the editor role (and up) is emailed when comments are held (src/comments/moderation); each turns it off for themselves. */
  moderationEmails: integer('moderation_emails', { mode: 'boolean' }).notNull().default(true),
  createdAt: createdAt(),
});

/** A signed-in staff member: revoked by deleting the row (sign-out, or a new password from staff:add). */
export const staffSessions = sqliteTable(
  'editor_sessions',
  {
    /** SHA-256 of the cookie's random token, so a leaked table signs no one in. */
    id: text('id').primaryKey(),
    staffMemberId: integer('editor_id')
      .notNull()
      .references(() => staffMembers.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    /** The absolute end of the session, however active the staff member is. */
    expiresAt: timestamp('expires_at').notNull(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
  },
  (table) => [index('editor_sessions_editor_idx').on(table.staffMemberId)],
);

/** An administrator's invitation to join the staff: its link sets a password once, within 7 days. */
export const staffInvitations = sqliteTable(
  'staff_invitations',
  {
    /** SHA-256 of the link's random token: the table alone accepts no invitation. */
    id: text('id').primaryKey(),
    /** Lower case; deleted with the row once accepted, revoked or replaced. */
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    role: text('role', { enum: ROLES }).notNull(),
    invitedBy: integer('invited_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (table) => [uniqueIndex('staff_invitations_email_idx').on(table.email)],
);

/** An uploaded image: its original is in R2 under `originals/<hash>` (src/media/keys.ts); readers only get variants. */
export const media = sqliteTable(
  'media',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** SHA-256 of the original's bytes, in hex: the same file uploaded twice is one row and one object. */
    hash: text('hash').notNull().unique(),
    /** The format read from the file's bytes: image/jpeg, image/png, image/webp, image/avif or image/gif. */
    type: text('type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    alt: text('alt').notNull().default(''),
    credit: text('credit').notNull().default(''),
    /** Null for the seed's sample images, or once the editor is deleted. */
    uploadedBy: integer('uploaded_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    /**
     * From when readers may see it: the publication time of the first article that shows it, or when it
     * became an author's photo. Null: only signed-in staff get its variants (a draft's images stay private).
     */
    publicAt: timestamp('public_at'),
    createdAt: createdAt(),
  },
  (table) => [index('media_created_idx').on(table.createdAt)],
);

export type NewsletterIssue = typeof newsletterIssues.$inferSelect;

export const CLIENT_KINDS = ['browser', 'crawler'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/**
 * Article views per day, country, referring site and kind of client (src/readership): counts only,
 * never a visitor. `country` is Cloudflare's two-letter code (`XX` unknown); `referrer` a host, or ''.
 */
export const articleViews = sqliteTable(
  'article_views',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    /** "2026-11-27", in the site's time zone. */
    day: text('day').notNull(),
    country: text('country').notNull(),
    referrer: text('referrer').notNull(),
    client: text('client', { enum: CLIENT_KINDS }).notNull(),
    views: integer('views').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.articleId, table.day, table.country, table.referrer, table.client] }),
    index('article_views_day_idx').on(table.day, table.client),
  ],
);

export const FOLLOWER_STATUSES = ['unconfirmed', 'confirmed'] as const;

/**
 * A follower: an address that asked to be emailed about new comments (src/comments/notify-*); nothing
 * is sent to it until it confirms by a POST from its email's link. Unfollowing everything deletes the
 * row. The SQL tables keep their first names (`notify_recipients`, `notify_subscriptions`,
 * `notify_deliveries`): renaming a table that others reference rebuilds them inside D1's migration
 * transaction, and earlier backups name the old tables. The code and the UI say "follower" and "follow".
 */
export const commentFollowers = sqliteTable('notify_recipients', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Lower case, as comments store it; never published. */
  email: text('email').notNull().unique(),
  status: text('status', { enum: FOLLOWER_STATUSES }).notNull().default('unconfirmed'),
  confirmationSentAt: timestamp('confirmation_sent_at'),
  confirmedAt: timestamp('confirmed_at'),
  createdAt: createdAt(),
});

export const NOTIFY_MODES = ['replies', 'all'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

/** A follow: one follower following one article's discussion, for replies to its own comments or every new comment. */
export const articleFollows = sqliteTable(
  'notify_subscriptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    followerId: integer('recipient_id')
      .notNull()
      .references(() => commentFollowers.id, { onDelete: 'cascade' }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    mode: text('mode', { enum: NOTIFY_MODES }).notNull().default('replies'),
    /** When the last email about this article went to this address: the next waits out the batch window. */
    lastSentAt: timestamp('last_sent_at'),
    /** When the queued send is due; null when none is queued (the message carries the same time). */
    nextSendAt: timestamp('next_send_at'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('notify_subscriptions_recipient_article_idx').on(table.followerId, table.articleId),
    index('notify_subscriptions_article_idx').on(table.articleId),
  ],
);

/** One published comment to one address: the unique pair is the idempotency key that sends it at most once. */
export const notifyDeliveries = sqliteTable(
  'notify_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    followerId: integer('recipient_id')
      .notNull()
      .references(() => commentFollowers.id, { onDelete: 'cascade' }),
    followId: integer('subscription_id')
      .notNull()
      .references(() => articleFollows.id, { onDelete: 'cascade' }),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('notify_deliveries_recipient_comment_idx').on(table.followerId, table.commentId),
    index('notify_deliveries_subscription_status_idx').on(table.followId, table.status),
    index('notify_deliveries_comment_idx').on(table.commentId),
  ],
);

/**
 * How many rows each status has, kept by triggers (migration 0036) so the dashboard and the admin's
 * lists show their totals without counting 200,000 subscribers or 100,000 articles per request. One
 * row a status: `subscribers:confirmed`, `articles:draft`, `comments:pending`…
 */
export const tallies = sqliteTable('tallies', {
  name: text('name').primaryKey(),
  count: integer('count').notNull().default(0),
});

/**
 * The dashboard's activity: comments posted and subscriptions confirmed in each 15-minute slot
 * (`ACTIVITY_SLOT_MS`; every time zone's midnight falls on one), kept by triggers (migration 0040), so
 * 30 days of charts read at most 2,880 rows a series however busy the site or large its archive.
 */
export const activitySlots = sqliteTable(
  'activity_slots',
  {
    series: text('series', { enum: ['comments', 'signups'] }).notNull(),
    slot: integer('slot').notNull(),
    count: integer('count').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.series, table.slot] })],
);

/**
 * A reader with an account: signs in by an emailed link (src/members), comments under their name, and
 * chooses the newsletter from their account page. A member who was (or becomes) a newsletter subscriber
 * is linked to that subscriber's row, which keeps its own consent and history.
 */
export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** As the member typed it (domain in lower case); one row per mailbox (src/lib/email.ts mailboxKey). */
    email: text('email').notNull(),
    /** The name their comments are published under; empty until they give one. */
    name: text('name').notNull().default(''),
    subscriberId: integer('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    lastSignedInAt: timestamp('last_signed_in_at'),
    /**
     * Paid access lasts until then: the latest end among the member's paid subscription (its period's end,
     * plus the grace period while a renewal fails), complimentary access and redeemed gifts. Null: never paid.
     */
    paidUntil: timestamp('paid_until'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('members_mailbox_idx').on(sql`lower(${table.email})`),
    // The dashboard's count of paid members, and the admin's paid filter.
    index('members_paid_until_idx').on(table.paidUntil),
    // A subscriber's member: paid-only issues are sent to the subscribers whose member has paid access.
    index('members_subscriber_idx').on(table.subscriberId),
  ],
);

/** A signed-in member's browser: revoked by deleting the row (sign-out, sign-out everywhere, erasure). */
export const memberSessions = sqliteTable(
  'member_sessions',
  {
    /** SHA-256 of the cookie's random token, so a leaked table signs no one in. */
    id: text('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
  },
  (table) => [index('member_sessions_member_idx').on(table.memberId)],
);

/** Each time a member signed in (used an emailed sign-in link), for their history in the admin; erased with them. */
export const memberSignIns = sqliteTable(
  'member_sign_ins',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    at: timestamp('at').notNull(),
  },
  (table) => [index('member_sign_ins_member_idx').on(table.memberId, table.at)],
);

/** The emails the site sends about a member's account; newsletter issues have their own deliveries. */
export const MEMBER_EMAIL_PURPOSES = [
  'sign-in-link',
  'email-change-link',
  'payment-failed',
  'gift-code',
  'privacy-data-link',
] as const;
export type MemberEmailPurpose = (typeof MEMBER_EMAIL_PURPOSES)[number];

/** Which of the member's addresses an email went to: their account's, or the new one they asked to move to. */
export const MEMBER_EMAIL_SENT_TO = ['account', 'new-address'] as const;
export type MemberEmailSentTo = (typeof MEMBER_EMAIL_SENT_TO)[number];

/**
 * Each email the sender took for a member, for their history in the admin: what kind, to which of
 * their addresses, when; never its text or link. Erased with the member.
 */
export const memberEmails = sqliteTable(
  'member_emails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: MEMBER_EMAIL_PURPOSES }).notNull(),
    sentTo: text('sent_to', { enum: MEMBER_EMAIL_SENT_TO }).notNull(),
    sentAt: timestamp('sent_at').notNull(),
  },
  (table) => [index('member_emails_member_idx').on(table.memberId, table.sentAt)],
);

export const MEMBER_LINK_PURPOSES = ['sign-in', 'email-change'] as const;
export type MemberLinkPurpose = (typeof MEMBER_LINK_PURPOSES)[number];

/** An emailed link not yet used: signs in (or up) the address, or moves a member to a new address. Used once, deleted. */
export const memberLinks = sqliteTable(
  'member_links',
  {
    /** SHA-256 of the link's random token: the table alone opens nothing. */
    id: text('id').primaryKey(),
    purpose: text('purpose', { enum: MEMBER_LINK_PURPOSES }).notNull(),
    /** The address the link was mailed to: the one signing in, or the member's new address. */
    email: text('email').notNull(),
    /** For an email change: the member who asked. */
    memberId: integer('member_id').references(() => members.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (table) => [index('member_links_expires_idx').on(table.expiresAt)],
);

/**
 * The key pairs of the site's ActivityPub actors (the publication and each author), made on first use
 * (src/fediverse/keys.ts): RSA for HTTP Signatures, Ed25519 for Object Integrity Proofs, as JWK.
 */
export const fediverseKeys = sqliteTable('fediverse_keys', {
  /** The actor's identifier: the publication's handle or an author's slug. */
  actor: text('actor').primaryKey(),
  rsaPrivate: text('rsa_private').notNull(),
  rsaPublic: text('rsa_public').notNull(),
  ed25519Private: text('ed25519_private').notNull(),
  ed25519Public: text('ed25519_public').notNull(),
  createdAt: createdAt(),
});

/** Who follows the site's actors on the fediverse: an accepted Follow, until its Undo. */
export const fediverseFollowers = sqliteTable(
  'fediverse_followers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The followed actor's identifier (the publication's handle or an author's slug). */
    actor: text('actor').notNull(),
    /** The follower's actor id (a URL on their server). */
    followerId: text('follower_id').notNull(),
    inbox: text('inbox').notNull(),
    sharedInbox: text('shared_inbox'),
    /** `@name@server`, as their server names them. */
    handle: text('handle').notNull(),
    name: text('name').notNull().default(''),
    /** Their profile page, for the admin's list. */
    url: text('url'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('fediverse_followers_actor_follower_idx').on(table.actor, table.followerId),
    index('fediverse_followers_follower_idx').on(table.followerId),
  ],
);

export const REACTION_KINDS = ['like', 'announce'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** A Like or an Announce (a boost) of an article from the fediverse, counted per article for editors. */
export const fediverseReactions = sqliteTable(
  'fediverse_reactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: REACTION_KINDS }).notNull(),
    /** The actor who liked or boosted. */
    actorId: text('actor_id').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('fediverse_reactions_article_kind_actor_idx').on(table.articleId, table.kind, table.actorId)],
);

/** A price list administrators keep (src/paid): Checkout is started with the tier's price, in its currency. */
export const tiers = sqliteTable('tiers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** In the currency's minor unit (cents; yen have none), as Stripe takes amounts. */
  monthlyPrice: integer('monthly_price').notNull(),
  yearlyPrice: integer('yearly_price').notNull(),
  /** ISO 4217, lower case (`eur`), as Stripe writes it. */
  currency: text('currency').notNull(),
  /** A hidden tier is no longer offered; its subscribers keep it. */
  hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

export const BILLING_INTERVALS = ['month', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

/** The Stripe customer of a member who started a Checkout: one each, made before their first. */
export const stripeCustomers = sqliteTable('stripe_customers', {
  memberId: integer('member_id')
    .primaryKey()
    .references(() => members.id, { onDelete: 'cascade' }),
  customerId: text('customer_id').notNull().unique(),
});

/**
 * A member's Stripe subscription as Stripe last described it (fetched from Stripe's API on each of its
 * events, so the order the events arrive in does not matter), and the access it gives.
 */
export const stripeSubscriptions = sqliteTable(
  'stripe_subscriptions',
  {
    /** Stripe's id (`sub_…`). */
    id: text('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    tierId: integer('tier_id').references(() => tiers.id, { onDelete: 'set null' }),
    /** Stripe's status: active, past_due, canceled, incomplete… */
    status: text('status').notNull(),
    interval: text('interval', { enum: BILLING_INTERVALS }).notNull(),
    /** A period's price, in the currency's minor unit. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    currentPeriodStart: timestamp('current_period_start').notNull(),
    currentPeriodEnd: timestamp('current_period_end').notNull(),
    cancelAtPeriodEnd: integer('cancel_at_period_end', { mode: 'boolean' }).notNull().default(false),
    endedAt: timestamp('ended_at'),
    /** The end of the access it gives (src/paid/subscription-state.ts); null: none (never paid for). */
    accessUntil: timestamp('access_until'),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (table) => [
    index('stripe_subscriptions_member_idx').on(table.memberId),
    index('stripe_subscriptions_status_idx').on(table.status),
  ],
);

/** Stripe events already handled, by id: Stripe may send one more than once. */
export const stripeEvents = sqliteTable('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  handledAt: createdAt(),
});

export const PAYMENT_KINDS = ['paid', 'failed', 'refunded', 'gift'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** What a member paid, failed to pay, or got back, as Stripe's events said: the member's payment history. */
export const payments = sqliteTable(
  'payments',
  {
    /** The invoice (`in_…`), charge (`ch_…`) or Checkout session (`cs_…`) it comes from, with its kind: one row each. */
    id: text('id').primaryKey(),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: PAYMENT_KINDS }).notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    at: timestamp('at').notNull(),
  },
  (table) => [index('payments_member_idx').on(table.memberId, table.at)],
);

/** Paid access an editor gives a member without payment, until a date. */
export const complimentaryAccess = sqliteTable(
  'complimentary_access',
  {
    memberId: integer('member_id')
      .primaryKey()
      .references(() => members.id, { onDelete: 'cascade' }),
    endsAt: timestamp('ends_at').notNull(),
    grantedBy: integer('granted_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    grantedAt: timestamp('granted_at').notNull(),
  },
  (table) => [index('complimentary_access_ends_idx').on(table.endsAt)],
);

/** A gift bought through Checkout: its code gives the member who redeems it `months` of paid access, once. */
export const gifts = sqliteTable(
  'gifts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The Checkout session that paid for it: one gift each, however often its event arrives. */
    checkoutSessionId: text('checkout_session_id').notNull().unique(),
    paymentIntentId: text('payment_intent_id'),
    code: text('code').notNull().unique(),
    months: integer('months').notNull(),
    tierId: integer('tier_id').references(() => tiers.id, { onDelete: 'set null' }),
    buyerEmail: text('buyer_email').notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    createdAt: createdAt(),
    /** Refunded before it was redeemed: the code no longer works. */
    refundedAt: timestamp('refunded_at'),
    redeemedBy: integer('redeemed_by').references(() => members.id, { onDelete: 'set null' }),
    redeemedAt: timestamp('redeemed_at'),
    /** The end of the access it gave its recipient. */
    accessUntil: timestamp('access_until'),
  },
  (table) => [index('gifts_redeemed_by_idx').on(table.redeemedBy)],
);
