import { beforeAll, describe, expect, it } from 'vitest';
import { markdownSnippet } from '../../src/media/views/library-page';
import { type AdminSession, publishFromPage, signedInStaff } from '../support/admin-helpers';
import { elementsIn, fetchPage } from '../support/helpers';
import { articleFields, fixtureBytes, sha256, uploadImage } from './media-helpers';

let editor: AdminSession;
beforeAll(async () => {
  editor = await signedInStaff();
});

const UNKNOWN = `/media/${'0'.repeat(64)}/1280`;
const EXTERNAL = 'https://images.example.org/harbour.jpg';

/** An article with this body, published in January 2026; its page's body images as the HTML parser reads them. */
async function publishedBodyImages(body: string) {
  const slug = `body-images-${crypto.randomUUID().slice(0, 8)}`;
  const created = await editor.post('/admin/articles', await articleFields({ slug, body }));
  expect(created.status).toBe(303);
  const id = /\/admin\/articles\/(\d+)/.exec(created.headers.get('Location')!)![1];
  expect((await publishFromPage(editor, id!, '2026-01-15T10:00')).status).toBe(303);
  const page = await fetchPage(`/2026/01/${slug}`);
  expect(page.status).toBe(200);
  return elementsIn(await page.text(), '.article-body img');
}

describe('images in an article’s body', () => {
  it('from the media library: their variants, sizes and size from D1, loaded lazily; other addresses as written', async () => {
    const bytes = await fixtureBytes('png');
    expect((await uploadImage(editor, bytes, { alt: 'A drawing of the harbour' })).status).toBe(303);
    const hash = await sha256(bytes);
    const snippet = markdownSnippet({ hash, alt: 'A drawing of the harbour' });

    const [library, unknown, external] = await publishedBodyImages(
      `Before.\n\n${snippet}\n\n![Not uploaded](${UNKNOWN})\n\n![Elsewhere](${EXTERNAL})`,
    );
    expect(library).toEqual({
      src: `/media/${hash}/960`,
      alt: 'A drawing of the harbour',
      srcset: `/media/${hash}/320 320w, /media/${hash}/640 640w, /media/${hash}/960 800w`,
      sizes: '(min-width: 46rem) 44rem, calc(100vw - 2rem)',
      width: '800',
      height: '600',
      loading: 'lazy',
      decoding: 'async',
    });
    expect(unknown).toEqual({ src: UNKNOWN, alt: 'Not uploaded', loading: 'lazy', decoding: 'async' });
    expect(external).toEqual({ src: EXTERNAL, alt: 'Elsewhere', loading: 'lazy', decoding: 'async' });

    for (const entry of library!.srcset!.split(', ')) {
      const response = await fetchPage(entry.split(' ')[0]!, { headers: { Accept: 'image/avif,image/webp' } });
      expect(response.status, entry).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('image/avif');
    }
  });

  it('are all resolved however many there are (D1 binds at most 100 parameters a query)', async () => {
    const bytes = await fixtureBytes('webp');
    expect((await uploadImage(editor, bytes, { alt: 'A photo' })).status).toBe(303);
    const hash = await sha256(bytes);
    const unknown = Array.from({ length: 120 }, (_, i) => `![n${i}](/media/${i.toString(16).padStart(64, 'a')}/640)`);
    const images = await publishedBodyImages([...unknown, `![A photo](/media/${hash}/1280)`].join('\n\n'));
    expect(images).toHaveLength(121);
    expect(images.filter((image) => image.srcset)).toEqual([expect.objectContaining({ width: '800', height: '600' })]);
  });
});
