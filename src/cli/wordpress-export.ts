/**
 * The site as a WordPress export (WXR 1.2), as WordPress's own exporter writes one and its importer
 * reads it: authors, sections as categories, tags, articles as posts with their comments, static pages
 * as pages, the media library and heroes as attachments (a hero is its post's `_thumbnail_id`), and the
 * header's navigation as a menu. The queries read a page of articles at a time, so the file is written
 * in bounded memory whatever the archive's size.
 */
import { wallClockText } from '../lib/dates.ts';
import { renderMarkdown } from '../lib/markdown.ts';
import { cdata, escapeXml } from '../lib/xml.ts';
import { jpegVariantPath, mediaHashOf, variantPath, widthsFor } from '../media/keys.ts';
import { articlePath, sectionPath, staticPagePath } from '../paths.ts';

export interface ExportSite {
  /** SITE_URL, without a trailing slash. */
  url: string;
  name: string;
  timeZone: string;
  now: Date;
}

export interface SiteRows {
  authors: { id: number; slug: string; name: string; bio: string }[];
  sections: { id: number; slug: string; name: string; description: string }[];
  tags: { id: number; slug: string; name: string }[];
  pages: {
    id: number;
    slug: string;
    title: string;
    body_markdown: string;
    status: string;
    nav_position: number | null;
    created_at: number;
    updated_at: number;
  }[];
  media: {
    id: number;
    hash: string;
    width: number;
    alt: string;
    credit: string;
    created_at: number;
  }[];
  /** Every hero's address, with the first article that shows it. */
  heroes: { url: string; article_id: number; alt: string; credit: string; created_at: number }[];
  /** The highest ids, from which each kind's post ids are numbered (WordPress has one id space for all). */
  top: { articles: number; pages: number; media: number; sections: number }[];
}

/** The statements (run in one call) that read everything but the articles and their comments. */
export const SITE_QUERIES = [
  'SELECT id, slug, name, bio FROM authors ORDER BY id',
  'SELECT id, slug, name, description FROM sections ORDER BY position, id',
  'SELECT id, slug, name FROM tags ORDER BY id',
  'SELECT id, slug, title, body_markdown, status, nav_position, created_at, updated_at FROM static_pages ORDER BY id',
  'SELECT id, hash, width, alt, credit, created_at FROM media ORDER BY id',
  // One pass over the articles: each hero address, with the first article that shows it.
  `SELECT hero_image_url AS url, min(id) AS article_id, hero_image_alt AS alt, hero_image_credit AS credit, created_at
   FROM articles WHERE hero_image_url IS NOT NULL AND hero_image_url <> '' GROUP BY hero_image_url ORDER BY hero_image_url`,
  `SELECT (SELECT coalesce(max(id), 0) FROM articles) AS articles, (SELECT coalesce(max(id), 0) FROM static_pages) AS pages,
     (SELECT coalesce(max(id), 0) FROM media) AS media, (SELECT coalesce(max(id), 0) FROM sections) AS sections`,
];

export type ArticleRow = {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  body_markdown: string;
  hero_image_url: string | null;
  status: string;
  published_at: number | null;
  created_at: number;
  updated_at: number;
  comments_closed: number;
  author: string;
  section: string;
  section_name: string;
};
export type ArticleTagRow = { article_id: number; slug: string; name: string };
export type CommentRow = {
  id: number;
  article_id: number;
  parent_id: number | null;
  author_name: string;
  author_email: string;
  body: string;
  status: string;
  created_at: number;
  removal: string | null;
  source_url: string | null;
};
export interface ArticlePage {
  articles: ArticleRow[];
  tags: ArticleTagRow[];
  comments: CommentRow[];
}

/** How many articles one call reads: a page's bodies and comments stay a few megabytes, well within a D1 response. */
export const ARTICLES_PER_CALL = 200;

/** The statements (run in one call) that read the articles after `afterId`, their tags and their comments. */
export function articlePageQueries(afterId: number, limit = ARTICLES_PER_CALL): string[] {
  const window = `SELECT id FROM articles WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`;
  return [
    `SELECT a.id, a.slug, a.headline, a.standfirst, a.body_markdown, a.hero_image_url, a.status, a.published_at,
       a.created_at, a.updated_at, a.comments_closed, au.slug AS author, s.slug AS section, s.name AS section_name
     FROM articles a JOIN authors au ON au.id = a.author_id JOIN sections s ON s.id = a.section_id
     WHERE a.id > ${afterId} ORDER BY a.id LIMIT ${limit}`,
    `SELECT x.article_id, t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
     WHERE x.article_id IN (${window}) ORDER BY x.article_id, t.name`,
    `SELECT id, article_id, parent_id, author_name, author_email, body, status, created_at, removal, source_url
     FROM comments WHERE article_id IN (${window}) ORDER BY id`,
  ];
}

/** WordPress's "never" for an undated draft's GMT date. */
const NEVER = '0000-00-00 00:00:00';
const gmt = (at: number) => new Date(at).toISOString().slice(0, 19).replace('T', ' ');
const rfc2822 = (at: number) => new Date(at).toUTCString().replace('GMT', '+0000');

/** Plain text (a comment, a standfirst) as the HTML WordPress keeps it in: its markup characters escaped. */
const htmlText = (text: string) => text.replace(/[&<>]/g, (character) => `&#${character.charCodeAt(0)};`);

const element = (name: string, value: string | number) =>
  `<${name}>${typeof value === 'number' ? value : cdata(value)}</${name}>`;
const meta = (key: string, value: string | number) =>
  `\t\t<wp:postmeta>${element('wp:meta_key', key)}${element('wp:meta_value', String(value))}</wp:postmeta>\n`;

/** Numbers every item once: WordPress keeps posts, pages, attachments and menu items in one table. */
export class PostIds {
  readonly #top: SiteRows['top'][number];
  readonly #outside = new Map<string, number>();
  readonly #media = new Map<string, { id: number; url: string; article: number }>();
  /** The heroes that are addresses elsewhere (a Ghost import's): attachments too. */
  readonly outsideHeroes: SiteRows['heroes'];

  constructor(site: ExportSite, rows: SiteRows) {
    this.#top = rows.top[0] ?? { articles: 0, pages: 0, media: 0, sections: 0 };
    const firstShown = new Map<string, number>();
    for (const hero of rows.heroes) {
      const hash = mediaHashOf(hero.url);
      if (hash) firstShown.set(hash, Math.min(firstShown.get(hash) ?? hero.article_id, hero.article_id));
    }
    for (const row of rows.media) {
      const width = widthsFor(row.width).at(-1) ?? row.width;
      this.#media.set(row.hash, {
        id: this.attachment(row.id),
        url: `${site.url}${jpegVariantPath(row.hash, width)}`,
        article: firstShown.get(row.hash) ?? 0,
      });
    }
    this.outsideHeroes = rows.heroes.filter((hero) => !mediaHashOf(hero.url));
    this.outsideHeroes.forEach((hero, index) => {
      this.#outside.set(hero.url, this.attachment(this.#top.media + index + 1));
    });
  }

  article = (id: number) => id;
  page = (id: number) => this.#top.articles + id;
  attachment = (id: number) => this.#top.articles + this.#top.pages + id;
  menuItem = (index: number) => this.attachment(this.#top.media + this.#outside.size) + index + 1;

  /** The attachment a library image is: its id, the address WordPress fetches it from, the first article it is the hero of. */
  libraryImage = (hash: string) => this.#media.get(hash);

  /** The attachment a hero's address is, if any. */
  hero(url: string | null): number | undefined {
    if (!url) return undefined;
    const hash = mediaHashOf(url);
    return hash ? this.#media.get(hash)?.id : this.#outside.get(url);
  }
}

/**
 * Markdown as the HTML WordPress stores: rendered as the site renders it, every address made absolute,
 * and each library image pointed at its attachment's address, which WordPress's importer rewrites to
 * the copy it makes.
 */
function exportedHtml(markdown: string, site: ExportSite, ids: PostIds): string {
  // wpautop makes a newline after a `<br>` a second line break: the break is kept, the newline dropped.
  return renderMarkdown(markdown)
    .replaceAll('<br>\n', '<br>')
    .replace(/(\s(?:href|src)=")(\/(?!\/)[^"]*)"/g, (_, attribute, path) => {
      const hash = mediaHashOf(path);
      const image = hash && ids.libraryImage(hash);
      return `${attribute}${image ? image.url : `${site.url}${path}`}"`;
    });
}

interface Item {
  title: string;
  link: string;
  creator: string;
  content: string;
  excerpt: string;
  id: number;
  /** The publication (or creation) time; `dated` false writes WordPress's "never" as its GMT date. */
  at: number;
  dated: boolean;
  modified: number;
  commentsOpen: boolean;
  name: string;
  status: string;
  parent: number;
  menuOrder: number;
  type: string;
  extra?: string;
}

function item(site: ExportSite, post: Item): string {
  return `\t<item>
\t\t<title>${cdata(post.title)}</title>
\t\t<link>${escapeXml(post.link)}</link>
\t\t<pubDate>${rfc2822(post.at)}</pubDate>
\t\t<dc:creator>${cdata(post.creator)}</dc:creator>
\t\t<guid isPermaLink="false">${escapeXml(`${site.url}/?p=${post.id}`)}</guid>
\t\t<description></description>
\t\t<content:encoded>${cdata(post.content)}</content:encoded>
\t\t<excerpt:encoded>${cdata(post.excerpt)}</excerpt:encoded>
\t\t<wp:post_id>${post.id}</wp:post_id>
\t\t${element('wp:post_date', wallClockText(new Date(post.at), site.timeZone))}
\t\t${element('wp:post_date_gmt', post.dated ? gmt(post.at) : NEVER)}
\t\t${element('wp:post_modified', wallClockText(new Date(post.modified), site.timeZone))}
\t\t${element('wp:post_modified_gmt', gmt(post.modified))}
\t\t${element('wp:comment_status', post.commentsOpen ? 'open' : 'closed')}
\t\t${element('wp:ping_status', 'closed')}
\t\t${element('wp:post_name', post.name)}
\t\t${element('wp:status', post.status)}
\t\t<wp:post_parent>${post.parent}</wp:post_parent>
\t\t<wp:menu_order>${post.menuOrder}</wp:menu_order>
\t\t${element('wp:post_type', post.type)}
\t\t${element('wp:post_password', '')}
\t\t<wp:is_sticky>0</wp:is_sticky>
${post.extra ?? ''}\t</item>
`;
}

/**
 * The tags in an order WordPress's importer takes each as itself: it looks a tag up by its slug, then
 * by its name (case aside), so a tag whose slug is another tag's name (`markup` beside `markup-2`
 * named “markup”, as an import can make) comes first, or it would be taken for that other tag.
 */
function importableOrder<Tag extends { slug: string; name: string }>(tags: Tag[]): Tag[] {
  const names = new Set(tags.map((tag) => tag.name.toLowerCase()));
  const named = (tag: Tag) => names.has(tag.slug.toLowerCase());
  return [...tags.filter(named), ...tags.filter((tag) => !named(tag))];
}

/** The file's start: the channel, its authors, categories, tags and the navigation's menu term. */
export function wxrHead(site: ExportSite, rows: SiteRows): string {
  const top = rows.top[0]?.sections ?? 0;
  return `<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by edgepress as an export of ${escapeXml(site.url)}. -->
<!-- To import it into WordPress: Tools → Import → WordPress, then upload this file. -->
<!-- generator="edgepress" created="${gmt(site.now.getTime())}" -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>${escapeXml(site.name)}</title>
\t<link>${escapeXml(site.url)}</link>
\t<description></description>
\t<pubDate>${rfc2822(site.now.getTime())}</pubDate>
\t<language>en</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>${escapeXml(site.url)}</wp:base_site_url>
\t<wp:base_blog_url>${escapeXml(site.url)}</wp:base_blog_url>
${rows.authors
  .map(
    (author) =>
      `\t<wp:author><wp:author_id>${author.id}</wp:author_id>${element('wp:author_login', author.slug)}${element('wp:author_email', '')}${element('wp:author_display_name', author.name)}${element('wp:author_first_name', '')}${element('wp:author_last_name', '')}</wp:author>\n`,
  )
  .join('')}${rows.sections
  .map(
    (section) =>
      `\t<wp:category><wp:term_id>${section.id}</wp:term_id>${element('wp:category_nicename', section.slug)}${element('wp:category_parent', '')}${element('wp:cat_name', section.name)}${element('wp:category_description', section.description)}</wp:category>\n`,
  )
  .join('')}${importableOrder(rows.tags)
  .map(
    (tag) =>
      `\t<wp:tag><wp:term_id>${top + tag.id}</wp:term_id>${element('wp:tag_slug', tag.slug)}${element('wp:tag_name', tag.name)}</wp:tag>\n`,
  )
  .join('')}${
  navigationLinks(rows).length > 0
    ? `\t<wp:term><wp:term_id>${top + (rows.tags.at(-1)?.id ?? 0) + 1}</wp:term_id>${element('wp:term_taxonomy', 'nav_menu')}${element('wp:term_slug', NAVIGATION_MENU.slug)}${element('wp:term_name', NAVIGATION_MENU.name)}</wp:term>\n`
    : ''
}\t<generator>https://github.com/edgepress</generator>
`;
}

export const WXR_END = '</channel>\n</rss>\n';

/** Static pages as WordPress pages; their place in the navigation is their menu order. */
export function pageItems(site: ExportSite, rows: SiteRows, ids: PostIds, creator: string): string {
  return rows.pages
    .map((page) =>
      item(site, {
        title: page.title,
        link: `${site.url}${staticPagePath(page.slug)}`,
        creator,
        content: exportedHtml(page.body_markdown, site, ids),
        excerpt: '',
        id: ids.page(page.id),
        at: page.created_at,
        dated: page.status === 'published',
        modified: page.updated_at,
        commentsOpen: false,
        name: page.slug,
        status: page.status === 'published' ? 'publish' : 'draft',
        parent: 0,
        menuOrder: page.nav_position ?? 0,
        type: 'page',
      }),
    )
    .join('');
}

/** The media library and the heroes kept elsewhere as attachments, each under the first article it is the hero of. */
export function attachmentItems(site: ExportSite, rows: SiteRows, ids: PostIds, creator: string): string {
  const attachment = (hero: { url: string; alt: string; credit: string; at: number; article: number }) => {
    const id = ids.hero(hero.url)!;
    const address = mediaHashOf(hero.url) ? ids.libraryImage(mediaHashOf(hero.url)!)!.url : hero.url;
    return item(site, {
      title: hero.alt || `Image ${id}`,
      link: address,
      creator,
      content: '',
      excerpt: hero.credit,
      id,
      at: hero.at,
      dated: true,
      modified: hero.at,
      commentsOpen: false,
      name: `image-${id}`,
      status: 'inherit',
      parent: hero.article ?? 0,
      menuOrder: 0,
      type: 'attachment',
      extra: `\t\t<wp:attachment_url>${escapeXml(address)}</wp:attachment_url>\n${meta('_wp_attachment_image_alt', hero.alt)}`,
    });
  };
  return [
    ...rows.media.map((row) =>
      attachment({
        url: variantPath(row.hash, row.width),
        alt: row.alt,
        credit: row.credit,
        at: row.created_at,
        article: ids.libraryImage(row.hash)!.article,
      }),
    ),
    ...ids.outsideHeroes.map((hero) => attachment({ ...hero, at: hero.created_at, article: hero.article_id })),
  ].join('');
}

const NAVIGATION_MENU = { slug: 'navigation', name: 'Navigation' };

/** The header's links in their order: sections, then the static pages in the navigation. */
function navigationLinks(rows: SiteRows) {
  return [
    ...rows.sections.map((section) => ({ kind: 'section' as const, id: section.id, title: section.name })),
    ...rows.pages
      .filter((page) => page.status === 'published' && page.nav_position !== null)
      .sort((a, b) => a.nav_position! - b.nav_position! || a.title.localeCompare(b.title))
      .map((page) => ({ kind: 'page' as const, id: page.id, title: page.title })),
  ];
}

/** The navigation as a WordPress menu: a section is a category link, a page a page link. */
export function menuItems(site: ExportSite, rows: SiteRows, ids: PostIds, creator: string): string {
  const sections = new Map(rows.sections.map((section) => [section.id, section]));
  const pages = new Map(rows.pages.map((page) => [page.id, page]));
  return navigationLinks(rows)
    .map((link, index) => {
      const id = ids.menuItem(index);
      const object =
        link.kind === 'section'
          ? {
              type: 'taxonomy',
              object: 'category',
              objectId: link.id,
              url: `${site.url}${sectionPath(sections.get(link.id)!.slug)}`,
            }
          : {
              type: 'post_type',
              object: 'page',
              objectId: ids.page(link.id),
              url: `${site.url}${staticPagePath(pages.get(link.id)!.slug)}`,
            };
      return item(site, {
        title: link.title,
        link: `${site.url}/?p=${id}`,
        creator,
        content: '',
        excerpt: '',
        id,
        at: site.now.getTime(),
        dated: true,
        modified: site.now.getTime(),
        commentsOpen: false,
        name: `navigation-${index + 1}`,
        status: 'publish',
        parent: 0,
        menuOrder: index + 1,
        type: 'nav_menu_item',
        extra: `\t\t<category domain="nav_menu" nicename="${NAVIGATION_MENU.slug}">${cdata(NAVIGATION_MENU.name)}</category>\n${[
          meta('_menu_item_type', object.type),
          meta('_menu_item_menu_item_parent', 0),
          meta('_menu_item_object_id', object.objectId),
          meta('_menu_item_object', object.object),
          meta('_menu_item_target', ''),
          meta('_menu_item_classes', 'a:1:{i:0;s:0:"";}'),
          meta('_menu_item_xfn', ''),
          meta('_menu_item_url', object.url),
        ].join('')}`,
      });
    })
    .join('');
}

const COMMENT_APPROVED: Record<string, string> = { approved: '1', pending: '0', spam: 'spam', deleted: 'trash' };

function commentElement(site: ExportSite, comment: CommentRow): string {
  const removed = comment.removal !== null;
  const approved = removed ? 'trash' : (COMMENT_APPROVED[comment.status] ?? '0');
  return `\t\t<wp:comment>
\t\t\t<wp:comment_id>${comment.id}</wp:comment_id>
\t\t\t${element('wp:comment_author', comment.author_name)}
\t\t\t${element('wp:comment_author_email', comment.author_email)}
\t\t\t${element('wp:comment_author_url', comment.source_url ?? '')}
\t\t\t${element('wp:comment_author_IP', '')}
\t\t\t${element('wp:comment_date', wallClockText(new Date(comment.created_at), site.timeZone))}
\t\t\t${element('wp:comment_date_gmt', gmt(comment.created_at))}
\t\t\t${element('wp:comment_content', htmlText(comment.body))}
\t\t\t${element('wp:comment_approved', approved)}
\t\t\t${element('wp:comment_type', comment.source_url ? 'webmention' : 'comment')}
\t\t\t<wp:comment_parent>${comment.parent_id ?? 0}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
`;
}

/** What WordPress calls an article's status: a published one not yet due is `future`. */
function postStatus(article: ArticleRow, now: Date): string {
  if (article.status !== 'published' || article.published_at === null) return 'draft';
  return article.published_at > now.getTime() ? 'future' : 'publish';
}

function byArticle<Row extends { article_id: number }>(rows: Row[]): Map<number, Row[]> {
  const grouped = new Map<number, Row[]>();
  for (const row of rows) grouped.set(row.article_id, [...(grouped.get(row.article_id) ?? []), row]);
  return grouped;
}

/** One page of articles as posts, with their section, tags, hero and comments. */
export function articleItems(site: ExportSite, page: ArticlePage, ids: PostIds): string {
  const tags = byArticle(page.tags);
  const comments = byArticle(page.comments);
  return page.articles
    .map((article) => {
      const status = postStatus(article, site.now);
      const hero = ids.hero(article.hero_image_url);
      const publishedAt = article.published_at === null ? null : new Date(article.published_at);
      return item(site, {
        title: article.headline,
        link:
          status === 'draft'
            ? `${site.url}/?p=${article.id}`
            : `${site.url}${articlePath({ slug: article.slug, publishedAt }, site.timeZone)}`,
        creator: article.author,
        content: exportedHtml(article.body_markdown, site, ids),
        excerpt: htmlText(article.standfirst),
        id: ids.article(article.id),
        at: article.published_at ?? article.created_at,
        dated: status !== 'draft',
        modified: article.updated_at,
        commentsOpen: !article.comments_closed,
        name: article.slug,
        status,
        parent: 0,
        menuOrder: 0,
        type: 'post',
        extra: [
          `\t\t<category domain="category" nicename="${escapeXml(article.section)}">${cdata(article.section_name)}</category>\n`,
          ...(tags.get(article.id) ?? []).map(
            (tag) =>
              `\t\t<category domain="post_tag" nicename="${escapeXml(tag.slug)}">${cdata(tag.name)}</category>\n`,
          ),
          hero === undefined ? '' : meta('_thumbnail_id', hero),
          ...(comments.get(article.id) ?? []).map((comment) => commentElement(site, comment)),
        ].join(''),
      });
    })
    .join('');
}
