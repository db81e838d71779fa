import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWxr } from '../../src/cli/wxr';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/wordpress');
const temp = mkdtempSync(join(tmpdir(), 'import-'));

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
});
