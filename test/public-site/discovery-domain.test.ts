import { describe, expect, it } from 'vitest';
import { jsonForScript } from '../../src/lib/json-ld';
import { escapeXml } from '../../src/lib/xml';
import { absoluteUrl, feedPath, pagePath } from '../../src/paths';
import {
  MATCH_END,
  MATCH_START,
  matchExpression,
  searchTerms,
  snippetSegments,
  withoutMarkdown,
} from '../../src/public-site/search-terms';

describe('search queries', () => {
  it('keeps only words, so no FTS5 syntax reaches the index', () => {
    expect(searchTerms('  nuclear "proliferation" AND col:ton* NEAR(a b) -x ^y ')).toEqual([
      'nuclear',
      'proliferation',
      'AND',
      'col',
      'ton',
      'NEAR',
      'a',
      'b',
      'x',
      'y',
    ]);
    expect(searchTerms('"*" () : - ^ \u0002')).toEqual([]);
    expect(searchTerms('Seúl 東京 2010')).toEqual(['Seúl', '東京', '2010']);
    expect(searchTerms(Array.from({ length: 30 }, (_, index) => `w${index}`).join(' '))).toHaveLength(12);
    expect(matchExpression(['nuclear', 'AND'])).toBe('"nuclear" "AND"');
  });

  it('splits a marked snippet into plain and matching text, dropping stray markers', () => {
    expect(snippetSegments(`a <b> ${MATCH_START}word${MATCH_END} & ${MATCH_START}x`)).toEqual([
      { text: 'a <b> ', match: false },
      { text: 'word', match: true },
      { text: ' & x', match: false },
    ]);
    expect(snippetSegments('')).toEqual([]);
  });

  it('drops Markdown link targets and emphasis from snippets', () => {
    expect(withoutMarkdown('## Head\nsee [the **report**](https://example.com/x) and `code`')).toBe(
      'Head\nsee the report and code',
    );
  });
});

describe('XML and JSON-LD escaping', () => {
  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>\u0001\uFFFE\uD800`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
    expect(escapeXml('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('writes JSON that cannot end a script element and parses back to the same value', () => {
    const value = { text: '</script><!-- & \u2028' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('discovery paths', () => {
  it('builds feed, paginated and absolute addresses', () => {
    expect(feedPath('rss')).toBe('/feed.xml');
    expect(feedPath('atom', 'security')).toBe('/section/security/atom.xml');
    expect(pagePath('/search?q=a+b', 2)).toBe('/search?q=a+b&page=2');
    expect(pagePath('/section/security', 3)).toBe('/section/security?page=3');
    expect(absoluteUrl('https://edgepress.example', '/2010/11/x')).toBe('https://edgepress.example/2010/11/x');
    expect(absoluteUrl('https://edgepress.example', 'https://cdn.example/a.jpg')).toBe('https://cdn.example/a.jpg');
  });
});
