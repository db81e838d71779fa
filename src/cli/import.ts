/**
 * Brings content in from elsewhere, into the local database or (with `--remote --env production`) the
 * deployed one:
 *
 *   npm run import -- markdown path/*.md            # our own Markdown files (the seed's format)
 *   npm run import -- wordpress export.xml [--dry-run] [--report FILE.json] [--media-from URL|DIR]
 *   npm run import -- disqus export.xml [--dry-run] [--report FILE.json]   # comments, on articles already here
 *   npm run import -- ghost export.json [--dry-run] [--report FILE.json] [--media-from URL]
 *
 * `npm run import -- path/*.md` (no kind) is still read as `markdown`. See docs/moving-in.md.
 */
import { createReadStream, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readArticleFiles } from './article-files';
import { readDevVars } from './dev-vars';
import { DisqusError, readDisqus } from './disqus';
import {
  articleAddresses,
  articleAddressQueries,
  disqusSource,
  outlineDisqus,
  planDisqusOutline,
  writeDisqusComments,
} from './disqus-import';
import { fail } from './fail';
import { type Ghost, GhostError, type GhostPost, GhostReader } from './ghost';
import { GHOST_SOURCE, type GhostOutlinePost, ghostContent, ghostPostOutline, planGhostOutline } from './ghost-import';
import { purgeCachedPages } from './page-cache-purge';
import { readPieces } from './pieces';
import { progress } from './progress';
import { imageStore } from './seed-images';
import { articleStatements, literal } from './seed-sql';
import {
  combineReports,
  emptyPlan,
  existingState,
  existingStateQueries,
  type ImportReport,
  importStatements,
  itemOutline,
  type Plan,
  type PlannedAttachment,
  planWordpressOutline,
  type Report,
  wordpressContent,
  wordpressHome,
  wordpressSource,
} from './wordpress-import';
import { fetchAttachments, type MediaSource, mediaLibrary, mediaSource, shownImages } from './wordpress-media';
import {
  DATABASE_FLAGS,
  databaseTarget,
  executeStatements,
  queryDatabase,
  queryStatements,
  statementBatches,
} from './wrangler';
import { type Wxr, WxrError, type WxrItem, WxrReader } from './wxr';
import { XmlError } from './xml-reader';

const USAGE = `Usage:
  npm run import -- markdown FILE.md… [--remote] [--env NAME]
  npm run import -- wordpress FILE.xml [--dry-run] [--report FILE.json] [--media-from URL|DIR] [--remote] [--env NAME]
  npm run import -- disqus FILE.xml [--dry-run] [--report FILE.json] [--remote] [--env NAME]
  npm run import -- ghost FILE.json [--dry-run] [--report FILE.json] [--media-from URL] [--remote] [--env NAME]`;

/** The site's default IP_HASH_RETENTION_DAYS (src/config.ts): a comment's network hash is kept this long. */
const NETWORK_RETENTION_DAYS = Number(process.env.IP_HASH_RETENTION_DAYS ?? 90);

const argv = process.argv.slice(2);
const { positionals, values: flags } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: {
    ...DATABASE_FLAGS,
    'dry-run': { type: 'boolean' },
    report: { type: 'string' },
    'media-from': { type: 'string' },
  },
});
const [kind, ...rest] = positionals;
const target = databaseTarget(argv);

async function importMarkdown(paths: string[]) {
  if (paths.length === 0) fail(USAGE);
  const articles = await readArticleFiles(paths);
  const slugs = (list: string[]) => [...new Set(list)].map(literal).join(', ');
  const known = queryDatabase<{ kind: string; slug: string }>(
    `SELECT 'author' AS kind, slug FROM authors WHERE slug IN (${slugs(articles.map((a) => a.author))})
     UNION ALL SELECT 'section', slug FROM sections WHERE slug IN (${slugs(articles.map((a) => a.section))})
     UNION ALL SELECT 'article', slug FROM articles WHERE slug IN (${slugs(articles.map((a) => a.slug))})`,
    target,
  );
  const has = (kind: string, slug: string) => known.some((row) => row.kind === kind && row.slug === slug);
  const problems = articles.flatMap((article, index) => [
    ...(has('author', article.author) ? [] : [`${paths[index]}: no author with the slug "${article.author}"`]),
    ...(has('section', article.section) ? [] : [`${paths[index]}: no section with the slug "${article.section}"`]),
  ]);
  if (problems.length > 0) fail(`Nothing imported:\n${problems.join('\n')}`);
  const fresh = articles.filter((article) => !has('article', article.slug));
  await executeStatements(await articleStatements(articles), target, 'import');
  console.log(
    `Imported ${fresh.length} new article(s)${fresh.length ? `: ${fresh.map((a) => a.slug).join(', ')}` : ''}.`,
  );
  const kept = articles.length - fresh.length;
  if (kept > 0) console.log(`${kept} already there by slug, left as they were.`);
}

function printReport(report: Report, reportPath: string) {
  const line = (label: string, counts: Record<string, number>) =>
    `${label.padEnd(10)} ${
      Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([what, n]) => `${n} ${what}`)
        .join(', ') || 'nothing'
    }`;
  console.log(`${report.dryRun ? 'Dry run (nothing written): ' : ''}${report.what}`);
  console.log(line('created', report.created));
  console.log(line('updated', report.updated));
  console.log(line('unchanged', report.unchanged));
  console.log(`skipped    ${report.skipped.length}`);
  const reasons = new Map<string, number>();
  for (const { reason } of report.skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  for (const [reason, n] of reasons) console.log(`  ${n} × ${reason}`);
  const removed = Object.entries(report.removed);
  if (removed.length > 0) console.log(`removed    ${removed.map(([what, n]) => `${n} × ${what}`).join(', ')}`);
  if (report.unmapped.length > 0) {
    const shown = report.unmapped.slice(0, 5).join(', ');
    console.log(
      `not mapped ${report.unmapped.length} old addresses (they stay 404): ${shown}${report.unmapped.length > 5 ? ', …' : ''}`,
    );
  }
  if (report.mediaNotFetched.length > 0) {
    console.log(`not fetched ${report.mediaNotFetched.length} attachments (their addresses stay as they were):`);
    for (const { url, reason } of report.mediaNotFetched.slice(0, 10)) console.log(`  ${url}: ${reason}`);
    if (report.mediaNotFetched.length > 10) console.log('  … (all of them in the report)');
  }
  if (report.networkAddressesDropped > 0) {
    console.log(
      `           ${report.networkAddressesDropped} commenters' network addresses not kept (see docs/moving-in.md)`,
    );
  }
  console.log(`The whole report: ${reportPath}`);
}

/** The file's text, a piece at a time (UTF-8 decoded across the pieces' edges). */
function textOf(file: string): AsyncIterable<string> {
  return createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
}

/** Reads a WordPress export a piece at a time, giving `onItems` each piece's items; the channel's header at the end. */
const readWxrFile = (file: string, onItems: (items: WxrItem[]) => void | Promise<void>): Promise<Wxr> =>
  readPieces(textOf(file), new WxrReader(), (wxr) => wxr.items, onItems);

const FORMAT_ERRORS = [XmlError, WxrError, DisqusError, GhostError];

/** Where a Ghost export's `__GHOST_URL__` points: `--media-from`, which is an address for Ghost. */
function ghostMediaBase() {
  const from = flags['media-from'];
  if (from !== undefined && !/^https?:\/\//i.test(from)) {
    fail(`--media-from for a Ghost export is the old site's address (https://…), not a folder: ${from}`);
  }
  return from;
}

/** The export file named in `args`: the command's usage, or a message, unless it exists. */
function exportFile(args: string[]): string {
  const [file, ...extra] = args;
  if (!file || extra.length > 0) fail(USAGE);
  if (!existsSync(file)) fail(`${file}: no such file`);
  return file!;
}

/**
 * What `read` returns; a file it cannot read ends the command with a message naming the problem and
 * exit 1. On the first reading nothing is written yet; `again` is the second, when what the first
 * planned is being written: a file that changed in between leaves what was written, which a run
 * with the file as it is then completes.
 */
async function readExport<T>(file: string, read: () => Promise<T>, { again = false } = {}): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!FORMAT_ERRORS.some((kind) => error instanceof kind)) throw error;
    const what = error instanceof XmlError ? 'not a readable XML file: ' : '';
    fail(
      again
        ? `${file}: it changed while it was being imported: ${what}${(error as Error).message}. What was written stays: run the import again to complete it.`
        : `${file}: ${what}${(error as Error).message}. Nothing was imported.`,
    );
  }
}

/** What the database holds that an import from `source` could touch, and the rows of `extraQueries`. */
function databaseState(source: string, { subscribers = false, extraQueries = [] as string[] } = {}) {
  const queries = existingStateQueries(source, { subscribers });
  const rows = queryStatements<{ name: string }>([...queries, ...extraQueries].join(';\n'), target);
  return { existing: existingState(rows.slice(0, queries.length)), extraRows: rows.slice(queries.length) };
}

function sqlOptions(now: Date) {
  // Secrets wrangler cannot read back: for --remote they come from the environment.
  const secret = (name: 'IP_HASH_SALT' | 'SUBSCRIBER_HASH_SALT') =>
    process.env[name] ?? (target.includes('--remote') ? undefined : readDevVars()[name]);
  return {
    ipSalt: secret('IP_HASH_SALT'),
    subscriberSalt: secret('SUBSCRIBER_HASH_SALT'),
    networkRetentionDays: NETWORK_RETENTION_DAYS,
    now,
  };
}

/**
 * Writes the report next to the file (or to --report) as JSON and prints it; when statements were run,
 * purges the page cache, so that readers do not see pages cached before the import.
 */
async function finish(file: string, what: string, report: ImportReport, written: number) {
  const full: Report = { file, dryRun: Boolean(flags['dry-run']), what, ...report };
  const reportPath = flags.report ?? join(dirname(file), `${basename(file, extname(file))}.import-report.json`);
  await writeFile(reportPath, `${JSON.stringify(full, null, 2)}\n`);
  printReport(full, reportPath);
  if (written === 0) return;
  try {
    console.log(`page cache ${await purgeCachedPages(target)} cached addresses purged`);
  } catch (error) {
    // The import is written: a cache left as it was is not worth failing it for.
    console.error(
      `The page cache was not purged (${(error as Error).message}): pages cached before the import show until they expire.`,
    );
  }
}

/**
 * The attachments fetched and, unless --dry-run, each put into the media bucket as it comes: the
 * originals first, so that a media row never names a missing object.
 */
async function fetchMedia(
  attachments: PlannedAttachment[],
  home: string,
  source: MediaSource,
  existing: { mediaHashes: Set<string> },
) {
  const store = flags['dry-run'] ? undefined : imageStore(target, existing.mediaHashes);
  try {
    return await fetchAttachments(attachments, home, source, { store, progress });
  } finally {
    await store?.close();
  }
}

/** The text (bodies, excerpts, comments) read into one batch of articles before its statements are made. */
const BATCH_TEXT = 1024 * 1024;

/**
 * A WordPress export, in two passes over the file so that memory holds one item and one batch, not
 * the file. The first reads and checks the whole file (nothing is written if it cannot be read),
 * keeping each item's outline: the plan of what each becomes, its attachments fetched. The second
 * reads each post's and page's content, and writes the statements a batch at a time.
 */
async function importWordpress(args: string[]) {
  const file = exportFile(args);
  const outlines: WxrItem[] = [];
  const header = await readExport(file, () =>
    readWxrFile(file, (items) => {
      for (const item of items) outlines.push(itemOutline(item));
    }),
  );
  const wxr = { ...header, items: outlines };
  const source = wordpressSource(wxr);
  const { existing } = databaseState(source);
  const outline = planWordpressOutline(wxr);
  outlines.length = 0;
  await writeFromOutline(file, `WordPress ${wxr.version} export of ${source.slice('wordpress:'.length)}`, outline, {
    existing,
    attachments: outline.attachments ?? [],
    home: wordpressHome(wxr),
    media: mediaSource(flags['media-from']),
    read: (onItems) => readWxrFile(file, onItems),
    content: wordpressContent(outline),
  });
}

/**
 * Writes an export planned from its outline (`plan`: all but the bodies of its articles and pages):
 * its attachments fetched into the library first, then its authors, sections and tags, then a second
 * reading of the file (`read`), whose items `content` makes into articles, pages and comments with
 * their bodies, written about BATCH_TEXT of text at a time; the old addresses, the library's rows and
 * the rest last, since what they name is in by then. Reported on the terminal and as JSON.
 */
async function writeFromOutline<Item>(
  file: string,
  what: string,
  plan: Plan,
  {
    existing,
    attachments,
    home,
    media,
    read,
    content,
  }: {
    existing: ReturnType<typeof existingState>;
    /** The images to bring into the library: WordPress's attachments, or those Ghost's posts show. */
    attachments: PlannedAttachment[];
    home: string;
    media: MediaSource;
    read: (onItems: (items: Item[]) => Promise<void>) => Promise<unknown>;
    content: (item: Item) => Pick<Plan, 'articles' | 'pages' | 'comments'>;
  },
) {
  const now = new Date();
  const fetched = await fetchMedia(attachments, home, media, existing);
  const library = mediaLibrary(fetched, now);
  const options = sqlOptions(now);
  const batches = statementBatches(target, 'import', { dryRun: Boolean(flags['dry-run']) });
  const reports: ImportReport[] = [];
  const write = async (part: Partial<Plan>) => {
    const { statements, report } = await importStatements({ ...emptyPlan(plan.source), ...part }, existing, options);
    reports.push(report);
    await batches.add(statements);
  };
  await write({ authors: plan.authors, sections: plan.sections, tags: plan.tags });

  const total = plan.articles.length + plan.pages.length;
  let batch: Pick<Plan, 'articles' | 'pages' | 'comments'> = { articles: [], pages: [], comments: [] };
  let text = 0;
  let done = 0;
  const flush = async () => {
    await write(batch);
    done += batch.articles.length + batch.pages.length;
    if (total > 0) progress('articles', done, total);
    batch = { articles: [], pages: [], comments: [] };
    text = 0;
  };
  await readExport(
    file,
    () =>
      read(async (items) => {
        for (const item of items) {
          const part = content(item);
          batch.articles.push(...part.articles.map(library.article));
          batch.pages.push(...part.pages.map(library.page));
          batch.comments.push(...part.comments);
          for (const { bodyMarkdown } of [...part.articles, ...part.pages]) text += bodyMarkdown.length;
          for (const { body } of part.comments) text += body.length;
          if (text >= BATCH_TEXT) await flush();
        }
      }),
    { again: true },
  );
  await flush();
  await write({
    addresses: plan.addresses,
    library: library.rows(),
    subscribers: plan.subscribers,
    skipped: plan.skipped,
    removed: plan.removed,
    unmapped: plan.unmapped,
    mediaNotFetched: fetched.failed,
  });
  await finish(file, what, combineReports(reports), await batches.end());
}

/**
 * A Disqus export, its comments on the articles here, in two readings of the file so that memory holds
 * each post's outline and one batch, not the file: the first checks it all (nothing is written if it
 * cannot be read) and plans where each post goes, the second writes the comments a batch at a time.
 */
async function importDisqusFile(args: string[]) {
  const file = exportFile(args);
  const read = (onPosts: Parameters<typeof readDisqus>[1]) => readDisqus(textOf(file), onPosts);
  const outline = await readExport(file, () => outlineDisqus(read));
  const source = disqusSource(outline);
  const { existing, extraRows } = databaseState(source, { extraQueries: articleAddressQueries });
  const plan = planDisqusOutline(outline, articleAddresses(extraRows));
  outline.posts.length = 0;
  const options = sqlOptions(new Date());
  const batches = statementBatches(target, 'import', { dryRun: Boolean(flags['dry-run']) });
  const reports: ImportReport[] = [];
  await readExport(
    file,
    () =>
      writeDisqusComments(
        read,
        plan,
        async (part) => {
          const { statements, report } = await importStatements(part, existing, options);
          reports.push(report);
          await batches.add(statements);
        },
        { progress },
      ),
    { again: true },
  );
  const written = await batches.end();
  await finish(file, `Disqus export of the forum ${outline.forum || '(unnamed)'}`, combineReports(reports), written);
}

/** Reads a Ghost export a piece at a time, giving `onPosts` each piece's posts; its other tables at the end. */
const readGhostFile = (file: string, onPosts: (posts: GhostPost[]) => void | Promise<void>): Promise<Ghost> =>
  readPieces(textOf(file), new GhostReader(), (ghost) => ghost.posts, onPosts);

/**
 * A Ghost export, in two readings of the file as a WordPress one: the first checks it all and keeps
 * each post's outline (its body reduced to the images it shows), the second writes the bodies a
 * batch at a time (docs/moving-in.md, Memory).
 */
async function importGhost(args: string[]) {
  const file = exportFile(args);
  const options = { mediaBase: ghostMediaBase() };
  const posts: GhostOutlinePost[] = [];
  const removed = {};
  const ghost = await readExport(file, () =>
    readGhostFile(file, (batch) => {
      for (const post of batch) posts.push(ghostPostOutline(post, options, removed));
    }),
  );
  const { existing } = databaseState(GHOST_SOURCE, { subscribers: true });
  const plan = planGhostOutline({ ...ghost, posts }, options, removed);
  posts.length = 0;
  await writeFromOutline(file, `Ghost ${ghost.version} export`, plan, {
    existing,
    attachments: shownImages(plan),
    home: '',
    media: { kind: 'own' },
    read: (onPosts) => readGhostFile(file, onPosts),
    content: ghostContent(plan, options),
  });
}

if (kind === 'wordpress') await importWordpress(rest);
else if (kind === 'disqus') await importDisqusFile(rest);
else if (kind === 'ghost') await importGhost(rest);
else if (kind === 'markdown') await importMarkdown(rest);
else if (kind?.endsWith('.md')) await importMarkdown(positionals);
else fail(USAGE);
