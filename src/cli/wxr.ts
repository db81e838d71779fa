/**
 * Reads a WordPress export (WXR 1.0, 1.1, 1.2) into plain records, as real exports are: the `wp:`
 * namespace under http:// or https://, CDATA split across sections, any prefix bound to the right
 * namespace (and a `wp:` prefix bound elsewhere ignored). Serialized PHP in meta is never unserialized.
 */
import { childElements, ownText, type XmlElement, XmlError, XmlReader } from './xml-reader';

const WP = /^https?:\/\/wordpress\.org\/export\/(1\.[012])\/$/;
const EXCERPT = /^https?:\/\/wordpress\.org\/export\/1\.[012]\/excerpt\/$/;
const CONTENT = /^https?:\/\/purl\.org\/rss\/1\.0\/modules\/content\/$/;
const DC = /^https?:\/\/purl\.org\/dc\/elements\/1\.1\/$/;
const isWp = (uri: string) => WP.test(uri);
const plain = (uri: string) => uri === '';

export const WXR_VERSIONS = ['1.0', '1.1', '1.2'] as const;

export interface WxrAuthor {
  login: string;
  email: string;
  displayName: string;
}
export interface WxrTerm {
  /** `wp:term_id` (0 when the export has none), by which a menu item names a category. */
  id: number;
  slug: string;
  name: string;
  /** The parent's slug, for categories; '' at the top. */
  parent: string;
  description: string;
}
export interface WxrComment {
  id: number;
  parentId: number;
  author: string;
  email: string;
  url: string;
  ip: string;
  /** The comment's time in UTC (`comment_date_gmt`; `comment_date` when that is empty). */
  date: Date | undefined;
  content: string;
  /** '1', '0', 'spam', 'trash'… as WordPress stores it. */
  approved: string;
  /** '' for a comment; 'pingback', 'trackback' or another type. */
  type: string;
}
export interface WxrItem {
  id: number;
  title: string;
  link: string;
  creator: string;
  content: string;
  excerpt: string;
  /** The publication time in UTC (`post_date_gmt`, else `pubDate`); undefined for a draft never dated. */
  date: Date | undefined;
  name: string;
  status: string;
  type: string;
  parent: number;
  menuOrder: number;
  categories: { slug: string; name: string }[];
  tags: { slug: string; name: string }[];
  /** The menus a `nav_menu_item` belongs to. */
  menus: { slug: string; name: string }[];
  comments: WxrComment[];
  meta: Record<string, string>;
  /** An attachment's file (`wp:attachment_url`, else its `guid`); '' for other items. */
  attachmentUrl: string;
  /** Where the item starts in the file, for messages. */
  line: number;
}
export interface Wxr {
  version: (typeof WXR_VERSIONS)[number];
  title: string;
  link: string;
  baseSiteUrl: string;
  baseBlogUrl: string;
  authors: WxrAuthor[];
  categories: WxrTerm[];
  tags: WxrTerm[];
  items: WxrItem[];
}

/** A file that is XML but not a WordPress export we can read. */
export class WxrError extends Error {}

/** `2010-11-23 14:05:00` as UTC; undefined for WordPress's "never" (`0000-00-00 00:00:00`) or a malformed value. */
function gmtDate(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match || match[1] === '0000') return undefined;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** An export's channel without its items: what it says before them (kept while the items are read one by one). */
export type WxrHeader = Omit<Wxr, 'items'>;

const field = (element: XmlElement, test: (uri: string) => boolean, local: string) =>
  ownText(childElements(element, test, local)[0]);
const wp = (element: XmlElement, local: string) => field(element, isWp, local);

/** What the channel says about the export (its items aside); throws a WxrError or XmlError if it is not one we read. */
function readHeader(root: XmlElement, channel: XmlElement | undefined): WxrHeader {
  if (root.local !== 'rss' || root.ns !== '') {
    throw new WxrError(`this is XML, but its root is <${root.local}>, not a WordPress export's <rss>`);
  }
  if (!channel) throw new WxrError('this RSS file has no <channel>');
  const declared = childElements(channel, isWp, 'wxr_version')[0];
  const namespaceVersion = childElements(channel, isWp).map((element) => WP.exec(element.ns)?.[1])[0];
  if (!declared && !namespaceVersion) {
    throw new WxrError('an RSS file, but not a WordPress export: it has no wp: elements (WXR namespace)');
  }
  const version = (declared ? ownText(declared).trim() : namespaceVersion!) as Wxr['version'];
  if (!WXR_VERSIONS.includes(version)) {
    throw new XmlError(
      `unknown WXR version “${version}” (this reads 1.0, 1.1 and 1.2)`,
      declared!.line,
      declared!.column,
    );
  }
  const term = (element: XmlElement, slug: string, name: string, parent: string, description: string): WxrTerm => ({
    id: Number(wp(element, 'term_id')) || 0,
    slug: wp(element, slug).trim(),
    name: wp(element, name).trim(),
    parent: parent ? wp(element, parent).trim() : '',
    description: wp(element, description).trim(),
  });
  return {
    version,
    title: field(channel, plain, 'title').trim(),
    link: field(channel, plain, 'link').trim(),
    baseSiteUrl: wp(channel, 'base_site_url').trim(),
    baseBlogUrl: wp(channel, 'base_blog_url').trim(),
    authors: childElements(channel, isWp, 'author').map((author) => ({
      login: wp(author, 'author_login').trim(),
      email: wp(author, 'author_email').trim(),
      displayName: wp(author, 'author_display_name').trim(),
    })),
    categories: childElements(channel, isWp, 'category').map((element) =>
      term(element, 'category_nicename', 'cat_name', 'category_parent', 'category_description'),
    ),
    tags: childElements(channel, isWp, 'tag').map((element) =>
      term(element, 'tag_slug', 'tag_name', '', 'tag_description'),
    ),
  };
}

function readItem(item: XmlElement): WxrItem {
  const meta: Record<string, string> = {};
  for (const entry of childElements(item, isWp, 'postmeta')) meta[wp(entry, 'meta_key')] = wp(entry, 'meta_value');
  const terms = (domain: string) =>
    childElements(item, plain, 'category')
      .filter((category) => category.attributes.domain === domain)
      .map((category) => ({ slug: category.attributes.nicename ?? '', name: ownText(category).trim() }));
  const pubDate = new Date(field(item, plain, 'pubDate'));
  return {
    id: Number(wp(item, 'post_id')) || 0,
    title: field(item, plain, 'title').trim(),
    link: field(item, plain, 'link').trim(),
    creator: field(item, DC.test.bind(DC), 'creator').trim(),
    content: field(item, CONTENT.test.bind(CONTENT), 'encoded'),
    excerpt: field(item, EXCERPT.test.bind(EXCERPT), 'encoded'),
    date:
      gmtDate(wp(item, 'post_date_gmt')) ??
      (Number.isNaN(pubDate.getTime()) ? gmtDate(wp(item, 'post_date')) : pubDate),
    name: wp(item, 'post_name').trim(),
    status: wp(item, 'status').trim(),
    type: wp(item, 'post_type').trim() || 'post',
    parent: Number(wp(item, 'post_parent')) || 0,
    menuOrder: Number(wp(item, 'menu_order')) || 0,
    categories: terms('category'),
    tags: terms('post_tag'),
    menus: terms('nav_menu'),
    comments: childElements(item, isWp, 'comment').map((comment) => ({
      id: Number(wp(comment, 'comment_id')) || 0,
      parentId: Number(wp(comment, 'comment_parent')) || 0,
      author: wp(comment, 'comment_author').trim(),
      email: wp(comment, 'comment_author_email').trim(),
      url: wp(comment, 'comment_author_url').trim(),
      ip: wp(comment, 'comment_author_IP').trim(),
      date: gmtDate(wp(comment, 'comment_date_gmt')) ?? gmtDate(wp(comment, 'comment_date')),
      content: wp(comment, 'comment_content'),
      approved: wp(comment, 'comment_approved').trim(),
      type: wp(comment, 'comment_type').trim(),
    })),
    meta,
    attachmentUrl:
      wp(item, 'post_type').trim() === 'attachment'
        ? (wp(item, 'attachment_url') || field(item, plain, 'guid')).trim()
        : '',
    line: item.line,
  };
}

/**
 * Reads an export in pieces, as a file is read in chunks: `write` returns the items that ended in the
 * piece (each let go once read, so memory holds one item, not the file), `end` the channel's header
 * and the last items. Errors are XmlErrors (with line and column) or WxrErrors.
 */
export class WxrReader {
  private items: WxrItem[] = [];
  private checked = false;
  private readonly xml = new XmlReader((element, ancestors) => {
    if (ancestors.length !== 2 || element.local !== 'item' || element.ns !== '') return true;
    if (!this.checked) {
      readHeader(ancestors[0]!, isChannel(ancestors[1]!) ? ancestors[1] : undefined);
      this.checked = true;
    }
    this.items.push(readItem(element));
    return false;
  });

  write(chunk: string): WxrItem[] {
    this.xml.write(chunk);
    return this.items.splice(0);
  }

  end(): Wxr {
    const root = this.xml.end();
    return { ...readHeader(root, childElements(root, plain, 'channel')[0]), items: this.items.splice(0) };
  }
}

const isChannel = (element: XmlElement) => element.local === 'channel' && element.ns === '';

/** Reads the export in `text`; throws an XmlError (with line and column) or a WxrError on what it cannot read. */
export function readWxr(text: string): Wxr {
  const reader = new WxrReader();
  const items = reader.write(text);
  const wxr = reader.end();
  return { ...wxr, items: [...items, ...wxr.items] };
}
