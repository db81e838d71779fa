/**
 * A Ghost export (read by ghost.ts) as what edgepress stores: the same plan as a WordPress export's,
 * so importStatements writes it. Posts become articles, pages static pages; a post's first public tag
 * is its section and its other public tags are tags; internal tags (`#…`) are left out; the featured
 * image is the hero, by its address; members come onto the newsletter only with the consent the export
 * records.
 */
import { normaliseEmail } from '../lib/email.ts';
import { authorPath, feedPath, oldAddressKey, sectionPath, tagPath } from '../paths.ts';
import type { Ghost, GhostPost, GhostTag } from './ghost.ts';
import { lexicalToHtml, mobiledocToHtml } from './ghost-content.ts';
import {
  type ArticleStatus,
  claim,
  type OldAddress,
  oneLine,
  type Plan,
  type PlannedArticle,
  type PlannedPage,
  type PlannedSubscriber,
  type Skipped,
  slugOf,
  UNCATEGORIZED,
} from './wordpress-import.ts';
import { type Removed, wordpressToMarkdown } from './wordpress-markup.ts';

/** Ghost's statuses: `sent` is an email-only post, never on the site. */
const STATUS: Record<string, ArticleStatus | undefined> = {
  published: 'published',
  scheduled: 'published',
  draft: 'draft',
  sent: 'draft',
};

export const GHOST_SOURCE = 'ghost';

export interface GhostOptions {
  /** Where `__GHOST_URL__` (the old site, in Ghost 4 and later) points: `--media-from`; default: a path here. */
  mediaBase?: string;
}

/** The post's body as HTML: Ghost's own rendering when the export has it, else rendered from what the editor wrote. */
function bodyHtml(post: GhostPost, removed: Removed): string {
  if (post.html) return post.html;
  if (post.lexical) return lexicalToHtml(post.lexical, removed);
  if (post.mobiledoc) return mobiledocToHtml(post.mobiledoc, removed);
  return '';
}

const isInternal = (tag: GhostTag) => tag.visibility === 'internal' || tag.name.startsWith('#');

/** `__GHOST_URL__` (the old site, in Ghost 4 and later) in `url` pointed at `mediaBase`. */
const onSite = (url: string, mediaBase = '') => url.replaceAll('__GHOST_URL__', mediaBase.replace(/\/+$/, ''));

/** The post's body as Markdown, its addresses on the old site; undefined when its mobiledoc or lexical is not JSON. */
function ghostMarkdown(post: GhostPost, { mediaBase }: GhostOptions, removed: Removed): string | undefined {
  try {
    return wordpressToMarkdown(onSite(bodyHtml(post, removed), mediaBase), removed).markdown;
  } catch {
    return undefined;
  }
}

/** A post as planning reads it: everything but its body, of which its Markdown (undefined when it cannot be read). */
export type GhostOutlinePost = Omit<GhostPost, 'html' | 'mobiledoc' | 'lexical'> & { markdown: string | undefined };
export type GhostOutline = Omit<Ghost, 'posts'> & { posts: GhostOutlinePost[] };

const MARKDOWN_IMAGE = /!\[(?:[^\]\\]|\\.)*\]\([^)\s]+\)/g;

/**
 * What planning keeps of a post read from a large export: its body reduced to the images it shows
 * (all that planning reads of it: they are fetched into the library); the body itself is read again
 * when it is written (`ghostContent`). What its body loses is counted in `removed`.
 */
export function ghostPostOutline(post: GhostPost, options: GhostOptions, removed: Removed): GhostOutlinePost {
  const markdown = ghostMarkdown(post, options, removed);
  return {
    ...withoutBody(post),
    markdown: markdown && [...markdown.matchAll(MARKDOWN_IMAGE)].map(([image]) => image).join('\n\n'),
  };
}

const withoutBody = ({ html: _html, mobiledoc: _mobiledoc, lexical: _lexical, ...rest }: GhostPost) => rest;

/** The plan for a Ghost export read whole. */
export function planGhostImport(ghost: Ghost, options: GhostOptions = {}): Plan {
  const removed: Removed = {};
  const posts = ghost.posts.map((post) => ({ ...withoutBody(post), markdown: ghostMarkdown(post, options, removed) }));
  return planGhostOutline({ ...ghost, posts }, options, removed);
}

/**
 * The plan for a Ghost export from its outline: everything but the bodies of articles and pages,
 * which are the outline's (the whole body read whole, its images from a large export). What bodies
 * lost when the outline was made is in `removed`, and what the plan drops is added to it.
 */
export function planGhostOutline(
  ghost: GhostOutline,
  { mediaBase = '' }: GhostOptions = {},
  removed: Removed = {},
): Plan {
  const source = GHOST_SOURCE;
  const skipped: Skipped[] = [];
  const site = (url: string) => onSite(url, mediaBase);
  const byPost = <Row extends { post_id: string; sort_order: number }>(rows: Row[]) => {
    const grouped = new Map<string, Row[]>();
    for (const row of rows) {
      const list = grouped.get(row.post_id);
      if (list) list.push(row);
      else grouped.set(row.post_id, [row]);
    }
    for (const list of grouped.values()) list.sort((a, b) => a.sort_order - b.sort_order);
    return (postId: string) => grouped.get(postId) ?? [];
  };
  const postTagsOf = byPost(ghost.posts_tags);
  const postAuthorsOf = byPost(ghost.posts_authors);

  const users = new Map(ghost.users.map((user) => [user.id, user]));
  const authors: Plan['authors'] = [];
  const authorFor = (userId: string | undefined) => {
    // A post with none named (a draft, Ghost 2) is the first user's, the site's owner.
    const user = (userId === undefined ? undefined : users.get(userId)) ?? ghost.users[0];
    const slug = slugOf(user?.slug ?? 'ghost', user?.name ?? '', 'ghost');
    if (!authors.some((author) => author.slug === slug)) authors.push({ slug, name: user?.name || slug, login: slug });
    return slug;
  };
  const tagsById = new Map(ghost.tags.map((tag) => [tag.id, tag]));
  const sections: Plan['sections'] = [];
  const tagNames = new Map<string, string>();
  const meta = new Map(ghost.posts_meta.map((row) => [row.post_id, row]));

  const articles: PlannedArticle[] = [];
  const pages: PlannedPage[] = [];
  const articleSlugs = new Set<string>();
  const pageSlugs = new Set<string>();
  const addresses: OldAddress[] = [];
  const addressed = new Set<string>();
  const address = (path: string, target: Omit<OldAddress, 'path'>) => {
    const key = oldAddressKey(path);
    if (key !== '/' && key !== target.targetPath && !addressed.has(key)) {
      addressed.add(key);
      addresses.push({ path: key, ...target });
    }
  };

  for (const post of ghost.posts) {
    const what = `Ghost ${post.type ?? (post.page ? 'page' : 'post')} ${post.id} “${oneLine(post.title, 60)}”`;
    const isPage = post.type === 'page' || (!post.type && post.page);
    let status = STATUS[post.status];
    if (!status) {
      skipped.push({ what, reason: `status “${post.status}”: not imported` });
      continue;
    }
    if (post.visibility !== 'public' && status === 'published') {
      // Members-only and paid posts are not made free here: an editor decides.
      skipped.push({ what, reason: `visible to “${post.visibility}” in Ghost: imported as a draft` });
      status = 'draft';
    }
    const markdown = post.markdown;
    if (markdown === undefined) {
      skipped.push({ what, reason: 'its mobiledoc or lexical is not valid JSON: not imported' });
      continue;
    }
    const key = `${source}:${isPage ? 'page' : 'post'}:${post.id}`;
    const title = oneLine(post.title, 200) || `Untitled ${post.id}`;
    address(`/${post.slug}/`, { sourceKey: key });
    if (isPage) {
      pages.push({
        key,
        slug: claim(slugOf(post.slug, post.title, `page-${post.id}`), pageSlugs),
        title,
        bodyMarkdown: markdown || ' ',
        status,
        navPosition: null,
      });
      continue;
    }
    if (status === 'published' && !post.published_at) {
      skipped.push({ what, reason: 'published, but with no date' });
      continue;
    }
    const postTags = postTagsOf(post.id)
      .map((row) => tagsById.get(row.tag_id))
      .filter((tag): tag is GhostTag => tag !== undefined);
    const [primary, ...others] = postTags.filter((tag) => !isInternal(tag));
    const sectionSlug = primary ? slugOf(primary.slug, primary.name, UNCATEGORIZED.slug) : UNCATEGORIZED.slug;
    if (!sections.some((section) => section.slug === sectionSlug)) {
      sections.push(
        primary
          ? { slug: sectionSlug, name: primary.name, description: oneLine(primary.description, 500), parent: '' }
          : UNCATEGORIZED,
      );
    }
    const tags = others
      .map((tag) => ({ slug: slugOf(tag.slug, tag.name, ''), name: tag.name }))
      .filter((tag, index, all) => tag.slug && all.findIndex((other) => other.slug === tag.slug) === index);
    for (const tag of tags) if (!tagNames.has(tag.slug)) tagNames.set(tag.slug, tag.name);
    const [firstAuthor] = postAuthorsOf(post.id);
    const image = meta.get(post.id);
    articles.push({
      key,
      slug: claim(slugOf(post.slug, post.title, `post-${post.id}`), articleSlugs),
      headline: title,
      standfirst: oneLine(post.custom_excerpt, 500),
      bodyMarkdown: markdown || ' ',
      status,
      publishedAt: status === 'published' ? post.published_at!.getTime() : null,
      authorSlug: authorFor(firstAuthor?.author_id ?? post.author_id ?? undefined),
      sectionSlug,
      tags: tags.map((tag) => ({ slug: tag.slug, name: tagNames.get(tag.slug)! })),
      ...(post.feature_image && {
        hero: {
          url: site(post.feature_image),
          alt: oneLine(image?.feature_image_alt ?? '', 500),
          credit: oneLine(wordpressToMarkdown(image?.feature_image_caption ?? '', removed).markdown, 500),
        },
      }),
    });
  }

  // Ghost's default addresses for listings and feeds: /tag/x/, /author/x/, /rss/ and theirs.
  const listing = (path: string, target: string | undefined, unmapped: string[]) => {
    if (!target) unmapped.push(path);
    else {
      address(path, { targetPath: target });
      address(`${path}rss/`, { targetPath: feedPath('rss', target) });
    }
  };
  const unmapped: string[] = [];
  const sectionSlugs = new Set(articles.map((article) => article.sectionSlug));
  for (const tag of ghost.tags.filter((tag) => !isInternal(tag))) {
    const ours = slugOf(tag.slug, tag.name, '');
    const target = sectionSlugs.has(ours) ? sectionPath(ours) : tagNames.has(ours) ? tagPath(ours) : undefined;
    listing(`/tag/${tag.slug}/`, target, unmapped);
  }
  const withArticles = new Set(articles.map((article) => article.authorSlug));
  for (const user of ghost.users) {
    const ours = slugOf(user.slug, user.name, '');
    listing(`/author/${user.slug}/`, withArticles.has(ours) ? authorPath(ours) : undefined, unmapped);
  }
  address('/rss/', { targetPath: feedPath('rss') });

  return {
    source,
    authors,
    sections,
    tags: [...tagNames].map(([slug, name]) => ({ slug, name })),
    articles,
    pages,
    comments: [],
    addresses,
    unmapped: unmapped.map((path) => oldAddressKey(path)),
    skipped,
    removed,
    subscribers: planSubscribers(ghost, skipped),
  };
}

/**
 * The articles and pages a full post makes, its body read (its addresses on the old site), as the
 * plan from its outline has them.
 */
export function ghostContent(plan: Pick<Plan, 'articles' | 'pages'>, options: GhostOptions) {
  const articles = new Map(plan.articles.map((article) => [article.key, article]));
  const pages = new Map(plan.pages.map((page) => [page.key, page]));
  return (post: GhostPost): Pick<Plan, 'articles' | 'pages' | 'comments'> => {
    const article = articles.get(`${GHOST_SOURCE}:post:${post.id}`);
    const page = pages.get(`${GHOST_SOURCE}:page:${post.id}`);
    if (!article && !page) return { articles: [], pages: [], comments: [] };
    const bodyMarkdown = ghostMarkdown(post, options, {}) || ' ';
    return {
      articles: article ? [{ ...article, bodyMarkdown }] : [],
      pages: page ? [{ ...page, bodyMarkdown }] : [],
      comments: [],
    };
  };
}

/**
 * Members with the consent the export records: Ghost 5 and later, a newsletter in
 * members_newsletters and email not disabled; Ghost 3 and 4, `subscribed`. Ghost 2 recorded none, so
 * its members are not subscribed here.
 */
function planSubscribers(ghost: GhostOutline, skipped: Skipped[]): PlannedSubscriber[] {
  const withNewsletter = ghost.members_newsletters && new Set(ghost.members_newsletters.map((row) => row.member_id));
  const subscribers: PlannedSubscriber[] = [];
  for (const member of ghost.members) {
    const consented = withNewsletter
      ? withNewsletter.has(member.id) && !member.email_disabled
      : member.subscribed === true;
    if (!consented) {
      skipped.push({ what: `Ghost member ${member.id}`, reason: 'not subscribed to a newsletter there: not added' });
      continue;
    }
    subscribers.push({
      email: normaliseEmail(member.email.trim()),
      since: (member.created_at ?? new Date(0)).getTime(),
    });
  }
  return subscribers;
}
