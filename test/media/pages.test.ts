import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';
import { clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';
import { articleFields, fixtureBytes, postMultipart, sha256 } from './media-helpers';

const SITE = 'http://localhost:8787';
const HASH = '[0-9a-f]{64}';

let editor: AdminSession;
beforeAll(async () => {
  editor = await signedInStaff();
});
beforeEach(clearPageCache);

const images = (html: string) => [...html.matchAll(/<img\b[^>]*>/g)].map((match) => match[0]);
const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const meta = (html: string, key: string) =>
  new RegExp(`<meta property="${key}" content="([^"]*)"/>`).exec(html)?.[1]?.replaceAll('&amp;', '&');

describe('the sample article', () => {
  it('shows its hero with a srcset of its variants, its size, and first in line', async () => {
    const [hero, ...rest] = images(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text());
    expect(rest).toEqual([]);
    expect(attribute(hero!, 'src')).toMatch(new RegExp(`^/media/${HASH}/1280$`));
    const srcset = attribute(hero!, 'srcset')!.split(', ');
    expect(srcset.map((entry) => entry.split(' ')[1])).toEqual(['320w', '640w', '960w', '1280w', '1920w']);
    expect(attribute(hero!, 'sizes')).toBe('(min-width: 48rem) 46rem, 100vw');
    expect([attribute(hero!, 'width'), attribute(hero!, 'height')]).toEqual(['1920', '1080']);
    expect(attribute(hero!, 'fetchpriority')).toBe('high');
    expect(attribute(hero!, 'loading')).toBeUndefined();
    for (const entry of srcset) {
      const response = await fetchPage(entry.split(' ')[0]!, { headers: { Accept: 'image/webp' } });
      expect(response.status, entry).toBe(200);
    }
  });

  it('shares a 1200×630 JPEG made from its hero', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const image = meta(html, 'og:image')!;
    expect(image).toMatch(new RegExp(`^${SITE}/media/${HASH}/share\\.jpg$`));
    expect([meta(html, 'og:image:width'), meta(html, 'og:image:height'), meta(html, 'og:image:type')]).toEqual([
      '1200',
      '630',
      'image/jpeg',
    ]);
    const response = await fetchPage(image.slice(SITE.length));
    expect(await env.IMAGES.info(response.body!)).toMatchObject({ format: 'image/jpeg', width: 1200, height: 630 });
  });
});

describe('listings', () => {
  it('show a thumbnail of each article’s hero, sized and loaded lazily', async () => {
    for (const path of ['/', '/section/security']) {
      const html = await (await fetchPage(path)).text();
      const thumbnails = images(html).filter((tag) => tag.includes('article-thumbnail'));
      expect(thumbnails.length, path).toBeGreaterThanOrEqual(3);
      for (const tag of thumbnails) {
        expect(attribute(tag, 'srcset'), path).toMatch(new RegExp(`^/media/${HASH}/320 320w`));
        expect(attribute(tag, 'sizes')).toBe('(min-width: 48rem) 12rem, 8rem');
        expect(attribute(tag, 'width')).toMatch(/^\d+$/);
        expect(attribute(tag, 'height')).toMatch(/^\d+$/);
        expect(attribute(tag, 'loading')).toBe('lazy');
      }
    }
  });
});

describe('the article editor', () => {
  it('uploads a hero file with the article: stored in the library, shown with its size', async () => {
    const bytes = await fixtureBytes('png');
    const hash = await sha256(bytes);
    const response = await postMultipart(editor, '/admin/articles', await articleFields(), {
      field: 'heroImageFile',
      name: 'harbour.jpg',
      type: 'image/jpeg',
      bytes,
    });
    expect(response.status).toBe(303);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('Location')!)![1]);
    const article = await env.DB.prepare('SELECT * FROM articles WHERE id = ?').bind(id).first();
    expect(article).toMatchObject({
      hero_image_url: `/media/${hash}/1280`,
      hero_image_width: 800,
      hero_image_height: 600,
    });
    const media = await env.DB.prepare('SELECT alt, credit FROM media WHERE hash = ?').bind(hash).first();
    expect(media).toEqual({ alt: 'Cranes over the harbour at dusk', credit: 'Port desk' });
    const preview = await (await editor.get(`/admin/articles/${id}/preview`)).text();
    expect(preview).toMatch(new RegExp(`<img src="/media/${hash}/960" srcset="[^"]+"[^>]*width="800" height="600"`));
  });

  it('keeps the size of a library image typed as the hero address (it used to be lost)', async () => {
    const { hero_image_url: url } = (await env.DB.prepare(
      "SELECT hero_image_url FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ hero_image_url: string }>())!;
    const response = await editor.post('/admin/articles', await articleFields({ heroImageUrl: url }));
    expect(response.status).toBe(303);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('Location')!)![1]);
    const article = await env.DB.prepare('SELECT * FROM articles WHERE id = ?').bind(id).first();
    expect(article).toMatchObject({ hero_image_url: url, hero_image_width: 1920, hero_image_height: 1080 });
  });

  it('refuses a hero that is not an image with a 422, the article as it was typed', async () => {
    const fields = await articleFields({ headline: 'Kept Headline', body: 'Kept body text.' });
    const response = await postMultipart(editor, '/admin/articles', fields, {
      field: 'heroImageFile',
      name: 'hero.jpg',
      type: 'image/jpeg',
      bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(visibleText(html)).toContain('SVG drawings are not accepted');
    expect(html).toContain('value="Kept Headline"');
    expect(html).toContain('Kept body text.');
    expect(html).toContain('value="Cranes over the harbour at dusk"');
    expect(html).toContain('enctype="multipart/form-data"');
    const saved = await env.DB.prepare("SELECT count(*) AS n FROM articles WHERE headline = 'Kept Headline'").first();
    expect(saved).toEqual({ n: 0 });
  });
});
