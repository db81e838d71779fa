/**
 * `npm run import` on a large export and on a running site's cache, through the real command and
 * wrangler's local D1 and KV: WordPress exports of 100 MB (read, --dry-run) and 10 MB (written) made
 * by test/support/large-wxr.ts, a Disqus export of 25 MB made by test/support/large-disqus.ts and a
 * Ghost export of 100 MB made by test/support/large-ghost.ts take bounded memory (the peak resident size of the command and the wranglers it runs, from
 * /usr/bin/time), and an import that writes purges the page cache while one that writes nothing
 * leaves it alone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/cli/wordpress-import';
import { queryStatements } from '../../src/cli/wrangler';
import { emptySite as emptyState, ROOT, run } from '../support/commands';
import { writeLargeDisqus } from '../support/large-disqus';
import { writeLargeGhost } from '../support/large-ghost';
import { writeLargeWxr } from '../support/large-wxr';

const temp = mkdtempSync(join(tmpdir(), 'import-scale-'));
const emptySite = (name: string) => emptyState(temp, name);
/** `npm run import -- …` (as a user runs it: with its heap limit) into `state`, with the peak resident size (MB) of it and every process it waited for. */
function runImport(state: string, ...args: string[]) {
  const report = join(temp, `report-${Math.random().toString(36).slice(2)}.json`);
  const { stdout, stderr } = run([
    '/usr/bin/time',
    '-f',
    'peak %M KB',
    'npm',
    'run',
    '--silent',
    'import',
    '--',
    ...args,
    '--persist-to',
    state,
    '--report',
    report,
  ]);
  const peakKb = Number(/peak (\d+) KB/.exec(stderr)?.[1]);
  return { stdout, peakMb: peakKb / 1024, report: JSON.parse(readFileSync(report, 'utf8')) as Report };
}

/**
 * The memory the import may take, whatever the file's size: Node's heap (256 MB, package.json), Node
 * itself and the wranglers it runs. Reading the file whole took 1.2 GB for 100 MB.
 */
const MAX_PEAK_MB = 600;

describe('a large WordPress export', { timeout: 600_000 }, () => {
  it('of 100 MB is read and planned in bounded memory (--dry-run)', async () => {
    const file = join(temp, 'large.xml');
    const posts = await writeLargeWxr(file, 100);
    const state = emptySite('dry');
    const { peakMb, report } = runImport(state, 'wordpress', file, '--dry-run');
    expect(report.created.articles).toBe(posts);
    expect(report.created.comments).toBeGreaterThan(posts * 2);
    expect(peakMb).toBeLessThan(MAX_PEAK_MB);
    const [[{ n }]] = queryStatements<{ n: number }>('SELECT count(*) AS n FROM articles', [
      '--local',
      '--persist-to',
      state,
    ]) as [[{ n: number }]];
    expect(n).toBe(0);
  });

  it('is written in batches, in bounded memory, and a second run changes nothing', async () => {
    const file = join(temp, 'medium.xml');
    const posts = await writeLargeWxr(file, 10);
    const state = emptySite('written');
    const first = runImport(state, 'wordpress', file);
    expect(first.peakMb).toBeLessThan(MAX_PEAK_MB);
    const target = ['--local', '--persist-to', state];
    const [[counts]] = queryStatements<{ articles: number; comments: number }>(
      'SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM comments) AS comments',
      target,
    ) as [[{ articles: number; comments: number }]];
    expect(counts.articles).toBe(posts);
    expect(counts.comments).toBe(first.report.created.comments);
    const again = runImport(state, 'wordpress', file);
    expect(again.report.created.articles + again.report.updated.articles).toBe(0);
    expect(again.report.unchanged.articles).toBe(posts);
  });
});
describe('a large Disqus export', { timeout: 600_000 }, () => {
  it('of 25 MB is read, planned and turned into statements in bounded memory (--dry-run)', async () => {
    const file = join(temp, 'disqus.xml');
    const posts = await writeLargeDisqus(file, 25);
    const state = emptySite('disqus');
    // Its threads are the Theme Unit Test's posts, by their old addresses.
    runImport(state, 'wordpress', join(ROOT, 'test/fixtures/wordpress/theme-unit-test-data.xml'));
    const { peakMb, report } = runImport(state, 'disqus', file, '--dry-run');
    expect(report.created.comments).toBe(posts);
    expect(report.skipped).toEqual([]);
    // Reading it whole ran out of the 256 MB heap.
    expect(peakMb).toBeLessThan(MAX_PEAK_MB);
  });
});
describe('a large Ghost export', { timeout: 600_000 }, () => {
  it('of 100 MB is read and planned in bounded memory (--dry-run)', async () => {
    const file = join(temp, 'ghost.json');
    const posts = await writeLargeGhost(file, 100);
    const { peakMb, report } = runImport(emptySite('ghost'), 'ghost', file, '--dry-run');
    expect(report.created.articles).toBe(posts);
    // Read whole with JSON.parse, it ran out of the 256 MB heap.
    expect(peakMb).toBeLessThan(MAX_PEAK_MB);
  });
});
describe('an import into a site whose pages are cached', { timeout: 300_000 }, () => {
  const fixture = join(ROOT, 'test/fixtures/wordpress/small-export.xml');
  const cacheKeys = (state: string) =>
    (
      JSON.parse(
        run(['wrangler', 'kv', 'key', 'list', '--binding', 'PAGE_CACHE', '--local', '--persist-to', state]).stdout,
      ) as { name: string }[]
    ).map((key) => key.name);
  const cachePage = (state: string, key: string) => {
    const page = join(temp, 'page.json');
    writeFileSync(page, JSON.stringify([{ key, value: '<p>cached before the import</p>' }]));
    run(['wrangler', 'kv', 'bulk', 'put', page, '--binding', 'PAGE_CACHE', '--local', '--persist-to', state]);
  };

  it('purges every cached page when it writes, and none when it writes nothing', () => {
    const state = emptySite('cached');
    for (const key of ['page:/|', 'page:/|@member', 'page:/feed.xml|']) cachePage(state, key);
    const { stdout } = runImport(state, 'wordpress', fixture);
    expect(stdout).toContain('page cache 2 cached addresses purged');
    const keys = cacheKeys(state);
    expect(keys.filter((key) => key.startsWith('page:'))).toEqual([]);
    // A render that began before the import is not stored after it.
    expect(keys).toEqual(expect.arrayContaining(['purged:/', 'purged:/feed.xml']));

    cachePage(state, 'page:/|');
    const again = runImport(state, 'wordpress', fixture);
    expect(again.stdout).not.toContain('page cache');
    expect(cacheKeys(state)).toContain('page:/|');
  });
});
