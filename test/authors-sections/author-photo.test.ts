import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureBytes, sha256, uploadImage } from '../media/media-helpers';
import { type AdminSession, publishFromPage, signedInStaff } from '../support/admin-helpers';
import { afterPurge, clearPageCache, elementsIn, fetchPage, visibleText } from '../support/helpers';
import { nextNumber } from '../support/unique';

let admin: AdminSession;
let hash: string;
beforeAll(async () => {
  admin = await signedInStaff('administrator');
  const bytes = await fixtureBytes('jpeg');
  expect((await uploadImage(admin, bytes, { alt: 'Amara Osei at her desk' })).status).toBe(303);
  hash = await sha256(bytes);
});
beforeEach(clearPageCache);

const cachedPaths = async () =>
  (await env.PAGE_CACHE.list({ prefix: 'page:' })).keys.map((key) => key.name.slice(5, key.name.indexOf('|'))).sort();
const idOf = async (table: 'sections' | 'authors', slug: string) =>
  (await env.DB.prepare(`SELECT id FROM ${table} WHERE slug = ?`).bind(slug).first<{ id: number }>())!.id;
const imagesIn = async (path: string, selector: string) => elementsIn(await (await fetchPage(path)).text(), selector);

/** A new author with one published article: their page and the article's address. */
async function authorWithArticle() {
  const slug = `amara-osei-${nextNumber()}-${Date.now() % 100000}`;
  expect((await admin.post('/admin/authors', { name: 'Amara Osei', slug, text: 'Covers the Gulf.' })).status).toBe(303);
  const id = await idOf('authors', slug);
  const created = await admin.post('/admin/articles', {
    headline: `Osei Reports ${slug}`,
    body: 'A paragraph.',
    authorId: String(id),
    sectionId: String(await idOf('sections', 'security')),
  });
  const articleId = /\/admin\/articles\/(\d+)/.exec(created.headers.get('Location')!)![1];
  expect((await publishFromPage(admin, articleId!, '2026-01-15T10:00')).status).toBe(303);
  return { id, slug, page: `/author/${slug}`, article: `/2026/01/osei-reports-${slug}` };
}

const save = (author: { id: number; slug: string }, photo: string) =>
  admin.post(`/admin/authors/${author.id}`, { name: 'Amara Osei', slug: author.slug, text: 'Covers the Gulf.', photo });

describe('an author’s photo', () => {
  it('chosen from the media library is on their page and beside their byline, and purges exactly those pages', async () => {
    const author = await authorWithArticle();
    const unrelated = ['/section/environment', '/2010/11/obama-india-indian-ocean', '/author/arjun-mehta'];
    for (const path of [...unrelated, author.page, author.article]) expect((await fetchPage(path)).status).toBe(200);
    expect(await imagesIn(author.page, 'img.author-photo')).toEqual([]);

    expect((await save(author, `/media/${hash}/1280`)).status).toBe(303);
    await afterPurge(async () => {
      const cached = await cachedPaths();
      expect(cached).not.toContain(author.page);
      expect(cached).not.toContain(author.article);
    });
    expect(await cachedPaths()).toEqual(expect.arrayContaining(unrelated));

    const [photo, ...more] = await imagesIn(author.page, 'img.author-photo');
    expect(more).toEqual([]);
    expect(photo).toMatchObject({
      src: `/media/${hash}/960`,
      alt: 'Amara Osei',
      width: '800',
      height: '600',
      sizes: '8rem',
      fetchpriority: 'high',
    });
    expect(photo!.srcset).toBe(`/media/${hash}/320 320w, /media/${hash}/640 640w, /media/${hash}/960 800w`);
    const [beside] = await imagesIn(author.article, '.article-header .byline img.byline-photo');
    expect(beside).toMatchObject({ src: `/media/${hash}/960`, alt: '', width: '800', height: '600', sizes: '2.5rem' });
    expect(beside!.srcset).toContain(`/media/${hash}/320 320w`);
    // The variant it asks for is served.
    expect((await fetchPage(`/media/${hash}/320`, { headers: { Accept: 'image/webp' } })).status).toBe(200);
    // The admin form shows it for the next edit.
    const form = await (await admin.get('/admin/authors')).text();
    expect(form).toContain(`value="/media/${hash}/1280"`);

    expect((await save(author, '')).status).toBe(303);
    await afterPurge(async () => expect(await imagesIn(author.page, 'img.author-photo')).toEqual([]));
    expect(await imagesIn(author.article, 'img.byline-photo')).toEqual([]);
  });

  it('must be an image the library has: another address, or an unknown one, is refused with the form as typed', async () => {
    const author = await authorWithArticle();
    const stored = async () =>
      (await env.DB.prepare('SELECT photo_hash FROM authors WHERE id = ?').bind(author.id).first())?.photo_hash;
    for (const address of ['https://example.com/me.jpg', `/media/${'0'.repeat(64)}/640`]) {
      const refused = await save(author, address);
      expect(refused.status, address).toBe(422);
      const html = await refused.text();
      expect(visibleText(html)).toContain('Paste the address of an image in the media library');
      const [field] = await elementsIn(html, `#listing-${author.id}-photo`);
      expect(field).toMatchObject({ value: address, 'aria-invalid': 'true' });
      expect(await stored()).toBeNull();
    }
    // Sections have no photo field.
    expect(await elementsIn(await (await admin.get('/admin/sections')).text(), '[name=photo]')).toEqual([]);
  });
});
