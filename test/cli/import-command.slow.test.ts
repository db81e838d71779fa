/**
 * The import command itself refusing what it cannot read: each case runs `npm run import` in a new
 * process (about 7 s each on 2 cores), so they run with the slow suite; the readers' refusals, with
 * line and column, are checked in test/cli/import.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/wordpress');
const temp = mkdtempSync(join(tmpdir(), 'import-'));

/** `npm run import -- …` against a state folder that does not exist: any write would create it. */
function runImport(...args: string[]) {
  const persistTo = join(temp, `state-${Math.random().toString(36).slice(2)}`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/import.ts', ...args, '--persist-to', persistTo, '--report', join(temp, 'report.json')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', PATH: `${ROOT}/node_modules/.bin:${process.env.PATH}` },
    },
  );
  return { status: result.status, output: result.stdout + result.stderr, wrote: existsSync(persistTo) };
}
const file = (name: string, text: string) => {
  const path = join(temp, name);
  writeFileSync(path, text);
  return path;
};

describe('npm run import, given a file it cannot read', { timeout: 120_000 }, () => {
  it('makes the command say so, exit 1 and write nothing', () => {
    for (const [kind, path] of [
      ['wordpress', join(FIXTURES, 'malformed-simple.xml')],
      ['wordpress', join(temp, 'missing.xml')],
      ['disqus', join(ROOT, 'test/fixtures/disqus/remark42-disqus-deleted-post.xml')],
      ['disqus', join(FIXTURES, 'wxr-simple.xml')],
      ['ghost', join(FIXTURES, 'wxr-simple.xml')],
      [
        'ghost',
        file(
          'truncated.json',
          readFileSync(join(ROOT, 'test/fixtures/ghost/products_export.json'), 'utf8').slice(0, 2000),
        ),
      ],
    ] as const) {
      const { status, output, wrote } = runImport(kind, path);
      expect(output).toMatch(/Nothing was imported|no such file/);
      expect(status).toBe(1);
      expect(wrote).toBe(false);
    }
  });

  it('says how to use it when the kind is missing or unknown', () => {
    const { status, output } = runImport('joomla', 'export.json');
    expect(status).toBe(1);
    expect(output).toContain('npm run import -- wordpress FILE.xml');
    expect(output).toContain('npm run import -- ghost FILE.json');
  });
});
