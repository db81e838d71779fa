import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { variantKey } from '../../src/media/keys';
import { signedInStaff } from '../support/admin-helpers';
import { fetchPage } from '../support/helpers';
import { EXIF_WORDS, fixtureBytes, publishWithHero, sha256, uploadImage, uploadPublicImage } from './media-helpers';

const AVIF_BROWSER = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const WEBP_BROWSER = 'image/webp,*/*';
const OLD_BROWSER = 'image/png,image/*;q=0.8,*/*;q=0.5';

let hash: string;
beforeAll(async () => {
  hash = await uploadPublicImage(await signedInStaff(), await fixtureBytes('jpeg'));
});

const variant = (path: string, accept: string) => fetchPage(path, { headers: { Accept: accept } });

describe('image variants', () => {
  it('are AVIF, WebP or JPEG as the browser accepts, at one stable address, cached for a year', async () => {
    for (const [accept, type] of [
      [AVIF_BROWSER, 'image/avif'],
      [WEBP_BROWSER, 'image/webp'],
      [OLD_BROWSER, 'image/jpeg'],
      ['image/avif;q=0, image/webp', 'image/webp'],
    ] as const) {
      const response = await variant(`/media/${hash}/640`, accept);
      expect(response.status, accept).toBe(200);
      expect(response.headers.get('Content-Type'), accept).toBe(type);
      expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('Vary')).toBe('Accept');
      const info = await env.IMAGES.info(response.body!);
      expect(info).toMatchObject({ format: type, width: 640, height: 480 });
    }
  });

  it('are JPEG at the address ending in .jpg, whatever the browser accepts (the WordPress export’s attachments)', async () => {
    const response = await variant(`/media/${hash}/640.jpg`, AVIF_BROWSER);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/jpeg');
    expect(await env.IMAGES.info(response.body!)).toMatchObject({ format: 'image/jpeg', width: 640, height: 480 });
    for (const path of [`/media/${hash}/500.jpg`, `/media/${hash}/640.png`, `/media/${hash}/640.jpg.jpg`]) {
      expect((await variant(path, AVIF_BROWSER)).status, path).toBe(404);
    }
  });

  it('are never wider than the original, and WebP rather than AVIF beyond the 1,200 pixels Cloudflare encodes AVIF at', async () => {
    const response = await variant(`/media/${hash}/1280`, AVIF_BROWSER);
    expect(response.headers.get('Content-Type')).toBe('image/webp');
    expect(await env.IMAGES.info(response.body!)).toMatchObject({ width: 800, height: 600 });
  });

  it('carry none of the original’s metadata (EXIF, GPS)', async () => {
    const original = new TextDecoder('latin1').decode(await fixtureBytes('jpeg'));
    for (const word of EXIF_WORDS) expect(original).toContain(word);
    for (const accept of [AVIF_BROWSER, WEBP_BROWSER, OLD_BROWSER]) {
      for (const width of [320, 640, 960]) {
        const bytes = new TextDecoder('latin1').decode(
          await (await variant(`/media/${hash}/${width}`, accept)).arrayBuffer(),
        );
        for (const word of [...EXIF_WORDS, 'Exif\0\0', 'GPS']) expect(bytes, `${width} ${accept}`).not.toContain(word);
      }
    }
    const share = new TextDecoder('latin1').decode(await (await fetchPage(`/media/${hash}/share.jpg`)).arrayBuffer());
    for (const word of [...EXIF_WORDS, 'Exif\0\0']) expect(share).not.toContain(word);
  });

  it('are made once and kept in R2', async () => {
    const key = variantKey(hash, 1920, 'jpeg');
    expect(await env.MEDIA.head(key)).toBeNull();
    const first = await (await variant(`/media/${hash}/1920`, OLD_BROWSER)).arrayBuffer();
    const stored = await env.MEDIA.get(key);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(new Uint8Array(first));
    // A marker in place of the stored variant: a second request serves what is kept, not a new one.
    await env.MEDIA.put(key, 'kept', { httpMetadata: { contentType: 'image/jpeg' } });
    expect(await caches.default.delete(new Request(`http://localhost:8787/media/${hash}/1920.jpeg`))).toBe(true);
    expect(await (await variant(`/media/${hash}/1920`, OLD_BROWSER)).text()).toBe('kept');
  });

  it('answer 304 to a browser that has one already', async () => {
    const first = await variant(`/media/${hash}/320`, WEBP_BROWSER);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}-320-webp"$/);
    const again = await fetchPage(`/media/${hash}/320`, { headers: { Accept: WEBP_BROWSER, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('refuse widths outside the set, unknown images, and never serve the original', async () => {
    for (const path of [
      `/media/${hash}/500`,
      `/media/${hash}/0`,
      `/media/${hash}/99999`,
      `/media/${hash}`,
      `/media/${'0'.repeat(64)}/640`,
      `/media/${hash}/original`,
    ]) {
      expect((await variant(path, AVIF_BROWSER)).status, path).toBe(404);
    }
  });

  it('include a 1200×630 JPEG for sharing, cropped from the image', async () => {
    const response = await fetchPage(`/media/${hash}/share.jpg`);
    expect(response.headers.get('Content-Type')).toBe('image/jpeg');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(await env.IMAGES.info(response.body!)).toMatchObject({ format: 'image/jpeg', width: 1200, height: 630 });
  });
});

describe('a draft’s image', () => {
  it('is private until an article showing it is published: a 404 to readers, never cached, for staff alone', async () => {
    const [editor, contributor] = await Promise.all([signedInStaff('editor'), signedInStaff('contributor')]);
    const bytes = await fixtureBytes('webp');
    expect((await uploadImage(contributor, bytes)).status).toBe(303);
    const draft = await sha256(bytes);
    const path = `/media/${draft}/640`;
    for (const address of [path, `/media/${draft}/320`, `/media/${draft}/640.jpg`, `/media/${draft}/share.jpg`]) {
      expect((await variant(address, WEBP_BROWSER)).status, address).toBe(404);
    }
    // The contributor's own browser sees it (the editor's preview does too), privately.
    const own = await contributor.browse(path, { Accept: WEBP_BROWSER });
    expect(own.status).toBe(200);
    expect(own.headers.get('Cache-Control')).toBe('private, no-store');
    // What staff saw was kept in no shared cache: readers still get nothing.
    expect((await variant(path, WEBP_BROWSER)).status).toBe(404);
    // A forged staff cookie opens nothing.
    const forged = await fetchPage(path, { headers: { Cookie: 'edgepress_staff=1.abcdef' } });
    expect(forged.status).toBe(404);

    // Scheduled for later: still private until its time.
    const later = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    await publishWithHero(editor, draft, later);
    expect((await variant(path, WEBP_BROWSER)).status).toBe(404);
    // Published now by another article: public and cacheable from then on.
    await publishWithHero(editor, draft);
    const published = await variant(path, WEBP_BROWSER);
    expect(published.status).toBe(200);
    expect(published.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
  });
});

describe('the sample article’s hero', () => {
  it('reaches a 375 px phone (a 2× screen picks the 960 variant) in at most 60 KB', async () => {
    const { hero } = (await env.DB.prepare(
      "SELECT hero_image_url AS hero FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ hero: string }>())!;
    for (const accept of [AVIF_BROWSER, WEBP_BROWSER, OLD_BROWSER]) {
      for (const width of [320, 640, 960]) {
        const bytes = (await (await variant(hero.replace(/\d+$/, String(width)), accept)).arrayBuffer()).byteLength;
        expect(bytes, `${width} ${accept}: ${bytes} bytes`).toBeLessThanOrEqual(60 * 1024);
      }
    }
  });
});
