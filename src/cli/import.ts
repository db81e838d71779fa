/**
 * Brings content in from elsewhere, into the local database or (with `--remote --env production`) the
 * deployed one:
 *
 *   npm run import -- markdown path/*.md            # our own Markdown files (the seed's format)
 *   npm run import -- wordpress export.xml [--dry-run] [--report FILE.json]
 *
 * `npm run import -- path/*.md` (no kind) is still read as `markdown`. See docs/move-in.md.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readArticleFiles } from './article-files';
import { readDevVars } from './dev-vars';
import { articleStatements, literal } from './seed-sql';
import {
  existingState,
  existingStateQueries,
  importStatements,
  planWordpressImport,
  type Report,
} from './wordpress-import';
import { databaseTarget, executeStatements, queryDatabase, queryStatements } from './wrangler';
import { readWxr, WxrError } from './wxr';
import { XmlError } from './xml-reader';

const USAGE = `Usage:
  npm run import -- markdown FILE.md… [--remote] [--env NAME]
  npm run import -- wordpress FILE.xml [--dry-run] [--report FILE.json] [--remote] [--env NAME]`;

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
    remote: { type: 'boolean' },
    env: { type: 'string' },
    'persist-to': { type: 'string' },
    'dry-run': { type: 'boolean' },
    report: { type: 'string' },
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
    `${label.padEnd(10)} ${Object.entries(counts)
      .map(([what, n]) => `${n} ${what}`)
      .join(', ')}`;
  console.log(
    `${report.dryRun ? 'Dry run (nothing written): ' : ''}WordPress ${report.wxrVersion} export of ${report.site}`,
  );
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
  if (report.networkAddressesDropped > 0) {
    console.log(
      `           ${report.networkAddressesDropped} commenters' network addresses not kept (see docs/move-in.md)`,
    );
  }
  console.log(`The whole report: ${reportPath}`);
}

async function importWordpress([file, ...extra]: string[]) {
  if (!file || extra.length > 0) fail(USAGE);
  if (!existsSync(file)) fail(`${file}: no such file`);
  let wxr: ReturnType<typeof readWxr>;
  try {
    wxr = readWxr(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof XmlError) fail(`${file}: not a readable XML file: ${error.message}. Nothing was imported.`);
    if (error instanceof WxrError) fail(`${file}: ${error.message}. Nothing was imported.`);
    throw error;
  }
  const plan = planWordpressImport(wxr);
  const ipSalt = process.env.IP_HASH_SALT ?? (target.includes('--remote') ? undefined : readDevVars().IP_HASH_SALT);
  const { statements, report } = await importStatements(
    plan,
    existingState(queryStatements(existingStateQueries(plan.source).join(';\n'), target)),
    {
      ipSalt,
      networkRetentionDays: NETWORK_RETENTION_DAYS,
      now: new Date(),
    },
  );
  const full: Report = {
    file,
    dryRun: Boolean(flags['dry-run']),
    wxrVersion: wxr.version,
    site: plan.source.slice('wordpress:'.length),
    ...report,
  };
  const reportPath = flags.report ?? 'import-report.json';
  if (!full.dryRun && statements.length > 0) await executeStatements(statements, target, 'import', { quiet: true });
  await writeFile(reportPath, `${JSON.stringify(full, null, 2)}\n`);
  printReport(full, reportPath);
}

if (kind === 'wordpress') await importWordpress(rest);
else if (kind === 'markdown') await importMarkdown(rest);
else if (kind?.endsWith('.md')) await importMarkdown(positionals);
else fail(USAGE);
