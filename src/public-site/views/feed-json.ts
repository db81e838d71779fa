import type { Feed, FeedEntry } from './feed-xml';

export const JSON_FEED_CONTENT_TYPE = 'application/feed+json; charset=UTF-8';

function jsonFeedItem(entry: FeedEntry) {
  return {
    id: entry.id,
    url: entry.url,
    title: entry.title,
    summary: entry.summary,
    content_html: entry.html,
    image: entry.image,
    date_published: entry.published.toISOString(),
    date_modified: entry.updated.toISOString(),
    authors: [{ name: entry.authorName, url: entry.authorUrl }],
    tags: entry.category && [entry.category.label],
  };
}

/**
 * A JSON Feed 1.1 document (jsonfeed.org/version/1.1). Its texts (`title`, `summary`, `description`,
 * names) are plain text, as the format defines them; only `content_html` is HTML.
 */
export function jsonFeed(feed: Feed): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.pageUrl,
    feed_url: feed.selfUrl,
    description: feed.subtitle,
    language: 'en',
    hubs: feed.hubUrl ? [{ type: 'WebSub', url: feed.hubUrl }] : undefined,
    items: feed.entries.map(jsonFeedItem),
  });
}
