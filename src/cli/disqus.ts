/**
 * Reads a Disqus export (Admin → Community → Export: `<disqus xmlns="http://disqus.com">` with its
 * categories, threads and posts) into plain records. Threads are the pages comments were on, named by
 * their link and identifier; posts are the comments, each naming its thread and parent by `dsq:id`.
 */

import { readPieces } from './pieces.ts';
import type { WxrComment } from './wxr.ts';
import { childElements, ownText, type XmlElement, XmlReader } from './xml-reader.ts';

const DISQUS = 'http://disqus.com';
const INTERNALS = 'http://disqus.com/disqus-internals';
const isDisqus = (uri: string) => uri === DISQUS;

export interface DisqusThread {
  id: string;
  /** The page's address when Disqus first saw it. */
  link: string;
  /** The identifier the page gave Disqus: often an address, or `42 https://example.org/?p=42` (WordPress's plugin). */
  identifier: string;
  title: string;
  deleted: boolean;
  line: number;
}
export interface DisqusPost {
  /** As a WordPress comment: `approved` is '1', '0' (`isApproved` false), 'spam' or 'trash' (deleted). */
  comment: WxrComment;
  threadId: string;
  line: number;
}
export interface Disqus {
  forum: string;
  threads: DisqusThread[];
  posts: DisqusPost[];
}

/** A file that is XML but not a Disqus export. */
export class DisqusError extends Error {}

const field = (element: XmlElement | undefined, ...path: string[]): string => {
  let at = element;
  for (const local of path) at = at && childElements(at, isDisqus, local)[0];
  return ownText(at).trim();
};
const dsqId = (element: XmlElement | undefined) => element?.attributes[`${INTERNALS} id`] ?? '';
const flag = (element: XmlElement, local: string) => field(element, local) === 'true';
const date = (value: string) => {
  const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(value) ? new Date(value) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
};

function checkRoot(root: XmlElement) {
  if (root.local !== 'disqus' || root.ns !== DISQUS) {
    throw new DisqusError(
      `this is XML, but its root is <${root.local}>, not a Disqus export's <disqus xmlns="${DISQUS}">`,
    );
  }
}

const readThread = (thread: XmlElement): DisqusThread => ({
  id: dsqId(thread),
  link: field(thread, 'link'),
  identifier: field(thread, 'id'),
  title: field(thread, 'title'),
  deleted: flag(thread, 'isDeleted'),
  line: thread.line,
});

function readPost(post: XmlElement): DisqusPost {
  const author = childElements(post, isDisqus, 'author')[0];
  const parent = dsqId(childElements(post, isDisqus, 'parent')[0]);
  return {
    comment: {
      id: /^\d+$/.test(dsqId(post)) ? Number(dsqId(post)) : 0,
      parentId: /^\d+$/.test(parent) ? Number(parent) : 0,
      author: field(author, 'name'),
      email: field(author, 'email'),
      url: '',
      ip: field(post, 'ipAddress'),
      date: date(field(post, 'createdAt')),
      content: ownText(childElements(post, isDisqus, 'message')[0]),
      approved: flag(post, 'isDeleted')
        ? 'trash'
        : flag(post, 'isSpam')
          ? 'spam'
          : field(post, 'isApproved') === 'false'
            ? '0'
            : '1',
      type: '',
    },
    threadId: dsqId(childElements(post, isDisqus, 'thread')[0]),
    line: post.line,
  };
}

/**
 * Reads an export in pieces, as a file is read in chunks: each post becomes its record as it ends and
 * is handed over by `write` (its XML let go); the threads, one for each page, are kept until the end.
 */
export class DisqusReader {
  private readonly threads: DisqusThread[] = [];
  private posts: DisqusPost[] = [];
  private forum = '';
  private readonly xml = new XmlReader((element, ancestors) => {
    if (ancestors.length !== 1 || element.ns !== DISQUS) return true;
    checkRoot(ancestors[0]!);
    if (element.local === 'category' || element.local === 'thread') this.forum ||= field(element, 'forum');
    if (element.local === 'thread') this.threads.push(readThread(element));
    else if (element.local === 'post') this.posts.push(readPost(element));
    return false;
  });

  /** The posts that ended in this piece. */
  write(chunk: string): DisqusPost[] {
    this.xml.write(chunk);
    return this.taken();
  }

  /** The export's forum and threads, and its last posts; throws an XmlError (with line and column) or a DisqusError. */
  end(): Disqus {
    checkRoot(this.xml.end());
    return { forum: this.forum, threads: this.threads, posts: this.taken() };
  }

  private taken() {
    const posts = this.posts;
    this.posts = [];
    return posts;
  }
}

/** What an export says besides its posts. */
export type DisqusHeader = Omit<Disqus, 'posts'>;

/**
 * Reads an export given in pieces (a file's chunks), handing each piece's posts to `onPosts`; its
 * forum and threads at the end. Throws an XmlError (with line and column) or a DisqusError.
 */
export const readDisqus = (
  pieces: AsyncIterable<string> | Iterable<string>,
  onPosts: (posts: DisqusPost[]) => void | Promise<void>,
): Promise<DisqusHeader> => readPieces(pieces, new DisqusReader(), (disqus) => disqus.posts, onPosts);
