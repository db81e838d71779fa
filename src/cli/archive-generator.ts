import { createHash } from 'node:crypto';
import { slugify } from '../lib/slug';
import { MAX_STATEMENT_BYTES } from './backup-file';
import { literal, type SqlValue } from './seed-sql';

/**
 * A deterministic synthetic archive shaped like a real one (`npm run seed:archive`): 15 years of
 * articles in order of publication, bodies of 800–3,000 words, tags with a long tail (the commonest on
 * about a fifth of the articles), heroes from the sample images, comment threads with a long tail
 * (most articles a few, one at least 3,000) of which 1 % wait for moderation, and subscribers. The same
 * seed gives the same rows, byte for byte; rows are made a batch at a time, so memory stays bounded.
 */
export interface ArchiveShape {
  articles: number;
  comments: number;
  subscribers: number;
  seed: number;
}

/** What the archive builds on: the sample site's sections and authors, and the images its heroes use. */
export interface ArchiveBase {
  sectionIds: number[];
  authorIds: number[];
  heroes: { url: string; width: number; height: number }[];
  /** The first ids free in each table, so rows can name their parents. */
  firstArticleId: number;
  firstCommentId: number;
  firstTagId: number;
}

const END = Date.UTC(2026, 10, 30);
const SPAN = 15 * 365.25 * 86_400_000;
const WORDS = `the of and to in a is that for on with as by at from this be are was it an which or its has
have were their but not more than after over new about into government minister region security trade
policy talks summit border sea navy port coast election economy growth investment energy climate water
river island alliance treaty defence ministry officials analysts report week year years since between
under against while would could said told says according china japan korea india russia asean pacific
ocean beijing tokyo seoul delhi moscow hanoi jakarta manila canberra washington visit leaders agreement
exports imports prices market banks currency reform parliament party vote protest court law rights media
fishing shipping strait islands claims dispute military exercise missile nuclear programme sanctions aid
development infrastructure railway rail road highway dam power grid coal gas oil solar wind farmers rice
harvest drought flood monsoon typhoon storm relief recovery schools students universities hospitals`.split(/\s+/);
const TAG_WORDS = `maritime nuclear monsoon rare earths fisheries railways elections sanctions diplomacy
mekong himalaya strait reef shipping refugees tariffs semiconductors drones cyber pipelines grain
currency ports typhoons glaciers rice coal aid debt census`.split(/\s+/);

/** mulberry32: a small, fast generator whose sequence the seed alone decides. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof random>;
const between = (next: Random, low: number, high: number) => low + Math.floor(next() * (high - low + 1));
const pick = <T>(next: Random, items: readonly T[]) => items[Math.floor(next() * items.length)]!;
const capitalised = (word: string) => word[0]!.toUpperCase() + word.slice(1);
const sentence = (next: Random, words: number) =>
  `${capitalised(Array.from({ length: words }, () => pick(next, WORDS)).join(' '))}.`;

/** A body of 800–3,000 words in paragraphs, as Markdown and as the HTML the editor renders it to. */
function body(next: Random): { markdown: string; html: string } {
  const target = between(next, 800, 3000);
  const paragraphs: string[] = [];
  for (let words = 0; words < target; ) {
    const count = Math.min(between(next, 40, 120), target - words);
    const sentences: string[] = [];
    for (let left = count; left > 0; ) {
      const length = Math.min(left, between(next, 8, 24));
      sentences.push(sentence(next, length));
      left -= length;
    }
    paragraphs.push(sentences.join(' '));
    words += count;
  }
  return { markdown: paragraphs.join('\n\n'), html: paragraphs.map((text) => `<p>${text}</p>\n`).join('') };
}

/** How many tags there are for `articles` articles, and the tag of rank r ~ 1/r (Zipf): the commonest on about a fifth. */
const tagCount = (articles: number) => Math.max(20, Math.floor(articles / 10));
function zipfTag(next: Random, tags: number): number {
  // Inverse of the harmonic CDF, approximately: rank = tags^u.
  return Math.min(tags - 1, Math.floor(tags ** next()) - 1);
}

/**
 * Comments per article: a Pareto long tail scaled to `total`, the busiest article given at least 3,000
 * (when the total allows), the rounding left over on the first.
 */
function commentCounts(next: Random, articles: number, total: number): Uint32Array {
  const weights = Float64Array.from({ length: articles }, () => (1 - next()) ** (-1 / 1.2));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = Uint32Array.from(weights, (weight) => Math.floor((weight / sum) * total));
  let busiest = 0;
  for (let i = 1; i < articles; i++) if (counts[i]! > counts[busiest]!) busiest = i;
  const floor = Math.min(3000, total);
  if (counts[busiest]! < floor) counts[busiest] = floor;
  let assigned = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; assigned > total && i < articles; i++) {
    if (i === busiest) continue;
    const take = Math.min(counts[i]!, assigned - total);
    counts[i]! -= take;
    assigned -= take;
  }
  counts[busiest === 0 ? 1 % articles : 0]! += total - assigned;
  return counts;
}

/** INSERTs of many rows each, none over D1's statement size (the same bound the backup restores within). */
export function* insertStatements(table: string, rows: Iterable<Record<string, SqlValue>>): Generator<string> {
  let columns: string[] | undefined;
  let values: string[] = [];
  let bytes = 0;
  const head = () => `INSERT INTO ${table} (${columns!.join(', ')}) VALUES\n`;
  for (const row of rows) {
    columns ??= Object.keys(row);
    const tuple = `(${columns.map((column) => literal(row[column])).join(', ')})`;
    const size = Buffer.byteLength(tuple) + 2;
    if (values.length > 0 && bytes + size > MAX_STATEMENT_BYTES) {
      yield `${head()}${values.join(',\n')};`;
      values = [];
    }
    if (values.length === 0) bytes = Buffer.byteLength(head());
    values.push(tuple);
    bytes += size;
  }
  if (values.length > 0) yield `${head()}${values.join(',\n')};`;
}

/** The tags: a long tail of names made of two words and a number, all distinct. */
export function* tagRows(shape: ArchiveShape, base: ArchiveBase) {
  for (let i = 0; i < tagCount(shape.articles); i++) {
    const name = `${capitalised(TAG_WORDS[i % TAG_WORDS.length]!)} ${TAG_WORDS[(i * 7 + 3) % TAG_WORDS.length]} ${i + 1}`;
    yield { id: base.firstTagId + i, name, slug: slugify(name) };
  }
}

/**
 * The articles, oldest first, `batch` at a time, each with its tags: the rows of `articles` and
 * `article_tags`. 1 in 50 is a draft; the rest published at their time.
 */
export function* articleBatches(shape: ArchiveShape, base: ArchiveBase, batch = 500) {
  const next = random(shape.seed);
  const tags = tagCount(shape.articles);
  for (let start = 0; start < shape.articles; start += batch) {
    const articles: Record<string, SqlValue>[] = [];
    const articleTags: Record<string, SqlValue>[] = [];
    for (let i = start; i < Math.min(start + batch, shape.articles); i++) {
      const id = base.firstArticleId + i;
      const headline = sentence(next, between(next, 4, 9)).slice(0, -1);
      const { markdown, html } = body(next);
      const hero = base.heroes[i % base.heroes.length];
      const publishedAt = Math.floor(END - SPAN + (SPAN * (i + next())) / shape.articles);
      const draft = i % 50 === 49;
      articles.push({
        id,
        slug: `${slugify(headline).slice(0, 80)}-${id}`,
        headline,
        standfirst: sentence(next, between(next, 15, 30)),
        body_markdown: markdown,
        body_html: html,
        hero_image_url: hero?.url ?? null,
        hero_image_alt: hero ? 'An archive photograph' : '',
        hero_image_credit: hero ? 'Archive desk' : '',
        hero_image_width: hero?.width ?? null,
        hero_image_height: hero?.height ?? null,
        author_id: pick(next, base.authorIds),
        section_id: pick(next, base.sectionIds),
        status: draft ? 'draft' : 'published',
        published_at: draft ? null : publishedAt,
        created_at: publishedAt,
        updated_at: publishedAt,
      });
      const chosen = new Set(Array.from({ length: between(next, 2, 6) }, () => zipfTag(next, tags)));
      for (const tag of chosen) articleTags.push({ article_id: id, tag_id: base.firstTagId + tag });
    }
    yield { articles, articleTags, done: Math.min(start + batch, shape.articles) };
  }
}

/**
 * The comments, article by article, `batch` at a time: threads (three in ten reply to an earlier
 * comment of the same article, to depth 3), approved but for 1 in 100 waiting for moderation.
 */
export function* commentBatches(shape: ArchiveShape, base: ArchiveBase, batch = 5000) {
  const next = random(shape.seed ^ 0x5eed);
  const counts = commentCounts(next, shape.articles, shape.comments);
  let id = base.firstCommentId;
  let rows: Record<string, SqlValue>[] = [];
  let done = 0;
  const readers = Math.max(10, Math.floor(shape.comments / 5));
  for (let article = 0; article < shape.articles; article++) {
    const count = counts[article]!;
    if (count === 0) continue;
    const articleId = base.firstArticleId + article;
    const opened = Math.floor(END - SPAN + (SPAN * article) / shape.articles);
    const thread: { id: number; root: number; depth: number }[] = [];
    for (let k = 0; k < count; k++, id++) {
      const parent = thread.length > 0 && next() < 0.3 ? pick(next, thread) : undefined;
      const depth = parent ? Math.min(parent.depth + 1, 3) : 0;
      const reply = parent && parent.depth < 3 ? parent : undefined;
      const text = sentence(next, between(next, 8, 60));
      rows.push({
        id,
        article_id: articleId,
        parent_id: reply?.id ?? null,
        root_id: reply ? reply.root : null,
        depth: reply ? depth : 0,
        author_name: `Reader ${between(next, 1, readers)}`,
        author_email: `reader${between(next, 1, readers)}@example.org`,
        body: text,
        body_hash: createHash('sha256').update(`${id}`).digest('hex'),
        status: next() < 0.01 ? 'pending' : 'approved',
        created_at: opened + k * 60_000,
      });
      thread.push({ id, root: reply ? reply.root : id, depth: reply ? depth : 0 });
      if (rows.length === batch) {
        done += rows.length;
        yield { comments: rows, done };
        rows = [];
      }
    }
  }
  if (rows.length > 0) yield { comments: rows, done: done + rows.length };
}

/** The subscribers' addresses, confirmed, `batch` at a time (their salted hashes are the caller's). */
export function* subscriberBatches(shape: ArchiveShape, batch = 5000) {
  for (let start = 0; start < shape.subscribers; start += batch) {
    const end = Math.min(start + batch, shape.subscribers);
    yield {
      emails: Array.from({ length: end - start }, (_, i) => `subscriber${start + i + 1}@example.org`),
      done: end,
    };
  }
}
