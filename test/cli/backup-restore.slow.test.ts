import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_LIMITS } from '../../src/articles/article-input';
import { readSeed } from '../../src/cli/article-files';
import {
  type Backup,
  dataTables,
  MAX_STATEMENT_BYTES,
  quoteName,
  restoreStatements,
  type SchemaEntry,
} from '../../src/cli/backup-file';
import { seedStatements } from '../../src/cli/seed-sql';
import { executeStatements, queryDatabase, queryStatements } from '../../src/cli/wrangler';
import { emptySite } from '../support/commands';

const ROOT = resolve(import.meta.dirname, '../..');
process.env.PATH = `${ROOT}/node_modules/.bin:${process.env.PATH}`;
const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  return { status: result.status, output: result.stdout + result.stderr };
}
const npmScript = (script: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args]);

/** Everything a database holds, table by table (D1's own tables and the search index's storage aside). */
function contents(persistTo: string) {
  const target = ['--local', '--persist-to', persistTo];
  const schema = queryDatabase<SchemaEntry>('SELECT type, name, tbl_name, sql FROM sqlite_master', target);
  const tables = dataTables(schema);
  const rows = queryStatements(
    tables
      // sqlite_sequence's own row order is the order tables first got a row: its content is what counts.
      .map((table) => `SELECT * FROM ${quoteName(table)} ORDER BY ${table === 'sqlite_sequence' ? 'name' : 'rowid'}`)
      .join(';'),
    target,
  );
  return {
    schema: schema
      .filter((entry) => !entry.name.startsWith('_cf_'))
      .map(({ type, name, sql }) => `${type} ${name}: ${sql}`)
      .sort(),
    tables: Object.fromEntries(tables.map((table, index) => [table, rows[index]])),
  };
}

/**
 * `length` UTF-16 units (the editor counts them) of the text that weighs most as a row: `&` becomes
 * `&amp;` in the HTML, `'` is doubled in SQL, and astral characters are 4 bytes of UTF-8 that a
 * careless cut splits in two.
 */
function heaviestText(length: number): string {
  const pattern = ['&', "'", '😀', '日', '&'];
  let text = '';
  for (let i = 0; text.length < length; i++) {
    const next = pattern[i % pattern.length]!;
    if (text.length + next.length > length) break;
    text += next;
  }
  return text.padEnd(length, '&');
}
const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll("'", '&#39;');

/**
 * Statements a local D1 accepts (it refuses one over 100 KB) that leave each text of `values` in the
 * scratch table `largest_values`, built up in pieces of 10,000 characters.
 */
function scratchValues(values: Record<string, string>): string[] {
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  return Object.entries(values).flatMap(([name, value]) => {
    const pieces: string[] = [];
    let piece = '';
    for (const char of value) {
      piece += char;
      if (piece.length >= 10_000) {
        pieces.push(piece);
        piece = '';
      }
    }
    pieces.push(piece);
    return [
      `INSERT INTO largest_values (name, value) VALUES (${quote(name)}, '');`,
      ...pieces.map((each) => `UPDATE largest_values SET value = value || ${quote(each)} WHERE name = ${quote(name)};`),
    ];
  });
}

/** The largest article row the editor lets anyone store: every text field at its maximum, its HTML as large as that body renders. */
const LARGEST_ARTICLE: Record<string, string> = {
  headline: heaviestText(ARTICLE_LIMITS.headline),
  standfirst: heaviestText(ARTICLE_LIMITS.standfirst),
  body_markdown: heaviestText(ARTICLE_LIMITS.body),
  body_html: `<p>${escapeHtml(heaviestText(ARTICLE_LIMITS.body))}</p>`,
  hero_image_url: `/${'a'.repeat(ARTICLE_LIMITS.heroImageUrl - 1)}`,
  hero_image_alt: heaviestText(ARTICLE_LIMITS.heroImageAlt),
  hero_image_credit: heaviestText(ARTICLE_LIMITS.heroImageCredit),
  meta_title: heaviestText(ARTICLE_LIMITS.metaTitle),
  meta_description: heaviestText(ARTICLE_LIMITS.metaDescription),
  social_title: heaviestText(ARTICLE_LIMITS.socialTitle),
  social_description: heaviestText(ARTICLE_LIMITS.socialDescription),
  canonical_url: `https://example.com/${'a'.repeat(ARTICLE_LIMITS.canonicalUrl - 20)}`,
};

/** The database backed up: set in beforeAll. */
let source = '';
const restored = temp('backup-restored-');
const out = temp('backup-out-');
let backupFile = '';

beforeAll(async () => {
  source = emptySite(temp('backup-'), 'source');
  // The seed's rows, as `npm run seed` writes them (its images go to R2, which a backup does not hold).
  await executeStatements(
    await seedStatements(await readSeed(join(ROOT, 'src/seed'))),
    ['--local', '--persist-to', source],
    'seed',
  );
  // What a real database also holds: quotes, newlines, non-Latin text, NULLs, and a deleted row's id gap.
  queryDatabase(
    `INSERT INTO tags (slug, name) VALUES ('it''s', 'It''s "quoted"; -- not a comment
second line 日本語 🇰🇷'), ('gone', 'Gone'); DELETE FROM tags WHERE slug = 'gone'`,
    ['--local', '--persist-to', source],
  );
  // The draft article becomes the largest row the editor allows, with a revision as large.
  const target = ['--local', '--persist-to', source];
  const [{ id }] = queryDatabase<{ id: number }>("SELECT id FROM articles WHERE status = 'draft' LIMIT 1", target) as [
    { id: number },
  ];
  // Built in a scratch table first: the article itself is updated once (its search index once).
  const column = (name: string) => `${name} = (SELECT value FROM largest_values WHERE name = '${name}')`;
  await executeStatements(
    [
      'CREATE TABLE largest_values (name TEXT PRIMARY KEY, value TEXT NOT NULL);',
      ...scratchValues(LARGEST_ARTICLE),
      `UPDATE articles SET ${Object.keys(LARGEST_ARTICLE).map(column).join(', ')} WHERE id = ${id};`,
      'DROP TABLE largest_values;',
      `INSERT INTO article_revisions (article_id, number, headline, standfirst, body_markdown, saved_by_name)
       SELECT id, 99, headline, standfirst, body_markdown, '' FROM articles WHERE id = ${id};`,
    ],
    target,
    'largest-article',
  );
  // The first empty site may wait for another test file to finish migrating (test/support/commands.ts).
}, 300_000);

describe('npm run backup, then npm run restore', () => {
  it('backs up every table but the search index, in one file', () => {
    const result = npmScript('backup', ['--local', '--persist-to', source, '--out', out]);
    expect(result.status, result.output).toBe(0);
    const [name] = readdirSync(out);
    expect(name).toMatch(/^edgepress-local-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    backupFile = join(out, name!);
    const backup = JSON.parse(readFileSync(backupFile, 'utf8')) as Backup;
    expect(Object.keys(backup.tables)).toEqual(expect.arrayContaining(['articles', 'comments', 'd1_migrations']));
    expect(Object.keys(backup.tables).filter((table) => table.startsWith('articles_search'))).toEqual([]);
    expect(backup.tables.articles!.length).toBeGreaterThan(5);
    const largest = backup.tables.articles!.find((row) => row.body_markdown === LARGEST_ARTICLE.body_markdown);
    expect(largest, 'the largest article, whole').toMatchObject(LARGEST_ARTICLE);
    // Larger than one statement may be: restore has to cut it.
    expect(new TextEncoder().encode(JSON.stringify(largest)).length).toBeGreaterThan(3 * MAX_STATEMENT_BYTES);
    const longest = Math.max(...restoreStatements(backup).map((sql) => new TextEncoder().encode(sql).length));
    expect(longest, 'the longest restore statement, in bytes (D1 refuses one over 100,000)').toBeLessThanOrEqual(
      MAX_STATEMENT_BYTES,
    );
  });

  it('restores into a fresh database identical row for row, with the search index rebuilt', () => {
    const result = npmScript('restore', [backupFile, '--local', '--persist-to', restored]);
    expect(result.status, result.output).toBe(0);
    const before = contents(source);
    const after = contents(restored);
    expect(Object.keys(after.tables).sort()).toEqual(Object.keys(before.tables).sort());
    for (const table of Object.keys(before.tables)) expect(after.tables[table], table).toEqual(before.tables[table]);
    expect(after.schema).toEqual(before.schema);
    expect(before.tables.tags!.some((row) => String((row as { name: string }).name).includes('日本語 🇰🇷'))).toBe(true);

    const search = "SELECT rowid FROM articles_search WHERE articles_search MATCH 'korea OR russia' ORDER BY rowid";
    const found = queryDatabase(search, ['--local', '--persist-to', restored]);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(queryDatabase(search, ['--local', '--persist-to', source]));
  });

  it('refuses to restore over a database that has tables', () => {
    const result = npmScript('restore', [backupFile, '--local', '--persist-to', restored]);
    expect(result.status).toBe(1);
    expect(result.output).toContain('the target database is not empty');
  });
});
