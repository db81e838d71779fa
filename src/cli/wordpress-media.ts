/**
 * WordPress's attachments into the media library: each file fetched (from its own address, or from
 * `--media-from`: another address or a folder holding a copy of the site's files), checked as an
 * upload is, then the plan's heroes and body images pointed at the library's variants.
 */
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { sha256HexOfBytes } from '../lib/hash.ts';
import { mediaPath } from '../media/keys.ts';
import { checkImage, MAX_UPLOAD_BYTES } from '../media/rules.ts';
import type { ImageFile } from './article-files.ts';
import type { ImageStore } from './seed-images.ts';
import type { LibraryImage, Plan, PlannedArticle, PlannedAttachment, PlannedPage } from './wordpress-import.ts';

/** Attachments fetched at once from a web server. */
const AT_ONCE = 4;
const TIMEOUT_MS = 30_000;

/**
 * An address as attachments and body images are matched: without its scheme, query or fragment, and
 * without the `-300x200` WordPress adds to a resized copy's name, so a body's resized copy finds its attachment.
 */
export function imageKey(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return url;
  return `${parsed.host}${parsed.pathname.replace(/-\d+x\d+(\.[a-z0-9]+)$/i, '$1')}`;
}

/** The attachment's path below the old site's address (`wp-content/uploads/2010/11/a.jpg`), or its whole path elsewhere. */
function pathBelow(url: string, home: string): string {
  const path = decodeURIComponent(new URL(url).pathname);
  const base = new URL(home).pathname.replace(/\/?$/, '/');
  return (path.startsWith(base) ? path.slice(base.length) : path).replace(/^\/+/, '');
}

/** Where each attachment's file is read from: `--media-from` a folder or an address, else its own address. */
export type MediaSource = { kind: 'own' } | { kind: 'dir'; dir: string } | { kind: 'url'; base: string };

export function mediaSource(mediaFrom: string | undefined): MediaSource {
  if (!mediaFrom) return { kind: 'own' };
  if (/^https?:\/\//i.test(mediaFrom)) return { kind: 'url', base: mediaFrom.replace(/\/?$/, '/') };
  return { kind: 'dir', dir: resolve(mediaFrom) };
}

async function readBytes(url: string, home: string, source: MediaSource): Promise<Uint8Array<ArrayBuffer>> {
  if (source.kind === 'dir') {
    const below = pathBelow(url, home);
    // A copy of the site's files, of its uploads folder, or the files side by side.
    const candidates = [below, below.replace(/^wp-content\/uploads\//, ''), below.split('/').at(-1)!];
    for (const candidate of new Set(candidates)) {
      const path = normalize(join(source.dir, candidate));
      if (!path.startsWith(source.dir + sep)) continue;
      try {
        return new Uint8Array(await readFile(path));
      } catch {}
    }
    throw new Error(`not in ${source.dir} (looked for ${candidates.join(', ')})`);
  }
  const address = source.kind === 'url' ? new URL(pathBelow(url, home), source.base).href : url;
  const response = await fetch(address, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
  if (!response.ok) throw new Error(`${address} answered ${response.status}`);
  const length = Number(response.headers.get('content-length'));
  if (length > MAX_UPLOAD_BYTES) throw new Error(`${address} is larger than an upload may be`);
  return new Uint8Array(await response.arrayBuffer());
}

export interface FetchedMedia {
  /** By imageKey of the attachment's address: what the library's row says of it (its size in `bytes`), not its bytes. */
  images: Map<string, Omit<ImageFile, 'bytes'> & { bytes: number; attachment: PlannedAttachment }>;
  failed: { url: string; reason: string }[];
}

/**
 * Fetches every attachment, a few at a time, checking each as an upload is checked, and puts each
 * into `store` (none on a dry run) before the next: only the few being fetched are held, whatever
 * the archive's size. What failed says why.
 */
export async function fetchAttachments(
  attachments: PlannedAttachment[],
  home: string,
  source: MediaSource,
  { store, progress }: { store?: ImageStore; progress?: (label: string, done: number, total: number) => void } = {},
): Promise<FetchedMedia> {
  const images: FetchedMedia['images'] = new Map();
  const failed: FetchedMedia['failed'] = [];
  let next = 0;
  let done = 0;
  /** The attachment's file, checked as an upload is; a reason if it cannot be had. */
  const fetchOne = async (attachment: PlannedAttachment): Promise<ImageFile | string> => {
    try {
      const bytes = await readBytes(attachment.url, home, source);
      const checked = checkImage(bytes);
      if (!checked.ok) return checked.message;
      const { type, width, height } = checked;
      return { bytes, hash: await sha256HexOfBytes(bytes), type, width, height };
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  const worker = async () => {
    while (next < attachments.length) {
      const attachment = attachments[next++]!;
      const image = await fetchOne(attachment);
      if (typeof image === 'string') failed.push({ url: attachment.url, reason: image });
      else {
        // A bucket that cannot be written ends the import: its rows would name missing objects.
        await store?.put(image);
        images.set(imageKey(attachment.url), { ...image, bytes: image.bytes.byteLength, attachment });
      }
      done += 1;
      progress?.('media', done, attachments.length);
    }
  };
  await Promise.all(Array.from({ length: source.kind === 'dir' ? 1 : AT_ONCE }, worker));
  return { images, failed: failed.sort((a, b) => a.url.localeCompare(b.url)) };
}

const MARKDOWN_IMAGE = /(!\[(?:[^\]\\]|\\.)*\]\()([^)\s]+)/g;

/**
 * The images a plan's heroes and bodies show at an http(s) address, once each, as attachments to
 * fetch (Ghost's feature and inline images: its export has no attachments of its own).
 */
export function shownImages(plan: Pick<Plan, 'articles' | 'pages'>): PlannedAttachment[] {
  const found = new Map<string, PlannedAttachment>();
  const add = (url: string, alt: string, credit: string, what: string) => {
    if (/^https?:\/\//i.test(url) && !found.has(imageKey(url))) found.set(imageKey(url), { url, alt, credit, what });
  };
  for (const article of plan.articles) {
    if (article.hero) add(article.hero.url, article.hero.alt, article.hero.credit, `the hero of “${article.headline}”`);
  }
  for (const item of [...plan.articles, ...plan.pages]) {
    const title = 'headline' in item ? item.headline : item.title;
    for (const [, alt = '', url = ''] of item.bodyMarkdown.matchAll(/!\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)/g)) {
      add(url, alt.replace(/\\(.)/g, '$1'), '', `an image in “${title}”`);
    }
  }
  return [...found.values()];
}

/**
 * The media library the fetched files make: `article` and `page` point a hero and body images at it
 * (`/media/<hash>/1280`), and `rows` are the library's rows, each image public from the first
 * publication of what shows it among the articles and pages given so far.
 */
export function mediaLibrary(fetched: FetchedMedia, now: Date) {
  const publicAt = new Map<string, number>();
  const shown = (hash: string, at: number | null) => {
    if (at !== null) publicAt.set(hash, Math.min(publicAt.get(hash) ?? at, at));
  };
  const inBody = (markdown: string, at: number | null) =>
    markdown.replace(MARKDOWN_IMAGE, (whole, start: string, url: string) => {
      const image = fetched.images.get(imageKey(url));
      if (!image) return whole;
      shown(image.hash, at);
      return `${start}${mediaPath(image.hash)}`;
    });
  return {
    article(article: PlannedArticle): PlannedArticle {
      const at = article.status === 'published' ? article.publishedAt : null;
      const hero = article.hero && fetched.images.get(imageKey(article.hero.url));
      if (hero) shown(hero.hash, at);
      return {
        ...article,
        bodyMarkdown: inBody(article.bodyMarkdown, at),
        ...(hero && {
          hero: { ...article.hero!, url: mediaPath(hero.hash), width: hero.width, height: hero.height },
        }),
      };
    },
    page(page: PlannedPage): PlannedPage {
      return { ...page, bodyMarkdown: inBody(page.bodyMarkdown, page.status === 'published' ? now.getTime() : null) };
    },
    rows(): LibraryImage[] {
      const library = new Map<string, LibraryImage>();
      for (const image of fetched.images.values()) {
        if (library.has(image.hash)) continue;
        library.set(image.hash, {
          hash: image.hash,
          type: image.type,
          width: image.width,
          height: image.height,
          bytes: image.bytes,
          alt: image.attachment.alt,
          credit: image.attachment.credit,
          publicAt: publicAt.get(image.hash) ?? null,
        });
      }
      return [...library.values()];
    },
  };
}
