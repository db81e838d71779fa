/**
 * A Disqus export (read by disqus.ts) as comments on the articles already here: each thread is matched
 * to an article by any of its addresses, and its posts become that article's comments, threads kept.
 * A thread that matches no article is reported, never guessed. The SQL is importStatements' own.
 */
import { oldAddressKey } from '../paths.ts';
import type { Disqus, DisqusPost, DisqusThread } from './disqus.ts';
import { type Plan, type PlannedComment, planComments, type Skipped } from './wordpress-import.ts';
import type { Removed } from './wordpress-markup.ts';

/** The queries (run with existingStateQueries, after them) that say which article each address is. */
export const articleAddressQueries = [
  'SELECT slug AS name, id AS local_id FROM articles',
  'SELECT old_slug AS name, article_id AS local_id FROM slug_redirects',
  `SELECT o.path AS name, r.local_id FROM old_addresses o
     JOIN import_records r ON r.source_key = o.source_key AND r.kind = 'article'`,
];

/** Articles by slug (today's and former ones) and by old address (`/2010/11/23/slug`, `/?p=42`). */
export interface ArticleAddresses {
  bySlug: Map<string, number>;
  byOldAddress: Map<string, number>;
}

type Row = { name: string; local_id?: number };

/** What the rows of `articleAddressQueries` say. */
export function articleAddresses([articles = [], formerSlugs = [], oldAddresses = []]: Row[][]): ArticleAddresses {
  const map = (...lists: Row[][]) => new Map(lists.flat().map((row) => [row.name, row.local_id!]));
  return { bySlug: map(formerSlugs, articles), byOldAddress: map(oldAddresses) };
}

/**
 * The article a thread was on, by its link or its identifier (an address, or WordPress's plugin's
 * `42 https://example.org/?p=42`): an old address the import mapped, or an article's address here
 * (`/2010/11/slug`). The host is not compared (http or https, a former domain), nor a trailing slash.
 */
export function threadArticle(thread: DisqusThread, addresses: ArticleAddresses): number | undefined {
  const candidates = [thread.link, ...thread.identifier.split(/\s+/)].filter((value) =>
    /^(https?:\/\/|\/)/.test(value),
  );
  for (const candidate of candidates) {
    let url: URL;
    try {
      url = new URL(candidate, 'https://disqus.invalid/');
    } catch {
      continue;
    }
    const key = oldAddressKey(url.pathname, url.searchParams);
    const slug = /^\/\d{4}\/\d{2}\/([a-z0-9-]+)$/.exec(key)?.[1];
    const id = addresses.byOldAddress.get(key) ?? (slug ? addresses.bySlug.get(slug) : undefined);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** What names the export's records: `disqus:<forum>`. */
export const disqusSource = (disqus: Disqus) => `disqus:${disqus.forum || 'unknown-forum'}`;

/** The plan for a Disqus export: only comments, each on an article already here. */
export function planDisqusImport(disqus: Disqus, addresses: ArticleAddresses): Plan {
  const source = disqusSource(disqus);
  const skipped: Skipped[] = [];
  const removed: Removed = {};
  const comments: PlannedComment[] = [];
  const threads = new Map(disqus.threads.map((thread) => [thread.id, thread]));
  const byThread = new Map<string, DisqusPost[]>();
  for (const post of disqus.posts) byThread.set(post.threadId, [...(byThread.get(post.threadId) ?? []), post]);

  for (const [threadId, posts] of byThread) {
    const thread = threads.get(threadId);
    const skipAll = (reason: string) => {
      for (const post of posts) {
        skipped.push({ what: `Disqus post ${post.comment.id || '(no id)'} (line ${post.line})`, reason });
      }
    };
    if (!thread) {
      skipAll(`its thread ${threadId || '(none)'} is not in the export`);
      continue;
    }
    const what = `Disqus thread ${thread.id} “${thread.title}” ${thread.link || thread.identifier} (line ${thread.line})`;
    if (thread.deleted) {
      skipAll(`its thread ${thread.id} was deleted in Disqus`);
      continue;
    }
    const articleId = threadArticle(thread, addresses);
    if (articleId === undefined) {
      skipped.push({
        what,
        reason: `an orphan: no article here has its address; its ${posts.length} comment(s) not imported`,
      });
      continue;
    }
    const planned = planComments(
      posts.map((post) => post.comment),
      `thread ${thread.id}`,
      `${source}:thread:${thread.id}`,
      source,
      removed,
      skipped,
    );
    comments.push(...planned.map((comment) => ({ ...comment, articleId })));
  }

  return {
    source,
    authors: [],
    sections: [],
    tags: [],
    articles: [],
    pages: [],
    comments,
    addresses: [],
    unmapped: [],
    skipped,
    removed,
  };
}
