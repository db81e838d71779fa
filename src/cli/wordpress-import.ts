/**
 * A WordPress export (read by wxr.ts) as what edgepress stores, then as the SQL that brings it in.
 * Planning is pure (the export and what the database holds in, a plan and its report out); the SQL
 * is written only for what is new or changed, so a second run of the same file writes nothing.
 */
import { foldForMatching } from '../comments/normalize.ts';
import type { media } from '../db/schema.ts';
import { mailboxKey } from '../lib/email.ts';
import { sha256Hex } from '../lib/hash.ts';
import { hmacSign } from '../lib/hmac.ts';
import { ipGroup } from '../lib/ip-group.ts';
import { renderMarkdown } from '../lib/markdown.ts';
import { slugify } from '../lib/slug.ts';
import { authorPath, commentFeedPath, feedPath, oldAddressKey, sectionPath, tagPath } from '../paths.ts';
import { appendedText, MAX_STATEMENT_BYTES, utf8Bytes } from './backup-file.ts';
import { literal, type SqlValue } from './seed-sql.ts';
import { type Removed, wordpressToMarkdown, wordpressToText } from './wordpress-markup.ts';
import type { Wxr, WxrComment, WxrItem } from './wxr.ts';

export type ArticleStatus = 'draft' | 'published';
type MediaRow = typeof media.$inferSelect;

export interface PlannedArticle {
  key: string;
  slug: string;
  headline: string;
  standfirst: string;
  bodyMarkdown: string;
  status: ArticleStatus;
  publishedAt: number | null;
  authorSlug: string;
  sectionSlug: string;
  tags: { slug: string; name: string }[];
  /**
   * The featured image, by its address (Ghost's `feature_image`, WordPress's `_thumbnail_id`), with its
   * alt text and caption as credit; its size once it is in the media library.
   */
  hero?: { url: string; alt: string; credit: string; width?: number; height?: number };
}
export interface PlannedPage {
  key: string;
  slug: string;
  title: string;
  bodyMarkdown: string;
  status: ArticleStatus;
  /** Its place in the site's navigation (the export's menu order); null: not in the navigation. */
  navPosition: number | null;
}
/** A WordPress attachment: a file to bring into the media library, with its alt text and caption as credit. */
export interface PlannedAttachment {
  url: string;
  alt: string;
  credit: string;
  what: string;
}
/** An image of the media library, as its row: its original goes to R2 before the row is written. */
export type LibraryImage = Pick<MediaRow, 'hash' | 'type' | 'width' | 'height' | 'bytes' | 'alt' | 'credit'> & {
  /** From when readers may see it: the first publication of what shows it; null while only drafts do. */
  publicAt: number | null;
};
/** An old address and what it leads to: an imported post or page (its source key), or a path. */
export interface OldAddress {
  path: string;
  sourceKey?: string;
  targetPath?: string;
}
export interface PlannedComment {
  key: string;
  parentKey: string | null;
  /** The imported article it is on (its import record's key)… */
  articleKey: string;
  /** …or an article already here, by id (Disqus: matched by its address). */
  articleId?: number;
  name: string;
  email: string;
  body: string;
  status: 'approved' | 'pending' | 'spam';
  createdAt: number;
  ip: string;
}
/** A plan from `source` that brings nothing: what a part of a plan is written over. */
export const emptyPlan = (source: string): Plan => ({
  source,
  authors: [],
  sections: [],
  tags: [],
  articles: [],
  pages: [],
  comments: [],
  addresses: [],
  unmapped: [],
  skipped: [],
  removed: {},
});
export interface Skipped {
  what: string;
  reason: string;
}
export interface Plan {
  source: string;
  authors: { slug: string; name: string; login: string }[];
  sections: { slug: string; name: string; description: string; parent: string }[];
  tags: { slug: string; name: string }[];
  articles: PlannedArticle[];
  pages: PlannedPage[];
  comments: PlannedComment[];
  addresses: OldAddress[];
  /** Old addresses that lead nowhere here (date archives, empty categories, links to another site). */
  unmapped: string[];
  skipped: Skipped[];
  removed: Removed;
  /** Newsletter subscribers, with the consent the export records (Ghost's members). */
  subscribers?: PlannedSubscriber[];
  /** WordPress's attachments, to fetch (src/cli/wordpress-media.ts). */
  attachments?: PlannedAttachment[];
  /** The images fetched, as media-library rows (their bodies' and heroes' addresses already point at them). */
  library?: LibraryImage[];
  /** Attachments that could not be fetched, and why. */
  mediaNotFetched?: Report['mediaNotFetched'];
}
export interface PlannedSubscriber {
  email: string;
  /** When they subscribed there: kept as their confirmation time. */
  since: number;
}

/**
 * The queries (run in one call) that read what an import from `source` could touch: every slug taken
 * (D1 takes only a few UNION terms in one SELECT, so one statement each) and the source's records.
 */
export function existingStateQueries(source: string, { subscribers = false } = {}): string[] {
  return [
    'SELECT slug AS name FROM authors',
    'SELECT slug AS name FROM sections',
    'SELECT slug AS name FROM tags',
    'SELECT slug AS name FROM articles',
    'SELECT old_slug AS name FROM slug_redirects',
    'SELECT slug AS name FROM static_pages',
    "SELECT path AS name, coalesce(source_key, '') || ' ' || coalesce(target_path, '') AS hash FROM old_addresses",
    `SELECT r.source_key AS name, r.local_id, r.source_hash AS hash, CASE r.kind
       WHEN 'article' THEN EXISTS (SELECT 1 FROM articles WHERE id = r.local_id)
       WHEN 'static-page' THEN EXISTS (SELECT 1 FROM static_pages WHERE id = r.local_id)
       ELSE EXISTS (SELECT 1 FROM comments WHERE id = r.local_id) END AS present
     FROM import_records r WHERE substr(r.source_key, 1, ${source.length + 1}) = ${literal(`${source}:`)}`,
    'SELECT hash AS name FROM media',
    ...(subscribers ? ['SELECT email_hash AS name FROM subscribers'] : []),
  ];
}

type StateRow = { name: string; local_id?: number; hash?: string; present?: number };

/** What the rows of `existingStateQueries` say, statement by statement. */
export function existingState(results: StateRow[][]): Existing {
  const [
    authors,
    sections,
    tags,
    articles,
    formerSlugs,
    pages,
    addresses = [],
    records = [],
    images = [],
    subscribers = [],
  ] = results;
  const names = (...lists: (StateRow[] | undefined)[]) =>
    new Set(lists.flatMap((rows) => rows ?? []).map((row) => row.name));
  return {
    authors: names(authors),
    sections: names(sections),
    tags: names(tags),
    articleSlugs: names(articles, formerSlugs),
    pageSlugs: names(pages),
    addresses: new Map(addresses.map((row) => [row.name, row.hash!])),
    subscriberHashes: names(subscribers),
    mediaHashes: names(images),
    records: new Map(
      records.map((row) => [row.name, { localId: row.local_id!, sourceHash: row.hash!, exists: Boolean(row.present) }]),
    ),
  };
}

/** What the database already holds that the plan touches. */
export interface Existing {
  authors: Set<string>;
  sections: Set<string>;
  tags: Set<string>;
  /**
   * Slugs already taken by articles (and former slugs that redirect) and by static pages; importStatements
   * adds the ones it gives, so a plan brought in batch by batch never gives one twice.
   */
  articleSlugs: Set<string>;
  pageSlugs: Set<string>;
  /** Old addresses already mapped: their target, as `source_key target_path`. */
  addresses: Map<string, string>;
  /** Import records by source key: the row it became and the hash of what the export said then. */
  records: Map<string, { localId: number; sourceHash: string; exists: boolean }>;
  /** The newsletter's subscribers (and erased ones), by email_hash, when the plan has subscribers. */
  subscriberHashes: Set<string>;
  /** The media library's images, by hash. */
  mediaHashes: Set<string>;
}

type Kind =
  | 'authors'
  | 'sections'
  | 'tags'
  | 'articles'
  | 'static pages'
  | 'comments'
  | 'old addresses'
  | 'subscribers'
  | 'images';
export interface Report {
  file: string;
  dryRun: boolean;
  /** What was read: `WordPress 1.2 export of example.org`. */
  what: string;
  created: Record<Kind, number>;
  updated: Record<Kind, number>;
  unchanged: Record<Kind, number>;
  skipped: Skipped[];
  /** Unsafe markup and shortcodes removed from bodies and comments, by kind. */
  removed: Removed;
  /** Old addresses that lead nowhere here: they stay 404. */
  unmapped: string[];
  /** Comments whose network address was not kept (older than the site keeps one, or no salt to hash it with). */
  networkAddressesDropped: number;
  /** Attachments that could not be brought into the media library, and why: their addresses stay as they were. */
  mediaNotFetched: { url: string; reason: string }[];
}

/** What importStatements reports: a Report without what the command adds (the file, the dry run, what was read). */
export type ImportReport = Omit<Report, 'file' | 'dryRun' | 'what'>;

/** The reports of a plan brought in batch by batch, as one. */
export function combineReports(reports: ImportReport[]): ImportReport {
  const sum = (pick: (report: ImportReport) => Record<Kind, number>) => {
    const total = zero();
    for (const report of reports) for (const kind of KINDS) total[kind] += pick(report)[kind];
    return total;
  };
  const removed: Removed = {};
  for (const report of reports) {
    for (const [what, n] of Object.entries(report.removed)) removed[what] = (removed[what] ?? 0) + n;
  }
  return {
    created: sum((report) => report.created),
    updated: sum((report) => report.updated),
    unchanged: sum((report) => report.unchanged),
    skipped: reports.flatMap((report) => report.skipped),
    removed,
    unmapped: reports.flatMap((report) => report.unmapped),
    networkAddressesDropped: reports.reduce((total, report) => total + report.networkAddressesDropped, 0),
    mediaNotFetched: reports.flatMap((report) => report.mediaNotFetched),
  };
}

const ARTICLE_TYPES = new Set(['post']);
const STATUS: Record<string, ArticleStatus | undefined> = {
  publish: 'published',
  future: 'published',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
};
export const UNCATEGORIZED = { slug: 'uncategorized', name: 'Uncategorized', description: '', parent: '' };

/** An old address (`https://example.org/blog/2010/11/slug/`) as the old-address table keys it; undefined on another site. */
function oldKey(link: string, base: string): string | undefined {
  try {
    const url = new URL(link, base);
    return url.host === new URL(base).host ? oldAddressKey(url.pathname, url.searchParams) : undefined;
  } catch {
    return undefined;
  }
}

/** A WordPress slug (`post_name` is percent-encoded UTF-8) as ours; `fallback` when nothing is left. */
export function slugOf(name: string, title: string, fallback: string): string {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {}
  return (slugify(decoded) || slugify(title) || fallback).slice(0, 100).replace(/-+$/, '');
}

/** Takes a slug not yet in `taken` (adding `-2`, `-3`… when it is) and marks it taken. */
export function claim(slug: string, taken: Set<string>): string {
  let candidate = slug;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${slug}-${n}`;
  taken.add(candidate);
  return candidate;
}

export const oneLine = (text: string, max: number) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** What names the export's records (`wordpress:example.org`): its site's host, so two sites' post 42 are two articles. */
export function wordpressSource(wxr: Wxr): string {
  try {
    return `wordpress:${new URL(wxr.baseBlogUrl || wxr.baseSiteUrl || wxr.link).host || 'unknown-site'}`;
  } catch {
    return 'wordpress:unknown-site';
  }
}

/** The old site's address, with its folder if it had one (`https://example.org/blog/`). */
export function wordpressHome(wxr: Wxr): string {
  const base = wxr.baseBlogUrl || wxr.baseSiteUrl || wxr.link;
  return base.endsWith('/') ? base : `${base}/`;
}

/** The plan for an export: what each item becomes, and what is skipped and why. */
export function planWordpressImport(wxr: Wxr): Plan {
  const outline = planWordpressOutline(wxr);
  const content = wordpressContent(outline);
  const parts = wxr.items.map(content);
  return {
    ...outline,
    articles: parts.flatMap((part) => part.articles),
    pages: parts.flatMap((part) => part.pages),
    comments: parts.flatMap((part) => part.comments),
  };
}

/** The meta keys planning reads (the featured image, an attachment's alt text, menu items' links). */
const OUTLINE_META = [
  '_thumbnail_id',
  '_wp_attachment_image_alt',
  '_menu_item_type',
  '_menu_item_object',
  '_menu_item_object_id',
];

/**
 * An item as the outline needs it, kept while a large export is read: without its content, comments,
 * other meta, or excerpt (but an attachment's, its caption). `wordpressContent` reads those later.
 */
export function itemOutline(item: WxrItem): WxrItem {
  // A copy: the reader's strings are slices of the piece of the file they were read from, and would
  // keep all of it in memory (V8 keeps a slice's whole parent string).
  return structuredClone({
    ...item,
    content: '',
    excerpt: item.type === 'attachment' ? item.excerpt : '',
    comments: [],
    meta: Object.fromEntries(OUTLINE_META.filter((key) => key in item.meta).map((key) => [key, item.meta[key]!])),
  });
}

/**
 * What each item becomes, read from the items' outlines (`itemOutline`): authors, sections, tags, old
 * addresses, the navigation, attachments, and each article and page with its body still empty.
 */
export function planWordpressOutline(wxr: Wxr): Plan {
  const source = wordpressSource(wxr);
  const removed: Removed = {};
  const home = wordpressHome(wxr);
  const addresses = new Map<string, OldAddress>();
  const unmapped = new Set<string>();
  /** Records where an old address leads (an empty target: it leads nowhere, and the report says so). */
  const addressOf = (link: string, target: Omit<OldAddress, 'path'>) => {
    if (!link.trim()) return;
    const path = oldKey(link, home);
    if (path === '/') return;
    if (!path) {
      if (link) unmapped.add(link);
    } else if (!target.sourceKey && !target.targetPath) {
      if (!addresses.has(path)) unmapped.add(path);
    } else if (path !== target.targetPath && !addresses.has(path)) {
      addresses.set(path, { path, ...target });
    }
  };
  const skipped: Skipped[] = [];

  const authorSlugs = new Map<string, string>();
  const authors: Plan['authors'] = [];
  const authorFor = (login: string, displayName = '') => {
    const known = authorSlugs.get(login);
    if (known) return known;
    const slug = claim(slugOf(login, displayName, `author-${authors.length + 1}`), new Set(authors.map((a) => a.slug)));
    authors.push({ slug, name: displayName || login || slug, login });
    authorSlugs.set(login, slug);
    return slug;
  };
  for (const author of wxr.authors) if (author.login) authorFor(author.login, author.displayName);

  // Categories are a tree; sections are flat. A post's section is the top of its first category's
  // tree, and the categories below the top are tags: `News › Asia` is the section News tagged Asia.
  const categories = new Map(wxr.categories.map((category) => [category.slug, category]));
  const topOf = (slug: string) => {
    let top = categories.get(slug);
    for (const seen = new Set<string>(); top?.parent && categories.has(top.parent) && !seen.has(top.parent); ) {
      seen.add(top.slug);
      top = categories.get(top.parent);
    }
    return top;
  };
  const sections: Plan['sections'] = [];
  const sectionFor = (term: { slug: string; name: string } | undefined) => {
    const top = term && (topOf(term.slug) ?? { ...term, description: '', parent: '' });
    const slug = top ? slugOf(top.slug, top.name, UNCATEGORIZED.slug) : UNCATEGORIZED.slug;
    if (!sections.some((section) => section.slug === slug)) {
      sections.push(
        top && slug !== UNCATEGORIZED.slug
          ? { slug, name: top.name || slug, description: oneLine(top.description, 500), parent: '' }
          : UNCATEGORIZED,
      );
    }
    return { slug, wpSlug: top?.slug };
  };
  const tagNames = new Map<string, string>();
  const tagFor = (slug: string, name: string) => {
    const ours = slugOf(slug, name, '');
    if (ours && !tagNames.has(ours)) tagNames.set(ours, name || ours);
    return ours;
  };
  for (const tag of wxr.tags) tagFor(tag.slug, tag.name);

  const articleSlugs = new Set<string>();
  const pageSlugs = new Set<string>();
  const articles: PlannedArticle[] = [];
  const pages: PlannedPage[] = [];
  const what = (item: WxrItem) => `${item.type} ${item.id} “${oneLine(item.title, 60)}” (line ${item.line})`;
  const attachments = new Map<number, PlannedAttachment>();
  for (const item of wxr.items.filter((item) => item.type === 'attachment')) {
    const url = URL.parse(item.attachmentUrl, home)?.href;
    if (!url || !/^https?:/.test(url)) {
      skipped.push({ what: what(item), reason: 'an attachment with no file address' });
      continue;
    }
    attachments.set(item.id, {
      url,
      alt: oneLine(item.meta._wp_attachment_image_alt ?? '', 300),
      credit: oneLine(wordpressToText(item.excerpt, removed), 200),
      what: what(item),
    });
  }

  for (const item of wxr.items) {
    const status = STATUS[item.status];
    const isPage = item.type === 'page';
    if (item.type === 'attachment' || item.type === 'nav_menu_item') continue;
    if (!ARTICLE_TYPES.has(item.type) && !isPage) {
      skipped.push({ what: what(item), reason: `a WordPress ${item.type}: not imported` });
      continue;
    }
    if (!status) {
      skipped.push({
        what: what(item),
        reason: `status “${item.status || 'none'}” (trash, auto-draft…): not imported`,
      });
      continue;
    }
    if (!item.id) {
      skipped.push({ what: what(item), reason: 'no post_id: it could not be told apart on a second run' });
      continue;
    }
    const title = oneLine(item.title, 200) || `Untitled ${item.type} ${item.id}`;
    const key = itemKey(source, item);
    addressOf(item.link, { sourceKey: key });
    addressOf(`${home}?${isPage ? 'page_id' : 'p'}=${item.id}`, { sourceKey: key });
    if (isPage) {
      const slug = claim(slugOf(item.name, item.title, `page-${item.id}`), pageSlugs);
      pages.push({ key, slug, title, bodyMarkdown: '', status, navPosition: null });
      continue;
    }
    if (status === 'published' && !item.date) {
      skipped.push({ what: what(item), reason: 'published, but with no date' });
      continue;
    }
    const section = sectionFor(item.categories[0]);
    const featured = attachments.get(Number(item.meta._thumbnail_id));
    const otherCategories = item.categories.filter((category) => category.slug !== section.wpSlug);
    const tags = [...otherCategories, ...item.tags]
      .map((term) => ({ slug: tagFor(term.slug, term.name), name: term.name }))
      .filter((tag, index, all) => tag.slug && all.findIndex((other) => other.slug === tag.slug) === index)
      .map((tag) => ({ slug: tag.slug, name: tagNames.get(tag.slug)! }));
    articles.push({
      key,
      slug: claim(slugOf(item.name, item.title, `post-${item.id}`), articleSlugs),
      headline: title,
      standfirst: '',
      bodyMarkdown: '',
      status,
      publishedAt: status === 'published' ? item.date!.getTime() : null,
      authorSlug: authorFor(item.creator || 'admin'),
      sectionSlug: section.slug,
      tags,
      ...(featured && { hero: { url: featured.url, alt: featured.alt, credit: featured.credit } }),
    });
  }
  // Listings and feeds: WordPress's default permalinks for them, under the blog's own path.
  const articleTerms = (pick: (article: PlannedArticle) => string[]) => new Set(articles.flatMap(pick));
  const sectionSlugs = articleTerms((article) => [article.sectionSlug]);
  const tagSlugs = articleTerms((article) => article.tags.map((tag) => tag.slug));
  const categoryPath = (slug: string): string => {
    const chain = [slug];
    for (let parent = categories.get(slug)?.parent; parent && categories.has(parent) && !chain.includes(parent); ) {
      chain.unshift(parent);
      parent = categories.get(parent)?.parent;
    }
    return chain.join('/');
  };
  const listingAddresses = (link: string, path: string | undefined) => {
    addressOf(link, { targetPath: path });
    addressOf(`${link}/feed/`, { targetPath: path && feedPath('rss', path) });
  };
  for (const category of wxr.categories) {
    const ours = slugOf(category.slug, category.name, '');
    const path =
      sectionSlugs.has(ours) && !category.parent ? sectionPath(ours) : tagSlugs.has(ours) ? tagPath(ours) : undefined;
    listingAddresses(`${home}category/${categoryPath(category.slug)}`, path);
    if (category.parent) listingAddresses(`${home}category/${category.slug}`, path);
  }
  for (const [slug] of tagNames) listingAddresses(`${home}tag/${slug}`, tagSlugs.has(slug) ? tagPath(slug) : undefined);
  for (const term of wxr.tags) {
    const ours = slugOf(term.slug, term.name, '');
    listingAddresses(`${home}tag/${term.slug}`, tagSlugs.has(ours) ? tagPath(ours) : undefined);
  }
  const authorsWithArticles = articleTerms((article) => [article.authorSlug]);
  for (const author of authors) {
    listingAddresses(
      `${home}author/${author.login}`,
      authorsWithArticles.has(author.slug) ? authorPath(author.slug) : undefined,
    );
  }
  for (const [link, path] of [
    ['feed', feedPath('rss')],
    ['feed/rss2', feedPath('rss')],
    ['feed/atom', feedPath('atom')],
    ['?feed=rss2', feedPath('rss')],
    ['?feed=atom', feedPath('atom')],
    ['comments/feed', commentFeedPath()],
  ] as const) {
    addressOf(`${home}${link}`, { targetPath: path });
  }
  // Attachment pages lead to the post or page they belong to. Date archives (`/2010/11/`) have no page
  // here: they lead to the home page, the newest articles.
  const itemKeys = new Map(
    [...articles, ...pages].map((item) => [Number(item.key.slice(item.key.lastIndexOf(':') + 1)), item.key]),
  );
  for (const item of wxr.items) {
    if (item.type === 'attachment') addressOf(item.link, { sourceKey: itemKeys.get(item.parent) });
    const dated = item.type === 'post' && oldKey(item.link, home)?.match(/^((.*\/\d{4})\/\d{2})(\/\d{2})?\/[^/?]+$/);
    if (dated && itemKeys.has(item.id)) {
      const [, month, year, day] = dated;
      for (const archive of [year!, month!, ...(day ? [month + day] : [])]) {
        addressOf(new URL(archive, home).href, { targetPath: '/' });
      }
    }
  }

  const order = navigationFromMenu(wxr, what, skipped);
  for (const page of pages) {
    const position = order.pages.get(Number(page.key.slice(page.key.lastIndexOf(':') + 1)));
    if (position !== undefined) page.navPosition = position;
  }
  const menuPlace = (slug: string) =>
    order.categories.get(
      wxr.categories.find((category) => slugOf(category.slug, category.name, '') === slug)?.slug ?? '',
    ) ?? Number.POSITIVE_INFINITY;
  sections.sort((a, b) => menuPlace(a.slug) - menuPlace(b.slug));

  return {
    source,
    authors,
    sections,
    tags: [...tagNames].map(([slug, name]) => ({ slug, name })),
    articles,
    pages,
    comments: [],
    addresses: [...addresses.values()],
    unmapped: [...unmapped].filter((path) => !addresses.has(path)).sort(),
    skipped,
    removed,
    attachments: [...attachments.values()],
  };
}

const itemKey = (source: string, item: WxrItem) => `${source}:${item.type === 'page' ? 'page' : 'post'}:${item.id}`;

/**
 * Fills the outline's articles and pages from their items, one item at a time (as a large export is
 * read): the body as Markdown, the excerpt as standfirst, the comments. What is removed or skipped is
 * added to the outline's `removed` and `skipped`. An item the outline does not import gives nothing.
 */
export function wordpressContent(outline: Plan) {
  const articles = new Map(outline.articles.map((article) => [article.key, article]));
  const pages = new Map(outline.pages.map((page) => [page.key, page]));
  const { source, removed, skipped } = outline;
  return (item: WxrItem): { articles: PlannedArticle[]; pages: PlannedPage[]; comments: PlannedComment[] } => {
    const key = itemKey(source, item);
    const article = item.type === 'post' ? articles.get(key) : undefined;
    const page = item.type === 'page' ? pages.get(key) : undefined;
    if (!article && !page) return { articles: [], pages: [], comments: [] };
    const bodyMarkdown = wordpressToMarkdown(item.content, removed).markdown || ' ';
    if (page) {
      for (const comment of item.comments) {
        skipped.push({
          what: `comment ${comment.id} on page ${item.id}`,
          reason: 'a comment on a page: static pages take none',
        });
      }
      return { articles: [], pages: [{ ...page, bodyMarkdown }], comments: [] };
    }
    return {
      articles: [{ ...article!, bodyMarkdown, standfirst: oneLine(wordpressToText(item.excerpt, removed), 500) }],
      pages: [],
      comments: planComments(item.comments, `post ${item.id}`, key, source, removed, skipped),
    };
  };
}

/**
 * The site's navigation from the export's menu (the one with the most links to pages and categories,
 * when it has several): each page's and category's place in it, by menu order. Other links (custom
 * addresses, posts) and the other menus are skipped.
 */
function navigationFromMenu(wxr: Wxr, what: (item: WxrItem) => string, skipped: Skipped[]) {
  const items = wxr.items.filter((item) => item.type === 'nav_menu_item' && item.status === 'publish');
  const kindOf = (item: WxrItem) =>
    item.meta._menu_item_type === 'post_type' && item.meta._menu_item_object === 'page'
      ? 'page'
      : item.meta._menu_item_type === 'taxonomy' && item.meta._menu_item_object === 'category'
        ? 'category'
        : undefined;
  const sizes = new Map<string, number>();
  for (const item of items.filter(kindOf)) {
    for (const menu of item.menus) sizes.set(menu.slug, (sizes.get(menu.slug) ?? 0) + 1);
  }
  const [chosen] = [...sizes].sort((a, b) => b[1] - a[1]).map(([slug]) => slug);
  const pages = new Map<number, number>();
  const categories = new Map<string, number>();
  const termSlugs = new Map(wxr.categories.map((category) => [category.id, category.slug]));
  const inMenu = (item: WxrItem) => item.menus.some((menu) => menu.slug === chosen);
  for (const item of wxr.items.filter(
    (item) => item.type === 'nav_menu_item' && !(items.includes(item) && inMenu(item)),
  )) {
    skipped.push({ what: what(item), reason: 'a menu item of another menu than the one taken' });
  }
  const ordered = items.filter(inMenu).sort((a, b) => a.menuOrder - b.menuOrder);
  ordered.forEach((item, position) => {
    const id = Number(item.meta._menu_item_object_id);
    const slug = termSlugs.get(id);
    if (kindOf(item) === 'page') pages.set(id, position);
    else if (kindOf(item) === 'category' && slug) categories.set(slug, position);
    else {
      skipped.push({
        what: what(item),
        reason: 'a menu link to another address or kind of page: the navigation holds sections and static pages',
      });
    }
  });
  return { pages, categories };
}

const COMMENT_STATUS: Record<string, PlannedComment['status'] | undefined> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
};

/** Whether a comment is imported, decided before anything is written: its text and status, or why not. */
export type CommentFate = ImportedComment | { skip: string };
type ImportedComment = { body: string; status: PlannedComment['status']; date: Date };

/** What `comment` becomes: its text (what was unsafe in it counted in `removed`) and status, or why it is skipped. */
export function commentFate(comment: WxrComment, removed: Removed): CommentFate {
  if (comment.type === 'pingback' || comment.type === 'trackback')
    return { skip: `a ${comment.type}: edgepress has none` };
  const status = COMMENT_STATUS[comment.approved];
  if (!status) {
    return {
      skip:
        comment.approved === 'trash'
          ? 'trashed or deleted: not imported'
          : `status “${comment.approved}”: not imported`,
    };
  }
  const body = wordpressToText(comment.content, removed).slice(0, 5000);
  if (!body) return { skip: 'no text' };
  if (!comment.date) return { skip: 'no date' };
  if (!comment.id) return { skip: 'no id' };
  return { body, status, date: comment.date };
}

/**
 * Each imported comment's parent among the imported ones (`kept`: by id, its parent's id as the export
 * gives it): a reply to a comment not imported hangs from the nearest one that is, and a loop in the
 * export is cut where it closes, so the replies always make trees.
 */
export function commentParents(kept: Set<number>, parentOf: (id: number) => number | undefined) {
  const parents = new Map<number, number | null>();
  for (const id of kept) {
    const seen = new Set([id]);
    let parent = parentOf(id);
    while (parent && !kept.has(parent) && !seen.has(parent)) {
      seen.add(parent);
      parent = parentOf(parent);
    }
    parents.set(id, parent && kept.has(parent) && parent !== id ? parent : null);
  }
  const rooted = new Set<number>();
  for (const start of kept) {
    const path = new Set<number>();
    for (let id: number | null | undefined = start; id != null && !rooted.has(id); id = parents.get(id)) {
      path.add(id);
      const parent = parents.get(id);
      if (parent != null && path.has(parent)) parents.set(id, null);
    }
    for (const id of path) rooted.add(id);
  }
  return parents;
}

/** What names an imported comment's record (`wordpress:example.org:comment:42`). */
export const commentKey = (source: string, id: number) => `${source}:comment:${id}`;

/** The comment as planned, once its fate says it is imported. */
export const plannedComment = (
  comment: WxrComment,
  fate: ImportedComment,
  parentId: number | null,
  articleKey: string,
  source: string,
): PlannedComment => ({
  key: commentKey(source, comment.id),
  parentKey: parentId === null ? null : commentKey(source, parentId),
  articleKey,
  name: oneLine(comment.author, 80) || 'Anonymous',
  email: comment.email.trim().normalize('NFKC').toLowerCase(),
  body: fate.body,
  status: fate.status,
  createdAt: fate.date.getTime(),
  ip: comment.ip,
});

/**
 * One post's comments (`on` names it), oldest first but never before its parent; a reply to a comment
 * not imported hangs from the nearest one that is.
 */
export function planComments(
  all: WxrComment[],
  on: string,
  articleKey: string,
  source: string,
  removed: Removed,
  skipped: Skipped[],
) {
  const byId = new Map<number, { comment: WxrComment; fate: ImportedComment }>();
  for (const comment of [...all].sort((a, b) => a.id - b.id)) {
    const fate = commentFate(comment, removed);
    if ('skip' in fate) skipped.push({ what: `comment ${comment.id} on ${on}`, reason: fate.skip });
    else byId.set(comment.id, { comment, fate });
  }
  const parentIds = new Map(all.map((comment) => [comment.id, comment.parentId]));
  const parents = commentParents(new Set(byId.keys()), (id) => parentIds.get(id));
  const planned = [...byId.values()]
    .map(({ comment, fate }) => plannedComment(comment, fate, parents.get(comment.id)!, articleKey, source))
    .sort((a, b) => a.createdAt - b.createdAt);
  return parentsFirst(planned);
}

/** `comments` in their order, except that a reply waits until its parent is before it. */
function parentsFirst(comments: PlannedComment[]): PlannedComment[] {
  const placed = new Set<string>();
  const waiting = new Map<string, PlannedComment[]>();
  const ordered: PlannedComment[] = [];
  const place = (comment: PlannedComment) => {
    const ready = [comment];
    for (let next = ready.pop(); next; next = ready.pop()) {
      ordered.push(next);
      placed.add(next.key);
      ready.push(...(waiting.get(next.key) ?? []).reverse());
      waiting.delete(next.key);
    }
  };
  for (const comment of comments) {
    if (comment.parentKey === null || placed.has(comment.parentKey)) place(comment);
    else if (waiting.has(comment.parentKey)) waiting.get(comment.parentKey)!.push(comment);
    else waiting.set(comment.parentKey, [comment]);
  }
  return ordered;
}

const KINDS: Kind[] = [
  'authors',
  'sections',
  'tags',
  'articles',
  'static pages',
  'comments',
  'old addresses',
  'subscribers',
  'images',
];
const zero = () => Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;

/** What a record's hash covers: everything the export says about the row. */
const hashOf = (value: unknown) => sha256Hex(JSON.stringify(value));

const idOf = (table: string, slug: string) => `(SELECT id FROM ${table} WHERE slug = ${literal(slug)})`;
const recordId = (key: string) => `(SELECT local_id FROM import_records WHERE source_key = ${literal(key)})`;

/**
 * One row's INSERT or UPDATE whose long texts would make it larger than D1 takes in one statement
 * (MAX_STATEMENT_BYTES): the statement with those texts empty, then each appended piece by piece.
 */
function sized(
  statement: (values: Record<string, SqlValue>) => string,
  row: Record<string, SqlValue>,
  where: string,
  table: string,
): string[] {
  const whole = statement(row);
  if (utf8Bytes(whole) <= MAX_STATEMENT_BYTES) return [whole];
  const long = Object.keys(row).filter(
    (column) => typeof row[column] === 'string' && utf8Bytes(row[column] as string) > 10_000,
  );
  return [
    statement({ ...row, ...Object.fromEntries(long.map((column) => [column, ''])) }),
    ...long.flatMap((column) => appendedText(table, column, where, row[column] as string)),
  ];
}

const insert = (table: string, row: Record<string, SqlValue>, extra = '') =>
  `INSERT OR IGNORE INTO ${table} (${Object.keys(row).join(', ')}${extra ? `, ${extra.split('|')[0]}` : ''}) VALUES (${Object.values(
    row,
  )
    .map(literal)
    .join(', ')}${extra ? `, ${extra.split('|')[1]}` : ''});`;
/** `UPDATE … SET` the row's values (and `computed`, assignments written as SQL) `WHERE …`. */
const update = (table: string, row: Record<string, SqlValue>, where: string, computed: string[] = []) =>
  `UPDATE ${table} SET ${[...Object.entries(row).map(([column, value]) => `${column} = ${literal(value)}`), ...computed].join(', ')} WHERE ${where};`;

export interface SqlOptions {
  /** IP_HASH_SALT, to hash a comment's network as the site does; without it no network is kept. */
  ipSalt?: string;
  /** SUBSCRIBER_HASH_SALT, to hash a subscriber's address as signups do; without it no subscriber is imported. */
  subscriberSalt?: string;
  /** The site keeps a comment's network hash this long (IP_HASH_RETENTION_DAYS); older ones are not kept. */
  networkRetentionDays: number;
  now: Date;
  /** Told how far the work on each kind is (a progress bar on a terminal). */
  progress?: (label: string, done: number, total: number) => void;
}

/** The statements that bring the plan in, given what the database holds, and the report of what they do. */
export async function importStatements(
  plan: Plan,
  existing: Existing,
  options: SqlOptions,
): Promise<{ statements: string[]; report: ImportReport }> {
  const created = zero();
  const updated = zero();
  const unchanged = zero();
  const skipped = [...plan.skipped];
  const statements: string[] = [];
  let networkAddressesDropped = 0;

  for (const author of plan.authors) {
    if (existing.authors.has(author.slug)) unchanged.authors += 1;
    else {
      created.authors += 1;
      statements.push(insert('authors', { slug: author.slug, name: author.name }));
    }
  }
  plan.sections.forEach((section) => {
    if (existing.sections.has(section.slug)) unchanged.sections += 1;
    else {
      created.sections += 1;
      statements.push(
        `INSERT OR IGNORE INTO sections (slug, name, description, position) VALUES (${literal(section.slug)}, ${literal(section.name)}, ${literal(section.description)}, (SELECT coalesce(max(position), -1) + 1 FROM sections));`,
      );
    }
  });
  for (const tag of plan.tags) {
    if (existing.tags.has(tag.slug)) unchanged.tags += 1;
    else {
      created.tags += 1;
      statements.push(insert('tags', tag));
    }
  }

  // Images first: an article's hero or body names them. Their originals are in R2 already (import.ts).
  for (const image of plan.library ?? []) {
    if (existing.mediaHashes.has(image.hash)) unchanged.images += 1;
    else {
      created.images += 1;
      const { publicAt, ...row } = image;
      statements.push(insert('media', { ...row, public_at: publicAt }));
    }
  }
  const taken = existing.articleSlugs;
  const tick = (label: string, index: number, total: number) => {
    if ((index + 1) % 100 === 0 || index + 1 === total) options.progress?.(label, index + 1, total);
  };
  for (const [index, article] of plan.articles.entries()) {
    tick('articles', index, plan.articles.length);
    const values = {
      headline: article.headline,
      standfirst: article.standfirst,
      body_markdown: article.bodyMarkdown,
      body_html: renderMarkdown(article.bodyMarkdown),
      status: article.status,
      published_at: article.publishedAt,
      ...(article.hero && {
        hero_image_url: article.hero.url,
        hero_image_alt: article.hero.alt,
        hero_image_credit: article.hero.credit,
        ...(article.hero.width && { hero_image_width: article.hero.width, hero_image_height: article.hero.height }),
      }),
    };
    const hash = await hashOf({
      ...values,
      author: article.authorSlug,
      section: article.sectionSlug,
      tags: article.tags,
    });
    const record = existing.records.get(article.key);
    const refs = `author_id, section_id|${idOf('authors', article.authorSlug)}, ${idOf('sections', article.sectionSlug)}`;
    let where: string;
    if (record && !record.exists) {
      skipped.push({
        what: `article “${article.headline}”`,
        reason: 'deleted here since it was imported: left deleted',
      });
      continue;
    }
    if (record?.sourceHash === hash) {
      unchanged.articles += 1;
      continue;
    }
    if (record) {
      updated.articles += 1;
      where = `id = ${record.localId}`;
      statements.push(
        ...sized(
          (row) =>
            update('articles', row, where, [
              `author_id = ${idOf('authors', article.authorSlug)}`,
              `section_id = ${idOf('sections', article.sectionSlug)}`,
              `updated_at = ${options.now.getTime()}`,
            ]),
          values,
          where,
          'articles',
        ),
        `DELETE FROM article_tags WHERE article_id = ${record.localId};`,
        update('import_records', { source_hash: hash }, `source_key = ${literal(article.key)}`),
      );
    } else {
      created.articles += 1;
      const slug = claim(article.slug, taken);
      where = `slug = ${literal(slug)}`;
      statements.push(
        ...sized((row) => insert('articles', { slug, ...row }, refs), values, where, 'articles'),
        insert(
          'import_records',
          { source_key: article.key, kind: 'article' },
          `local_id, source_hash|${idOf('articles', slug)}, ${literal(hash)}`,
        ),
      );
    }
    for (const tag of article.tags) {
      statements.push(
        `INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (${recordId(article.key)}, ${idOf('tags', tag.slug)});`,
      );
    }
  }

  const pageTaken = existing.pageSlugs;
  for (const page of plan.pages) {
    const values = {
      title: page.title,
      body_markdown: page.bodyMarkdown,
      body_html: renderMarkdown(page.bodyMarkdown),
      status: page.status,
      ...(page.navPosition !== null && { nav_position: page.navPosition }),
    };
    const hash = await hashOf(values);
    const record = existing.records.get(page.key);
    if (record && !record.exists) {
      skipped.push({ what: `static page “${page.title}”`, reason: 'deleted here since it was imported: left deleted' });
    } else if (record?.sourceHash === hash) {
      unchanged['static pages'] += 1;
    } else if (record) {
      updated['static pages'] += 1;
      const where = `id = ${record.localId}`;
      statements.push(
        ...sized((row) => update('static_pages', row, where), values, where, 'static_pages'),
        update('import_records', { source_hash: hash }, `source_key = ${literal(page.key)}`),
      );
    } else {
      created['static pages'] += 1;
      const slug = claim(page.slug, pageTaken);
      const where = `slug = ${literal(slug)}`;
      statements.push(
        ...sized((row) => insert('static_pages', { slug, ...row }), values, where, 'static_pages'),
        insert(
          'import_records',
          { source_key: page.key, kind: 'static-page' },
          `local_id, source_hash|${idOf('static_pages', slug)}, ${literal(hash)}`,
        ),
      );
    }
  }

  const retentionStart = options.now.getTime() - options.networkRetentionDays * 24 * 60 * 60 * 1000;
  const importedArticles = new Set(
    plan.articles
      .filter((article) => {
        const record = existing.records.get(article.key);
        return !record || record.exists;
      })
      .map((article) => article.key),
  );
  for (const [index, comment] of plan.comments.entries()) {
    tick('comments', index, plan.comments.length);
    if (comment.articleId === undefined && !importedArticles.has(comment.articleKey)) continue;
    const articleId = comment.articleId === undefined ? recordId(comment.articleKey) : String(comment.articleId);
    if (existing.records.has(comment.key)) {
      unchanged.comments += 1;
      continue;
    }
    created.comments += 1;
    const keepNetwork = comment.ip && options.ipSalt && comment.createdAt >= retentionStart;
    if (comment.ip && !keepNetwork) networkAddressesDropped += 1;
    const bodyHash = await sha256Hex(foldForMatching(comment.body));
    const parent = comment.parentKey
      ? `(SELECT id, root_id, depth FROM comments WHERE id = ${recordId(comment.parentKey)})`
      : '(SELECT NULL AS id, NULL AS root_id, -1 AS depth)';
    statements.push(
      `INSERT OR IGNORE INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status, ip_hash, created_at, moderated_at) SELECT ${articleId}, p.id, coalesce(p.root_id, p.id), p.depth + 1, ${literal(comment.name)}, ${literal(comment.email)}, ${literal(comment.body)}, ${literal(bodyHash)}, ${literal(comment.status)}, ${literal(keepNetwork ? await hmacSign(options.ipSalt!, ipGroup(comment.ip)) : null)}, ${comment.createdAt}, ${comment.status === 'pending' ? 'NULL' : comment.createdAt} FROM ${parent} AS p;`,
      `INSERT OR IGNORE INTO import_records (source_key, kind, local_id, source_hash) SELECT ${literal(comment.key)}, 'comment', id, ${literal(bodyHash)} FROM comments WHERE article_id = ${articleId} AND author_email = ${literal(comment.email)} AND body_hash = ${literal(bodyHash)};`,
    );
  }
  for (const address of plan.addresses) {
    const target = `${address.sourceKey ?? ''} ${address.targetPath ?? ''}`;
    const known = existing.addresses.get(address.path);
    if (known === target) {
      unchanged['old addresses'] += 1;
      continue;
    }
    (known === undefined ? created : updated)['old addresses'] += 1;
    statements.push(
      `INSERT INTO old_addresses (path, source_key, target_path) VALUES (${literal(address.path)}, ${literal(address.sourceKey)}, ${literal(address.targetPath)}) ON CONFLICT (path) DO UPDATE SET source_key = excluded.source_key, target_path = excluded.target_path;`,
    );
  }
  for (const subscriber of plan.subscribers ?? []) {
    if (!options.subscriberSalt) {
      skipped.push({ what: 'a subscriber', reason: 'no SUBSCRIBER_HASH_SALT to hash the address with' });
      continue;
    }
    const hash = await hmacSign(options.subscriberSalt, mailboxKey(subscriber.email));
    if (existing.subscriberHashes.has(hash)) {
      unchanged.subscribers += 1;
      continue;
    }
    created.subscribers += 1;
    // An address already on the list, even unsubscribed or erased (its hash kept), is left as it is.
    statements.push(
      insert('subscribers', {
        email: subscriber.email,
        email_hash: hash,
        status: 'confirmed',
        confirmed_at: subscriber.since,
        created_at: subscriber.since,
      }),
    );
  }
  return {
    statements,
    report: {
      created,
      updated,
      unchanged,
      skipped,
      removed: plan.removed,
      unmapped: plan.unmapped,
      networkAddressesDropped,
      mediaNotFetched: plan.mediaNotFetched ?? [],
    },
  };
}
