/**
 * `npm run seed:archive -- [--articles 100000] [--comments 1000000] [--subscribers 0] [--seed 1] [--persist-to DIR]`:
 * fills the local database with a synthetic archive (src/cli/archive-generator.ts) on top of the
 * sample site (run `npm start` or `npm run db:migrate && npm run db:seed` first). The statements are
 * the multi-row INSERTs D1 takes (each under its statement size), run straight into the local D1's
 * SQLite file a thousand at a time, with the site's own triggers keeping search, tag order and comment
 * counts. Prints progress on a terminal, then how long it took and how many bytes an article and a
 * comment take. Local only: a production archive arrives through `npm run import`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { mailboxKey } from '../lib/email';
import { hmacSign } from '../lib/hmac';
import {
  type ArchiveBase,
  type ArchiveShape,
  articleBatches,
  commentBatches,
  insertStatements,
  subscriberBatches,
  tagRows,
} from './archive-generator';
import { ensureDevVars, readDevVars } from './dev-vars';
import { fail as failWith } from './fail';
import { progress } from './progress';

function fail(message: string): never {
  return failWith(`seed:archive: ${message}`);
}

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^(0|[1-9][0-9]{0,8})$/.test(value)) fail(`--${name} must be a whole number, not "${value}".`);
  return Number(value);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      articles: { type: 'string' },
      comments: { type: 'string' },
      subscribers: { type: 'string' },
      seed: { type: 'string' },
      'persist-to': { type: 'string' },
    },
  }).values;
}
try {
  parsed = parse();
} catch (error) {
  fail(
    `${(error as Error).message}\nUsage: npm run seed:archive -- [--articles N] [--comments N] [--subscribers N] [--seed N] [--persist-to DIR]`,
  );
}
const shape: ArchiveShape = {
  articles: count(parsed.articles, 'articles', 100_000),
  comments: count(parsed.comments, 'comments', 1_000_000),
  subscribers: count(parsed.subscribers, 'subscribers', 0),
  seed: count(parsed.seed, 'seed', 1),
};
if (shape.articles === 0 && shape.comments > 0) fail('comments need articles to go under.');

/** The local D1 database's SQLite file in the state folder (wrangler keeps one per database). */
function localDatabaseFile(stateDir: string): string {
  const dir = join(stateDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  } catch {
    fail(`no local database in ${stateDir}: run \`npm run db:migrate && npm run db:seed\` first.`);
  }
  const withArticles = files.filter((name) => {
    const db = new DatabaseSync(join(dir, name), { readOnly: true });
    try {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'articles'").get() !== undefined;
    } finally {
      db.close();
    }
  });
  if (withArticles.length !== 1) {
    fail(`expected one local database with the site's tables in ${dir}, found ${withArticles.length}.`);
  }
  return join(dir, withArticles[0]!);
}

const db = new DatabaseSync(localDatabaseFile(parsed['persist-to'] ?? '.wrangler/state'));
const one = <T>(sql: string) => db.prepare(sql).get() as T;
const sizeOf = () =>
  one<{ bytes: number }>('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').bytes;

const base: ArchiveBase = {
  sectionIds: (db.prepare('SELECT id FROM sections ORDER BY id').all() as { id: number }[]).map((row) => row.id),
  authorIds: (db.prepare('SELECT id FROM authors ORDER BY id').all() as { id: number }[]).map((row) => row.id),
  heroes: (
    db.prepare('SELECT hash, width, height FROM media WHERE public_at IS NOT NULL ORDER BY hash').all() as {
      hash: string;
      width: number;
      height: number;
    }[]
  ).map(({ hash, width, height }) => ({ url: `/media/${hash}/1280`, width, height })),
  firstArticleId: one<{ next: number }>('SELECT coalesce(max(id), 0) + 1 AS next FROM articles').next,
  firstCommentId: one<{ next: number }>('SELECT coalesce(max(id), 0) + 1 AS next FROM comments').next,
  firstTagId: one<{ next: number }>('SELECT coalesce(max(id), 0) + 1 AS next FROM tags').next,
};
if (base.sectionIds.length === 0 || base.authorIds.length === 0) {
  fail('the sample site is not there: run `npm run db:seed` first.');
}
if (one<{ n: number }>("SELECT count(*) AS n FROM articles WHERE slug LIKE '%-' || id").n > 0) {
  fail(
    'this database already has a synthetic archive: start from a fresh one (`rm -rf .wrangler/state`, then `npm start`).',
  );
}

const started = performance.now();

/** Runs statements in one transaction: all of a batch or none of it. */
function run(statements: Iterable<string>) {
  db.exec('BEGIN');
  try {
    for (const statement of statements) db.exec(statement);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

const before = sizeOf();
run(insertStatements('tags', tagRows(shape, base)));
for (const batch of articleBatches(shape, base)) {
  run([...insertStatements('articles', batch.articles), ...insertStatements('article_tags', batch.articleTags)]);
  progress('articles', batch.done, shape.articles);
}
const afterArticles = sizeOf();
for (const batch of commentBatches(shape, base)) {
  run(insertStatements('comments', batch.comments));
  progress('comments', batch.done, shape.comments);
}
const afterComments = sizeOf();
// The local salt signups hash addresses with (`npm start` makes .dev.vars the same way).
if (shape.subscribers > 0) ensureDevVars();
const salt = readDevVars().SUBSCRIBER_HASH_SALT;
for (const batch of subscriberBatches(shape)) {
  const rows = await Promise.all(
    batch.emails.map(async (email) => ({
      email,
      email_hash: await hmacSign(salt!, mailboxKey(email)),
      status: 'confirmed',
      confirmed_at: Date.UTC(2026, 0, 1),
    })),
  );
  run(insertStatements('subscribers', rows));
  progress('subscribers', batch.done, shape.subscribers);
}
db.close();

const perRow = (bytes: number, rows: number) =>
  rows === 0 ? 'n/a' : `${Math.round(bytes / rows).toLocaleString('en-US')} bytes`;
console.log(
  [
    `Archive added in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${shape.seed}): ${shape.articles.toLocaleString('en-US')} articles, ${shape.comments.toLocaleString('en-US')} comments, ${shape.subscribers.toLocaleString('en-US')} subscribers.`,
    `Database: ${(afterComments / 1e6).toFixed(0)} MB before subscribers; ${perRow(afterArticles - before, shape.articles)} an article (its tags and search index included), ${perRow(afterComments - afterArticles, shape.comments)} a comment.`,
    `Peak memory: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB resident.`,
  ].join('\n'),
);
