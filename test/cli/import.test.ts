import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWxr } from '../../src/cli/wxr';

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

describe('a file the WordPress import cannot read', { timeout: 60_000 }, () => {
  it.each([
    [
      'a file cut short',
      join(FIXTURES, 'malformed-simple.xml'),
      /ends before <\/item> \(opened on line 9\).*line 14, column 1/,
    ],
    [
      'an unknown WXR version',
      join(FIXTURES, 'invalid-version-tag.xml'),
      /unknown WXR version “abc”.*line 33, column 2/,
    ],
    ['"]]>" outside CDATA', join(FIXTURES, 'crazy-cdata.xml'), /“]]>” outside a CDATA section \(line 18, column 70\)/],
    [
      'not XML',
      file('notes.xml', 'Dear WordPress,\nplease export.'),
      /text before the root element \(line 1, column 1\)/,
    ],
    [
      'an RSS feed, not an export',
      file('feed.xml', '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'),
      /not a WordPress export: it has no wp: elements/,
    ],
    ['another kind of XML', file('svg.xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'), /its root is <svg>/],
    [
      'an external entity (XXE)',
      file('xxe.xml', '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>'),
      /a DOCTYPE: export files have none/,
    ],
    [
      'an entity bomb',
      file(
        'bomb.xml',
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><rss>&lol2;</rss>',
      ),
      /a DOCTYPE/,
    ],
    ['an undefined entity', file('entity.xml', '<rss>&nbsp;</rss>'), /the entity &nbsp; is not defined/],
  ])('%s: an error that names the problem, line and column where there is one', (_, path, message) => {
    expect(() => readWxr(readFileSync(path, 'utf8'))).toThrow(message);
  });

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
