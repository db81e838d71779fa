/**
 * Imports Markdown articles with YAML front matter (the format of src/seed/articles) into D1,
 * idempotent by slug: new slugs are added, articles already there are left as they are.
 *
 *   npm run import -- path/*.md                         # local database
 *   npm run import -- path/*.md --remote --env production
 */
import { parseArgs } from 'node:util';
import { readArticleFiles } from './article-files';
import { articleStatements, literal } from './seed-sql';
import { databaseTarget, executeStatements, queryDatabase } from './wrangler';

const argv = process.argv.slice(2);
const { positionals: paths } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: { remote: { type: 'boolean' }, env: { type: 'string' }, 'persist-to': { type: 'string' } },
});
if (paths.length === 0) throw new Error('Usage: npm run import -- path/*.md [--remote] [--env NAME]');
const target = databaseTarget(argv);

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
if (problems.length > 0) throw new Error(`Nothing imported:\n${problems.join('\n')}`);

const fresh = articles.filter((article) => !has('article', article.slug));
await executeStatements(await articleStatements(articles), target, 'import');
console.log(
  `Imported ${fresh.length} new article(s)${fresh.length ? `: ${fresh.map((a) => a.slug).join(', ')}` : ''}.`,
);
const kept = articles.length - fresh.length;
if (kept > 0) console.log(`${kept} already there by slug, left as they were.`);
