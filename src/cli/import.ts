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
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ImageFile, readArticleFiles } from './article-files';
import { readDevVars } from './dev-vars';
import { DisqusError, readDisqus } from './disqus';
import { articleAddresses, articleAddressQueries, disqusSource, planDisqusImport } from './disqus-import';
import { GhostError, readGhost } from './ghost';
import { GHOST_SOURCE, planGhostImport } from './ghost-import';
import { progress } from './progress';
import { storeImageFiles } from './seed-images';
import { articleStatements, literal } from './seed-sql';
import {
  existingState,
  existingStateQueries,
  importStatements,
  type Plan,
  planWordpressImport,
  type Report,
  wordpressHome,
  wordpressSource,
} from './wordpress-import';
import { fetchAttachments, mediaSource, withLibraryImages } from './wordpress-media';
import { DATABASE_FLAGS, databaseTarget, executeStatements, queryDatabase, queryStatements } from './wrangler';
import { readWxr, WxrError } from './wxr';
import { XmlError } from './xml-reader';

const USAGE = `Usage:
  npm run import -- markdown FILE.md… [--remote] [--env NAME]
  npm run import -- wordpress FILE.xml [--dry-run] [--report FILE.json] [--media-from URL|DIR] [--remote] [--env NAME]
  npm run import -- disqus FILE.xml [--dry-run] [--report FILE.json] [--remote] [--env NAME]
  npm run import -- ghost FILE.json [--dry-run] [--report FILE.json] [--media-from URL] [--remote] [--env NAME]`;

/** The site's default IP_HASH_RETENTION_DAYS (src/config.ts): a comment's network hash is kept this long. */
const NETWORK_RETENTION_DAYS = Number(process.env.IP_HASH_RETENTION_DAYS ?? 90);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

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

/** An export format: how its file is read, what names its records, and how it is planned. */
interface ExportFormat<Export> {
  /** Brings the plan's files into the media library: the plan pointed at them, and the images to put in R2. */
  media?: (data: Export, plan: Plan) => Promise<{ plan: Plan; images: ImageFile[] }>;
  read: (text: string) => Export;
  /** The prefix of its import records' keys (`wordpress:example.org`). */
  source: (data: Export) => string;
  /** Queries run after existingStateQueries, whose rows `plan` is given. */
  extraQueries?: string[];
  /** Whether it brings newsletter subscribers (the list's hashes are read then). */
  subscribers?: boolean;
  plan: (data: Export, extraRows: { name: string }[][]) => Plan;
  /** `WordPress 1.2 export of example.org`. */
  describe: (data: Export) => string;
}

const FORMATS = {
  wordpress: {
    read: readWxr,
    source: wordpressSource,
    plan: planWordpressImport,
    media: async (wxr, plan) => {
      const fetched = await fetchAttachments(
        plan.attachments ?? [],
        wordpressHome(wxr),
        mediaSource(flags['media-from']),
        progress,
      );
      return { plan: withLibraryImages(plan, fetched, new Date()), images: [...fetched.images.values()] };
    },
    describe: (wxr) => `WordPress ${wxr.version} export of ${wordpressSource(wxr).slice('wordpress:'.length)}`,
  } satisfies ExportFormat<ReturnType<typeof readWxr>>,
  disqus: {
    read: readDisqus,
    source: disqusSource,
    extraQueries: articleAddressQueries,
    plan: (disqus, rows) => planDisqusImport(disqus, articleAddresses(rows)),
    describe: (disqus) => `Disqus export of the forum ${disqus.forum || '(unnamed)'}`,
  } satisfies ExportFormat<ReturnType<typeof readDisqus>>,
  ghost: {
    read: readGhost,
    source: () => GHOST_SOURCE,
    subscribers: true,
    plan: (ghost) => planGhostImport(ghost, { mediaBase: flags['media-from'] }),
    describe: (ghost) => `Ghost ${ghost.version} export`,
  } satisfies ExportFormat<ReturnType<typeof readGhost>>,
};
const FORMAT_ERRORS = [XmlError, WxrError, DisqusError, GhostError];

/**
 * Reads the export file in `args` (a message naming the problem, exit 1 and nothing written if it
 * cannot), plans it against what the database holds, writes what is new or changed unless
 * --dry-run, and reports on the terminal and as JSON.
 */
async function importFile<Export>(format: ExportFormat<Export>, args: string[]) {
  const [file, ...extra] = args;
  if (!file || extra.length > 0) fail(USAGE);
  if (!existsSync(file)) fail(`${file}: no such file`);
  let data: Export;
  try {
    data = format.read(await readFile(file, 'utf8'));
  } catch (error) {
    if (!FORMAT_ERRORS.some((kind) => error instanceof kind)) throw error;
    const what = error instanceof XmlError ? 'not a readable XML file: ' : '';
    fail(`${file}: ${what}${(error as Error).message}. Nothing was imported.`);
  }
  const queries = existingStateQueries(format.source(data), { subscribers: format.subscribers });
  const rows = queryStatements<{ name: string }>([...queries, ...(format.extraQueries ?? [])].join(';\n'), target);
  const planned = format.plan(data, rows.slice(queries.length));
  const { plan, images } = format.media ? await format.media(data, planned) : { plan: planned, images: [] };
  // Secrets wrangler cannot read back: for --remote they come from the environment.
  const secret = (name: 'IP_HASH_SALT' | 'SUBSCRIBER_HASH_SALT') =>
    process.env[name] ?? (target.includes('--remote') ? undefined : readDevVars()[name]);
  const existing = existingState(rows.slice(0, queries.length));
  const { statements, report } = await importStatements(plan, existing, {
    ipSalt: secret('IP_HASH_SALT'),
    subscriberSalt: secret('SUBSCRIBER_HASH_SALT'),
    networkRetentionDays: NETWORK_RETENTION_DAYS,
    now: new Date(),
    progress,
  });
  const full: Report = { file, dryRun: Boolean(flags['dry-run']), what: format.describe(data), ...report };
  const reportPath = flags.report ?? join(dirname(file), `${basename(file, extname(file))}.import-report.json`);
  if (!full.dryRun) {
    // The originals first: a media row never names a missing object.
    await storeImageFiles(images, target, existing.mediaHashes, progress);
    if (statements.length > 0) await executeStatements(statements, target, 'import', { quiet: true });
  }
  await writeFile(reportPath, `${JSON.stringify(full, null, 2)}\n`);
  printReport(full, reportPath);
}

if (kind === 'wordpress') await importFile(FORMATS.wordpress, rest);
else if (kind === 'disqus') await importFile(FORMATS.disqus, rest);
else if (kind === 'ghost') await importFile(FORMATS.ghost, rest);
else if (kind === 'markdown') await importMarkdown(rest);
else if (kind?.endsWith('.md')) await importMarkdown(positionals);
else fail(USAGE);
