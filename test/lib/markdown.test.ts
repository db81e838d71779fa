import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/markdown';

describe('rendering an article’s Markdown', () => {
  it('escapes raw HTML and drops javascript: links', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>',
    );
    expect(html).not.toMatch(/<script|<img src=x|href="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('loads body images lazily', () => {
    expect(renderMarkdown('![A map](/images/map.svg)')).toBe(
      '<p><img src="/images/map.svg" alt="A map" loading="lazy" decoding="async"></p>\n',
    );
  });
});
