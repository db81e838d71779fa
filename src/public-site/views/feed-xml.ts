import { escapeXml } from '../../lib/xml';

export interface FeedEntry {
  /** Stable for the life of the article, whatever its URL becomes (a `tag:` URI). */
  id: string;
  url: string;
  title: string;
  summary: string;
  html: string;
  published: Date;
  updated: Date;
  authorName: string;
  /** Articles' authors have a page; commenters do not. */
  authorUrl?: string;
  /** An article's section; comments have none. */
  category?: { term: string; label: string };
  /** An article's hero image (absolute URL), which JSON Feed carries. */
  image?: string;
}

export interface Feed {
  title: string;
  subtitle: string;
  /** The HTML page the feed follows (the home page, or a section's, tag's or author's page). */
  pageUrl: string;
  /** The feed's own URL. */
  selfUrl: string;
  /** Base for relative links in the entries' HTML. */
  siteUrl: string;
  /** The WebSub hub subscribers may use (`rel="hub"`), when one is configured. */
  hubUrl?: string;
  updated: Date;
  entries: FeedEntry[];
}

export const RSS_CONTENT_TYPE = 'application/rss+xml; charset=UTF-8';
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=UTF-8';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** RFC 822 dates, as RSS 2.0 wants them: "Tue, 16 Nov 2010 09:00:00 GMT". */
const rfc822 = (date: Date) => date.toUTCString();

/**
 * RSS has no way to say "plain text": readers take `title`, `description` and the like as HTML (Python's
 * feedparser does, and sanitizes it as markup). So a text is escaped as HTML, then as XML: a standfirst
 * `<img onerror=…>` reaches the reader as the text it is, never as an element.
 */
const rssText = (text: string) => escapeXml(escapeXml(text));

function rssItem(entry: FeedEntry): string {
  return `<item>
<title>${rssText(entry.title)}</title>
<link>${escapeXml(entry.url)}</link>
<guid isPermaLink="false">${escapeXml(entry.id)}</guid>
<pubDate>${rfc822(entry.published)}</pubDate>
<dc:creator>${rssText(entry.authorName)}</dc:creator>
${entry.category ? `<category>${rssText(entry.category.label)}</category>\n` : ''}<description>${rssText(entry.summary)}</description>
<content:encoded>${escapeXml(entry.html)}</content:encoded>
</item>`;
}

/** An RSS 2.0 document, with the content module for full HTML bodies and Dublin Core for bylines (RSS's `author` is an email). */
export function rssFeed(feed: Feed): string {
  return `${XML_DECLARATION}<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${rssText(feed.title)}</title>
<link>${escapeXml(feed.pageUrl)}</link>
<description>${rssText(feed.subtitle)}</description>
<language>en</language>
<lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>
<atom:link href="${escapeXml(feed.selfUrl)}" rel="self" type="application/rss+xml"/>
${feed.hubUrl ? `<atom:link href="${escapeXml(feed.hubUrl)}" rel="hub"/>\n` : ''}${feed.entries.map(rssItem).join('\n')}
</channel>
</rss>
`;
}

function atomEntry(entry: FeedEntry): string {
  return `<entry>
<title type="text">${escapeXml(entry.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(entry.url)}"/>
<id>${escapeXml(entry.id)}</id>
<published>${entry.published.toISOString()}</published>
<updated>${entry.updated.toISOString()}</updated>
<author><name>${escapeXml(entry.authorName)}</name>${entry.authorUrl ? `<uri>${escapeXml(entry.authorUrl)}</uri>` : ''}</author>
${entry.category ? `<category term="${escapeXml(entry.category.term)}" label="${escapeXml(entry.category.label)}"/>\n` : ''}<summary type="text">${escapeXml(entry.summary)}</summary>
<content type="html">${escapeXml(entry.html)}</content>
</entry>`;
}

/** An Atom (RFC 4287) document; relative links in the entries' HTML resolve against the site (`xml:base`). */
export function atomFeed(feed: Feed): string {
  return `${XML_DECLARATION}<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="${escapeXml(feed.siteUrl)}/">
<title type="text">${escapeXml(feed.title)}</title>
<subtitle type="text">${escapeXml(feed.subtitle)}</subtitle>
<id>${escapeXml(feed.selfUrl)}</id>
<link rel="alternate" type="text/html" href="${escapeXml(feed.pageUrl)}"/>
<link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>
${feed.hubUrl ? `<link rel="hub" href="${escapeXml(feed.hubUrl)}"/>\n` : ''}<updated>${feed.updated.toISOString()}</updated>
${feed.entries.map(atomEntry).join('\n')}
</feed>
`;
}
