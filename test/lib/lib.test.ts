import { describe, expect, it } from 'vitest';
import { hmacSign, hmacVerify } from '../../src/lib/hmac';
import { imageSources, renderMarkdown } from '../../src/lib/markdown';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signatures', () => {
  it('accept only their canonical spelling: a last character that differs only in its unused bits is a forgery', async () => {
    // 32 bytes are 43 base64url characters, 258 bits: the last character's lowest two bits carry nothing,
    // so four characters decode alike. Every token (the edit cookie, form tokens, links) ends with one.
    for (const message of ['comment-edit|1|1', 'comment-edit|2|2', 'comment-edit|3|3', 'comment-edit|4|4']) {
      const signature = await hmacSign('secret', message);
      const last = ALPHABET.indexOf(signature.at(-1)!);
      const twins = [0, 1, 2, 3].map((low) => ALPHABET[(last & ~3) | low]!).filter((char) => char !== signature.at(-1));
      expect(twins).toHaveLength(3);
      expect(await hmacVerify('secret', message, signature)).toBe(true);
      for (const twin of twins) expect(await hmacVerify('secret', message, signature.slice(0, -1) + twin)).toBe(false);
    }
  });
});

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

  it('gives an image what the resolver says of its address, and leaves the others as written', () => {
    const html = renderMarkdown('![Known](/known.png) and [![Linked](/other.png)](/x)', {
      resolveImage: (src) => (src === '/known.png' ? { src: '/known-640.png', width: 640, height: 480 } : undefined),
    });
    expect(html).toBe(
      '<p><img src="/known-640.png" alt="Known" width="640" height="480" loading="lazy" decoding="async"> and ' +
        '<a href="/x"><img src="/other.png" alt="Linked" loading="lazy" decoding="async"></a></p>\n',
    );
  });

  it('lists the images a body shows, nested ones included, and none of its links', () => {
    expect(
      imageSources('![a](/a.png)\n\n[![b](/b.png)](/page) [c](/c.png)\n\n> ![d](https://example.org/d.jpg)'),
    ).toEqual(['/a.png', '/b.png', 'https://example.org/d.jpg']);
  });
});
