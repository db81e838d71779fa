import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fetchPage, SAMPLE_ARTICLE_PATH } from '../support/helpers';

const BUDGET_BYTES = 30 * 1024;

describe('the article page’s weight', () => {
  it('needs no JavaScript, and its HTML, CSS and fonts fit in 30 KB (the hero image aside)', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const executable = [...html.matchAll(/<script\b([^>]*)>/g)].filter(
      (match) => !/type="application\/ld\+json"/.test(match[1]!),
    );
    expect(executable).toEqual([]);

    const stylesheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1]!);
    expect(stylesheets).toEqual(['/styles.css']);
    let bytes = new TextEncoder().encode(html).byteLength;
    for (const href of stylesheets) {
      const css = await (await env.ASSETS.fetch(`http://localhost${href}`)).text();
      expect(css).not.toMatch(/@font-face|@import/);
      bytes += new TextEncoder().encode(css).byteLength;
    }
    expect(bytes, `${bytes} bytes uncompressed`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('gives every image its size (no layout shift) and loads those below the fold lazily', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const images = [...html.matchAll(/<img\b[^>]*>/g)].map((match) => match[0]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/width="\d+"[^>]*height="\d+"|height="\d+"[^>]*width="\d+"/);
    const [hero, ...below] = images;
    expect(hero).toContain('fetchpriority="high"');
    expect(hero).not.toContain('loading="lazy"');
    for (const image of below) expect(image).toContain('loading="lazy"');
  });
});
