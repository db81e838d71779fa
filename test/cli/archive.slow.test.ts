import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm run seed:archive', () => {
  const run = (args: string[]) =>
    spawnSync('npm', ['run', '--silent', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });

  it('fills a migrated, seeded local database, its triggers keeping search, tag order and counts', () => {
    const state = mkdtempSync(join(tmpdir(), 'edgepress-archive-'));
    expect(run(['db:migrate', '--', '--persist-to', state]).status).toBe(0);
    expect(run(['db:seed', '--', '--persist-to', state]).status).toBe(0);
    const seeded = run([
      'seed:archive',
      '--',
      '--articles',
      '120',
      '--comments',
      '4000',
      '--subscribers',
      '30',
      '--persist-to',
      state,
    ]);
    expect(seeded.stderr).toBe('');
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(
      /Archive added in [\d.]+ s \(seed 1\): 120 articles, 4,000 comments, 30 subscribers\./,
    );
    // The database's growth a row: an article's two bodies of 800-3,000 words, tags and search index;
    // a comment's text of 8-60 words and its index entries.
    const [, article, comment] = seeded.stdout.match(/([\d,]+) bytes an article .*, ([\d,]+) bytes a comment\./)!;
    expect(Number(article!.replaceAll(',', ''))).toBeGreaterThan(10_000);
    expect(Number(article!.replaceAll(',', ''))).toBeLessThan(60_000);
    expect(Number(comment!.replaceAll(',', ''))).toBeGreaterThan(200);
    expect(Number(comment!.replaceAll(',', ''))).toBeLessThan(2_000);

    const dir = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject');
    const file = readdirSync(dir).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite')!;
    const db = new DatabaseSync(join(dir, file), { readOnly: true });
    const get = (sql: string) => db.prepare(sql).get() as Record<string, number>;
    expect(get("SELECT count(*) AS n FROM articles WHERE slug LIKE '%-' || id").n).toBe(120);
    expect(get('SELECT count(*) AS n FROM subscribers').n).toBe(30);
    expect(
      get(
        "SELECT count(*) AS wrong FROM articles WHERE comment_count <> (SELECT count(*) FROM comments WHERE article_id = articles.id AND status = 'approved')",
      ).wrong,
    ).toBe(0);
    expect(
      get(
        'SELECT count(*) AS wrong FROM article_tags JOIN articles ON articles.id = article_id WHERE article_tags.status IS NOT articles.status OR article_tags.published_at IS NOT articles.published_at',
      ).wrong,
    ).toBe(0);
    expect(get("SELECT count(*) AS n FROM articles_search WHERE articles_search MATCH 'monsoon'").n).toBeGreaterThan(0);
    db.close();

    const again = run(['seed:archive', '--', '--articles', '10', '--persist-to', state]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has a synthetic archive');
  });

  it('says what is wrong with its arguments and exits 1', () => {
    const bad = run(['seed:archive', '--', '--articles', 'many']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--articles must be a whole number, not "many".');
  });
});
