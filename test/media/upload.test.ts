import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BODY_BYTES } from '../../src/app';
import { originalKey } from '../../src/media/keys';
import { MAX_UPLOAD_BYTES } from '../../src/media/rules';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';
import { fetchPage, ORIGIN, visibleText } from '../support/helpers';
import { fixtureBytes, mediaRow, pngHeader, sha256, uploadImage } from './media-helpers';

let editor: AdminSession;
beforeAll(async () => {
  editor = await signedInStaff();
});

/** The refused form: 422, the message at the file field, and the alt text and credit as they were typed. */
async function expectRefused(response: Response, message: RegExp) {
  expect(response.status).toBe(422);
  const html = await response.text();
  expect(visibleText(html)).toMatch(message);
  expect(html).toMatch(/id="file"[^>]*aria-invalid="true"/);
  expect(html).toContain('value="Kept alt text"');
  expect(html).toContain('value="Kept credit"');
}
const kept = { alt: 'Kept alt text', credit: 'Kept credit' };

describe('uploading to the media library', () => {
  it('stores the original in R2 under the SHA-256 of its bytes, and its details in D1', async () => {
    const bytes = await fixtureBytes('jpeg');
    const hash = await sha256(bytes);
    const response = await uploadImage(editor, bytes);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin/media?done=uploaded');

    const object = await env.MEDIA.get(originalKey(hash));
    expect(object?.httpMetadata?.contentType).toBe('image/jpeg');
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
    const row = await mediaRow(hash);
    expect(row).toMatchObject({ type: 'image/jpeg', width: 800, height: 600, bytes: bytes.byteLength });
    expect(row).toMatchObject({ alt: 'A yellow circle on blue', credit: 'Test desk' });
    expect(row!.uploaded_by).toBeGreaterThan(0);

    const library = await (await editor.get('/admin/media?done=uploaded')).text();
    expect(visibleText(library)).toContain('Uploaded');
    expect(library).toContain(`value="![A yellow circle on blue](/media/${hash}/1280)"`);
    expect(library).toMatch(
      new RegExp(`<img src="/media/${hash}/\\d+" srcset="[^"]+" sizes="8rem"[^>]*width="800" height="600"`),
    );
  });

  it('accepts each raster format by its bytes, whatever the file is called or claims to be', async () => {
    const cases = [
      { fixture: 'png', name: 'renamed.jpg', type: 'image/jpeg', stored: 'image/png' },
      { fixture: 'jpeg', name: 'renamed.png', type: 'image/png', stored: 'image/jpeg' },
      { fixture: 'webp', name: 'photo.webp', type: 'image/webp', stored: 'image/webp' },
      { fixture: 'avif', name: 'photo.avif', type: 'application/octet-stream', stored: 'image/avif' },
      { fixture: 'gif', name: 'photo.gif', type: 'image/gif', stored: 'image/gif' },
    ] as const;
    for (const { fixture, name, type, stored } of cases) {
      const bytes = await fixtureBytes(fixture);
      const response = await uploadImage(editor, bytes, { name, type });
      expect(response.status, name).toBe(303);
      expect(await mediaRow(await sha256(bytes)), name).toMatchObject({ type: stored, width: 800, height: 600 });
    }
  });

  it('keeps one object and one row when the same file is uploaded twice', async () => {
    const bytes = await fixtureBytes('webp');
    expect((await uploadImage(editor, bytes)).status).toBe(303);
    expect((await uploadImage(editor, bytes, { alt: 'Second time' })).status).toBe(303);
    const { count } = (await env.DB.prepare('SELECT count(*) AS count FROM media WHERE hash = ?')
      .bind(await sha256(bytes))
      .first<{ count: number }>())!;
    expect(count).toBe(1);
  });

  it('refuses an SVG drawing, which can carry scripts', async () => {
    const svg = new TextEncoder().encode(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    await expectRefused(await uploadImage(editor, svg, { name: 'map.png', type: 'image/png', ...kept }), /SVG/);
  });

  it('refuses a file that is not an image, whatever its name', async () => {
    const text = new TextEncoder().encode('%PDF-1.7 not a photo at all');
    await expectRefused(
      await uploadImage(editor, text, { name: 'photo.jpg', type: 'image/jpeg', ...kept }),
      /not a JPEG, PNG, WebP, AVIF or GIF/,
    );
  });

  it('refuses a decompression bomb from its header, before decoding anything', async () => {
    const bomb = pngHeader(9_000, 9_000);
    await expectRefused(await uploadImage(editor, bomb, { name: 'bomb.png', ...kept }), /at most 50 megapixels/);
    const tall = pngHeader(100, 20_000);
    await expectRefused(await uploadImage(editor, tall, { name: 'tall.png', ...kept }), /12,000 pixels a side/);
    const { count } = (await env.DB.prepare('SELECT count(*) AS count FROM media WHERE width IN (9000, 100)').first<{
      count: number;
    }>())!;
    expect(count).toBe(0);
  });

  it('refuses a broken image: a header cut short, or pixel data cut short', async () => {
    const header = (await fixtureBytes('png')).slice(0, 12);
    await expectRefused(await uploadImage(editor, header, { name: 'cut.png', ...kept }), /could not be read/);
    const jpeg = await fixtureBytes('jpeg');
    const truncated = jpeg.slice(0, Math.floor(jpeg.byteLength / 2));
    await expectRefused(await uploadImage(editor, truncated, kept), /could not be read/);
    expect(await env.MEDIA.get(originalKey(await sha256(truncated)))).toBeNull();
  });

  it('refuses a file over 15 MB with the form kept, and a body beyond the upload limit with a 413', async () => {
    const jpeg = await fixtureBytes('jpeg');
    const large = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    large.set(jpeg);
    await expectRefused(await uploadImage(editor, large, kept), /larger than 15 MB/);

    const huge = new Uint8Array(MAX_UPLOAD_BODY_BYTES + 1);
    const response = await uploadImage(editor, huge, kept);
    expect(response.status).toBe(413);
    expect(visibleText(await response.text())).toContain('This file is too large: an image can be at most 15 MB.');
  });

  it('asks for the file and the alt text', async () => {
    await expectRefused(await uploadImage(editor, new Uint8Array(0), kept), /Choose an image file/);
    const response = await uploadImage(editor, await fixtureBytes('gif'), { alt: '' });
    expect(response.status).toBe(422);
    expect(visibleText(await response.text())).toContain('Describe the image for readers who cannot see it.');
  });

  it('keeps the 64 KB limit on every other form', async () => {
    const body = new URLSearchParams({ comment: 'x'.repeat(70 * 1024) });
    const response = await fetchPage('/newsletter', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
      body,
    });
    expect(response.status).toBe(413);
    const upload = await fetchPage('/admin/media', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
      body,
    });
    expect(upload.status, 'signed out: refused before the body is read').toBe(401);
  });

  it('is only for signed-in editors', async () => {
    const response = await fetchPage('/admin/media', { redirect: 'manual' });
    expect(response.status).toBe(303);
  });
});

describe('the library’s pages', () => {
  /** The images a library page lists (by their delete forms), and its links. */
  async function libraryPage(address: string) {
    const response = await editor.get(address);
    expect(response.status, address).toBe(200);
    const html = await response.text();
    const link = (text: string) => new RegExp(`<a href="([^"]+)">${text}</a>`).exec(html)?.[1];
    return {
      hashes: [...html.matchAll(/action="\/admin\/media\/([0-9a-f]{64})\/delete"/g)].map((m) => m[1]!),
      older: link('Older uploads →'),
      newer: link('← Newer uploads'),
    };
  }
  const newestFirst = async () =>
    (
      await env.DB.prepare('SELECT hash FROM media ORDER BY created_at DESC, id DESC').all<{ hash: string }>()
    ).results.map((row) => row.hash);

  it('lists every upload newest first, 30 a page, from a place that holds when images come and go', async () => {
    // 70 uploads, ten to a millisecond (ties across the pages' boundaries), after everything else.
    await env.DB.batch(
      Array.from({ length: 70 }, (_, n) =>
        env.DB.prepare(
          "INSERT INTO media (hash, type, width, height, bytes, alt, created_at) VALUES (?, 'image/png', 10, 10, 100, 'Listed', ?)",
        ).bind(n.toString(16).padStart(64, 'a'), Date.UTC(2031, 0, 1) + Math.floor(n / 10)),
      ),
    );
    const order = await newestFirst();
    const pages = [await libraryPage('/admin/media')];
    while (pages.at(-1)!.older) pages.push(await libraryPage(pages.at(-1)!.older!));
    expect(pages.flatMap((page) => page.hashes)).toEqual(order);
    expect(pages[0]!.newer).toBeUndefined();
    expect(pages.at(-1)!.older).toBeUndefined();
    expect((await libraryPage(pages[2]!.newer!)).hashes).toEqual(pages[1]!.hashes);
    expect((await libraryPage(pages[1]!.newer!)).hashes).toEqual(pages[0]!.hashes);

    // The second page's place stays where it was when its anchor and the next image go and one arrives.
    await env.DB.batch([
      env.DB.prepare('DELETE FROM media WHERE hash IN (?, ?)').bind(order[29]!, order[30]!),
      env.DB.prepare(
        "INSERT INTO media (hash, type, width, height, bytes, alt, created_at) VALUES (?, 'image/png', 10, 10, 100, 'New', ?)",
      ).bind('f'.repeat(64), Date.UTC(2032, 0, 1)),
    ]);
    expect((await libraryPage(pages[0]!.older!)).hashes).toEqual(order.slice(31, 61));

    const old = await editor.get('/admin/media?page=2');
    expect(old.status).toBe(302);
    expect(old.headers.get('Location')).toBe('/admin/media');
  });
});
