/**
 * A Disqus export (read by disqus.ts) as comments on the articles already here: each thread is matched
 * to an article by any of its addresses, and its posts become that article's comments, threads kept.
 * A thread that matches no article is reported, never guessed. The SQL is importStatements' own.
 */
import { oldAddressKey } from '../paths.ts';
import { DisqusError, type DisqusHeader, type DisqusPost, type DisqusThread } from './disqus.ts';
import {
  commentFate,
  commentParents,
  emptyPlan,
  type Plan,
  type PlannedComment,
  plannedComment,
  type Skipped,
} from './wordpress-import.ts';
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
export const disqusSource = (disqus: DisqusHeader) => `disqus:${disqus.forum || 'unknown-forum'}`;

/** Reads the export once, handing its posts to `onPosts` as they come; its forum and threads at the end. */
export type DisqusRead = (onPosts: (posts: DisqusPost[]) => void | Promise<void>) => Promise<DisqusHeader>;

/** What the first reading keeps of a post: where it goes and whether it is imported, not its text. */
interface PostOutline {
  id: number;
  parentId: number;
  threadId: string;
  line: number;
  skip?: string;
}

/** Each post's outline, read once through the export, and the export's forum and threads. */
export async function outlineDisqus(read: DisqusRead) {
  const posts: PostOutline[] = [];
  const header = await read((batch) => {
    for (const { comment, threadId, line } of batch) {
      // What its text loses is counted when it is written: only for the posts imported.
      const fate = commentFate(comment, {});
      posts.push({
        id: comment.id,
        parentId: comment.parentId,
        threadId,
        line,
        ...('skip' in fate && { skip: fate.skip }),
      });
    }
  });
  return { ...header, posts };
}

export type DisqusOutline = Awaited<ReturnType<typeof outlineDisqus>>;

/** Where an imported post goes: the article, and its parent among the imported posts. */
interface Placed {
  articleId: number;
  threadId: string;
  parentId: number | null;
}

/**
 * The plan for a Disqus export, from its outline: which posts are imported (only comments, each on an
 * article already here, a thread matched by its addresses), onto which article, under which parent;
 * and what is skipped and why.
 */
export function planDisqusOutline(outline: DisqusOutline, addresses: ArticleAddresses) {
  const source = disqusSource(outline);
  const skipped: Skipped[] = [];
  const placed = new Map<number, Placed>();
  const threads = new Map(outline.threads.map((thread) => [thread.id, thread]));
  const byThread = new Map<string, PostOutline[]>();
  for (const post of outline.posts) {
    const posts = byThread.get(post.threadId);
    if (posts) posts.push(post);
    else byThread.set(post.threadId, [post]);
  }

  for (const [threadId, posts] of byThread) {
    const thread = threads.get(threadId);
    const skipAll = (reason: string) => {
      for (const post of posts)
        skipped.push({ what: `Disqus post ${post.id || '(no id)'} (line ${post.line})`, reason });
    };
    if (!thread) {
      skipAll(`its thread ${threadId || '(none)'} is not in the export`);
      continue;
    }
    if (thread.deleted) {
      skipAll(`its thread ${thread.id} was deleted in Disqus`);
      continue;
    }
    const articleId = threadArticle(thread, addresses);
    if (articleId === undefined) {
      skipped.push({
        what: `Disqus thread ${thread.id} “${thread.title}” ${thread.link || thread.identifier} (line ${thread.line})`,
        reason: `an orphan: no article here has its address; its ${posts.length} comment(s) not imported`,
      });
      continue;
    }
    const kept = new Set<number>();
    for (const post of [...posts].sort((a, b) => a.id - b.id)) {
      if (post.skip) skipped.push({ what: `comment ${post.id} on thread ${thread.id}`, reason: post.skip });
      else kept.add(post.id);
    }
    const parentIds = new Map(posts.map((post) => [post.id, post.parentId]));
    for (const [id, parentId] of commentParents(kept, (id) => parentIds.get(id))) {
      placed.set(id, { articleId, threadId: thread.id, parentId });
    }
  }
  return { source, skipped, placed };
}

export type DisqusPlan = ReturnType<typeof planDisqusOutline>;

/** The text (comments' bodies) gathered into one batch before its statements are made. */
const BATCH_TEXT = 1024 * 1024;

/**
 * Reads the export again and hands `write` the planned posts as comments, about `batchText` of text at
 * a time; then what the plan skipped. A reply whose parent comes later in the file waits for another
 * reading, so that a comment's parent is always written before it: a file in the usual order (Disqus
 * writes posts oldest first) is read once more, not held.
 */
export async function writeDisqusComments(
  read: DisqusRead,
  plan: DisqusPlan,
  write: (part: Plan) => Promise<void>,
  {
    batchText = BATCH_TEXT,
    progress,
  }: { batchText?: number; progress?: (label: string, done: number, total: number) => void } = {},
) {
  const written = new Set<number>();
  const removed: Removed = {};
  let batch: PlannedComment[] = [];
  let text = 0;
  const flush = async () => {
    if (batch.length > 0) await write({ ...emptyPlan(plan.source), comments: batch });
    batch = [];
    text = 0;
    progress?.('comments', written.size, plan.placed.size);
  };
  while (written.size < plan.placed.size) {
    const before = written.size;
    await read(async (posts) => {
      for (const { comment } of posts) {
        const placed = plan.placed.get(comment.id);
        if (!placed || written.has(comment.id)) continue;
        if (placed.parentId !== null && !written.has(placed.parentId)) continue;
        const fate = commentFate(comment, removed);
        if ('skip' in fate) continue;
        batch.push({
          ...plannedComment(comment, fate, placed.parentId, `${plan.source}:thread:${placed.threadId}`, plan.source),
          articleId: placed.articleId,
        });
        written.add(comment.id);
        text += fate.body.length;
        if (text >= batchText) await flush();
      }
    });
    await flush();
    if (written.size === before) {
      throw new DisqusError(`${plan.placed.size - written.size} of its comments were not found on reading it again`);
    }
  }
  await write({ ...emptyPlan(plan.source), skipped: plan.skipped, removed });
}
