import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWxr, type WxrItem, WxrReader } from '../../src/cli/wxr';

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

/** Reads `text` with the streaming reader, split at `cuts`: the items, the header, or the error thrown. */
function readInPieces(text: string, cuts: number[]) {
  const reader = new WxrReader();
  const items: WxrItem[] = [];
  try {
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      items.push(...reader.write(text.slice(from, cut)));
      from = Math.max(from, cut);
    }
    items.push(...reader.write(text.slice(from)));
    const wxr = reader.end();
    return { ...wxr, items: [...items, ...wxr.items] };
  } catch (error) {
    return { error: String(error) };
  }
}
const whole = (text: string) => {
  try {
    return readWxr(text);
  } catch (error) {
    return { error: String(error) };
  }
};

describe('an export read in pieces, as a large file is streamed', () => {
  const small = [
    'wxr-utf-8-challenges.xml',
    'crazy-cdata-escaped.xml',
    'crazy-cdata.xml',
    'valid-wxr-1.0.xml',
    'namespace-edge-cases.xml',
    'malformed-simple.xml',
    'invalid-version-tag.xml',
    'hostile.xml',
  ].map((name) => [name, readFileSync(join(FIXTURES, name), 'utf8')] as const);

  it.each(small)('%s: cut anywhere, the same items, header and errors (line and column) as read whole', (_, text) => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 40 }), (cuts) => {
        expect(readInPieces(text, cuts)).toEqual(whole(text));
      }),
      { numRuns: 60 },
    );
  });

  it('the Theme Unit Test data, in pieces of every size from one line to a megabyte', () => {
    const text = readFileSync(join(FIXTURES, 'theme-unit-test-data.xml'), 'utf8');
    const expected = readWxr(text);
    for (const size of [97, 4096, 65_536, 1024 * 1024]) {
      const cuts = Array.from({ length: Math.ceil(text.length / size) }, (_, index) => index * size);
      expect(readInPieces(text, cuts)).toEqual(expected);
    }
  });
});
