import { yearMonth } from './lib/dates';

/** The route pattern of an article's address (see `articlePath`). */
export const ARTICLE_PATH = '/:year{[0-9]{4}}/:month{[0-9]{2}}/:slug{[a-z0-9-]+}';
/** The route pattern of an article's Markdown (see `articleMarkdownPath`): Hono's router takes no text after a parameter, so `.md` is part of it. */
export const ARTICLE_MARKDOWN_PATH = '/:year{[0-9]{4}}/:month{[0-9]{2}}/:file{[a-z0-9-]+\\.md}';

/** The stable, readable URL of a published article: /2010/11/russia-eyes-korean-peninsula */
export function articlePath(article: { slug: string; publishedAt: Date | null }, timeZone: string): string {
  if (!article.publishedAt) return `/drafts/${article.slug}`;
  const { year, month } = yearMonth(article.publishedAt, timeZone);
  return `/${year}/${month}/${article.slug}`;
}

/**
 * A static page's address, one segment at the top: `/about`. Its route comes after every other, and a
 * slug that is the first segment of another address (RESERVED_PAGE_SLUGS) or all digits (a year) is refused.
 */
export const staticPagePath = (slug: string) => `/${slug}`;
/** The first segments of the site's other addresses, which a static page may not take. */
export const RESERVED_PAGE_SLUGS = [
  'account',
  'admin',
  'api',
  'author',
  'category',
  'comments',
  'drafts',
  'feed',
  'healthz',
  'media',
  'newsletter',
  'page',
  'privacy',
  'search',
  'section',
  'sitemaps',
  'tag',
  'webmention',
] as const;
/** A slug, never a reserved one: `/webmention` answers GET with 405 (only POST), not a page's 404. */
export const STATIC_PAGE_PATH: `/:slug{${string}}` = `/:slug{(?!(?:${RESERVED_PAGE_SLUGS.join('|')})$)[a-z0-9]+(?:-[a-z0-9]+)*}`;

export const sectionPath = (slug: string) => `/section/${slug}`;
export const tagPath = (slug: string) => `/tag/${slug}`;
export const authorPath = (slug: string) => `/author/${slug}`;

/** `path` (which may carry a query already, e.g. a search) with `page=N` for every page after the first. */
export function pagePath(path: string, page: number): string {
  if (page <= 1) return path;
  return `${path}${path.includes('?') ? '&' : '?'}page=${page}`;
}

export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];
const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

/**
 * `/feed.xml` (RSS 2.0), `/atom.xml` or `/feed.json` (JSON Feed 1.1), site-wide or under a listing's
 * path (a section's, a tag's or an author's): `/section/security/atom.xml`, `/tag/nuclear/feed.json`.
 */
export function feedPath(format: FeedFormat, listingPath = ''): string {
  return `${listingPath}/${FEED_FILES[format]}`;
}

/** An article's Markdown: its address with `.md` appended (`/2010/11/russia-eyes-korean-peninsula.md`). */
export const articleMarkdownPath = (articlePagePath: string) => `${articlePagePath}.md`;

/** The site for language models (llmstxt.org): its sections and latest articles, each a link to its Markdown. */
export const LLMS_TXT_PATH = '/llms.txt';

/** The Atom feed of one article's comments (`/2010/11/slug/comments/atom.xml`), or of the latest comments site-wide. */
export const commentFeedPath = <Path extends string = ''>(articlePagePath?: Path) =>
  `${articlePagePath ?? ''}/comments/atom.xml` as `${Path}/comments/atom.xml`;

/** A member's account page, and where readers sign in (or up) by an emailed link. */
export const ACCOUNT_PATH = '/account';
export const ACCOUNT_SIGN_IN_PATH = `${ACCOUNT_PATH}/sign-in`;
/** Paid access: where a reader subscribes to read paid articles (the tiers and their Checkout), a member's Stripe Customer Portal, gifts bought and redeemed. */
export const SUBSCRIBE_PATH = '/subscribe';
export const MANAGE_SUBSCRIPTION_PATH = `${ACCOUNT_PATH}/subscription`;
export const GIFT_PATH = '/gift';
export const GIFT_REDEEM_PATH = `${GIFT_PATH}/redeem`;

/** What the site stores about readers, and where they get or erase it. */
export const PRIVACY_PATH = '/privacy';

/** The sitemap index (sitemaps.org): it names the sitemap files below, each of at most `SITEMAP_URLS_PER_FILE` addresses. */
export const SITEMAP_PATH = '/sitemap.xml';
/** Google's limit of addresses in one sitemap file (and 50 MB, which 50,000 addresses stay far below). */
export const SITEMAP_URLS_PER_FILE = 50_000;
/** Home, sections, authors and the newsletter's archive: a few hundred addresses at most. */
export const PAGES_SITEMAP_PATH = '/sitemaps/pages.xml';
/** Articles published in the last two days, for Google News. */
export const NEWS_SITEMAP_PATH = '/sitemaps/news.xml';
export const SITEMAP_FILE_KINDS = ['articles', 'tags'] as const;
export type SitemapFileKind = (typeof SITEMAP_FILE_KINDS)[number];
/**
 * Articles and tags are split by id: part N holds ids (N-1)·perFile+1 to N·perFile, so a row stays in
 * its part for good and a change purges one file.
 */
export const sitemapPart = (id: number, perFile = SITEMAP_URLS_PER_FILE) => Math.ceil(id / perFile);
export const sitemapFilePath = (kind: SitemapFileKind, part: number) => `/sitemaps/${kind}-${part}.xml`;

/** The newsletter's signup form and its archive of past issues. */
export const NEWSLETTER_PATH = '/newsletter';
export const newsletterIssuePath = (number: number) => `${NEWSLETTER_PATH}/issues/${number}`;
export const NEWSLETTER_FEED_PATH = `${NEWSLETTER_PATH}/issues/atom.xml`;
export const SEARCH_PATH = '/search';
/** Where other sites send Webmentions (www.w3.org/TR/webmention/), advertised on every article. */
export const WEBMENTION_PATH = '/webmention';

/** An article as an ActivityPub object (src/fediverse), by its id: a new slug keeps it. */
export const fediverseArticlePath = (id: number) => `/ap/articles/${id}`;
/** An actor's handle on the fediverse, `@name@host`: the publication's (FEDIVERSE_HANDLE) or an author's slug. */
export const fediverseHandle = (identifier: string, siteUrl: string) => `@${identifier}@${new URL(siteUrl).host}`;

/** A site path as an absolute URL on the public site (SITE_URL), for canonical links, feeds and sitemaps. */
export function absoluteUrl(siteUrl: string, path: string): string {
  return new URL(path, `${siteUrl}/`).href;
}

/** The query parameters by which WordPress names a post, page or listing (`/?p=42`): kept in the key, the others not. */
const NAMING_PARAMETERS = ['p', 'page_id', 'cat', 'tag', 'author', 'feed'];

/**
 * An address as the old-address table keys it: the path without its trailing slash (`/2010/11/slug`),
 * and only the naming parameters of its query, sorted (`/?p=42`). Undefined for a path with none of
 * the form old addresses take.
 */
export function oldAddressKey(pathname: string, search: URLSearchParams | string = ''): string {
  const params = new URLSearchParams(search);
  const kept = NAMING_PARAMETERS.filter((name) => params.get(name)).map((name) => `${name}=${params.get(name)}`);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return kept.length > 0 ? `${path || '/'}?${kept.join('&')}` : path || '/';
}

/** Whether a request to `/` carries a parameter by which an old address named a post or page. */
export const namesOldAddress = (search: URLSearchParams) => NAMING_PARAMETERS.some((name) => search.get(name));

/** The publisher's logo (public/logo.png, 512×512). */
export const LOGO_PATH = '/logo.png';
/** The site's own sharing image (public/share.jpg, 1200×630): an article's without a hero, the fediverse actors' header. */
export const DEFAULT_SHARE_IMAGE = '/share.jpg';
