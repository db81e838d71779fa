import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdminSession, publishFromPage, signedInStaff } from '../support/admin-helpers';
import { afterPurge, clearPageCache, elementsIn, fetchPage, visibleText } from '../support/helpers';
import { nextNumber } from '../support/unique';

let admin: AdminSession;
beforeAll(async () => {
  admin = await signedInStaff('administrator');
});
beforeEach(clearPageCache);

const cachedPaths = async () =>
  (await env.PAGE_CACHE.list({ prefix: 'page:' })).keys.map((key) => key.name.slice(5, key.name.indexOf('|'))).sort();
const navigation = async (path = '/') =>
  (await elementsIn(await (await fetchPage(path)).text(), '.site-nav a')).map((link) => link.href);
const idOf = async (table: 'sections' | 'authors', slug: string) =>
  (await env.DB.prepare(`SELECT id FROM ${table} WHERE slug = ?`).bind(slug).first<{ id: number }>())?.id;
const fresh = (label: string) => `${label}-${nextNumber()}-${Date.now() % 100000}`;

async function addSection(name: string, slug = '') {
  const response = await admin.post('/admin/sections', { name, slug, text: `All about ${name}.` });
  expect(response.status).toBe(303);
  return (await idOf('sections', slug || name.toLowerCase().replace(/ /g, '-')))!;
}

async function writeArticle(fields: { headline: string; sectionId: number; authorId?: number }, publish = true) {
  const response = await admin.post('/admin/articles', {
    headline: fields.headline,
    body: 'A paragraph.',
    authorId: String(fields.authorId ?? (await idOf('authors', 'mina-park'))),
    sectionId: String(fields.sectionId),
  });
  expect(response.status).toBe(303);
  const id = Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('Location')!)![1]);
  if (publish) expect((await publishFromPage(admin, id, '2026-01-15T10:00')).status).toBe(303);
  return id;
}

describe('sections in the admin', { timeout: 30_000 }, () => {
  it('are added last in the navigation and reordered there; every cached page shows the new navigation', async () => {
    const slug = fresh('maritime');
    await fetchPage('/');
    await fetchPage('/section/economy');
    expect(await cachedPaths()).toEqual(['/', '/section/economy']);

    const id = await addSection('Maritime Affairs', slug);
    await afterPurge(async () => expect(await cachedPaths()).toEqual([]));
    expect((await navigation()).at(-1)).toBe(`/section/${slug}`);

    const before = await navigation('/section/economy');
    expect((await admin.post(`/admin/sections/${id}/move`, { direction: 'up' })).status).toBe(303);
    await afterPurge(async () => expect((await navigation('/section/economy')).at(-2)).toBe(`/section/${slug}`));
    const after = await navigation('/section/economy');
    expect(after.at(-1)).toBe(before.at(-2));
    // The first one cannot go further up: nothing changes.
    const first = (await idOf('sections', before[0]!.split('/')[2]!))!;
    expect((await admin.post(`/admin/sections/${first}/move`, { direction: 'up' })).status).toBe(303);
    await afterPurge(async () => expect(await cachedPaths()).toEqual([]));
    expect(await navigation()).toEqual(after);
    const page = visibleText(await (await admin.get('/admin/sections')).text());
    expect(page).toContain('Maritime Affairs');
  });

  it('keep the old address, redirected (301, the page’s place kept), when the slug changes; the new name is shown', async () => {
    const slug = fresh('ports');
    const id = await addSection('Ports', slug);
    await writeArticle({ headline: `On the docks ${slug}`, sectionId: id });
    expect((await fetchPage(`/section/${slug}`)).status).toBe(200);

    const response = await admin.post(`/admin/sections/${id}`, {
      name: 'Ports and Harbours',
      slug: `${slug}-new`,
      text: '',
    });
    expect(response.status).toBe(303);
    const old = await fetchPage(`/section/${slug}?after=123`, { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(old.headers.get('Location')).toBe(`/section/${slug}-new?after=123`);
    const feed = await fetchPage(`/section/${slug}/atom.xml`, { redirect: 'manual' });
    expect([feed.status, feed.headers.get('Location')]).toEqual([301, `/section/${slug}-new/atom.xml`]);
    const renamed = await fetchPage(`/section/${slug}-new`);
    expect(renamed.status).toBe(200);
    expect(visibleText(await renamed.text())).toContain('Ports and Harbours');
    await afterPurge(async () => expect(await navigation()).toContain(`/section/${slug}-new`));
  });

  it('refuse a slug another section has, or a malformed one, with the form as typed (422)', async () => {
    const id = await addSection('Fisheries', fresh('fisheries'));
    const taken = await admin.post(`/admin/sections/${id}`, { name: 'Fish', slug: 'economy', text: 'Typed text' });
    expect(taken.status).toBe(422);
    const html = await taken.text();
    expect(visibleText(html)).toContain('Another section already has this slug');
    expect(html).toContain('value="Fish"');
    expect(html).toContain('Typed text');
    const malformed = await admin.post('/admin/sections', { name: 'New One', slug: 'Not A Slug!', text: '' });
    expect(malformed.status).toBe(422);
    expect(visibleText(await malformed.text())).toContain('Use lowercase letters, digits and single hyphens');
    expect(await idOf('sections', 'economy')).toBeDefined();
  });

  it('with articles cannot be deleted, only merged: the articles move, the old address leads to the other', async () => {
    const slug = fresh('straits');
    const id = await addSection('Straits', slug);
    const articleId = await writeArticle({ headline: `Through the strait ${slug}`, sectionId: id });
    const into = (await idOf('sections', 'diplomacy'))!;

    const refused = await admin.post(`/admin/sections/${id}/delete`);
    expect(refused.status).toBe(422);
    expect(visibleText(await refused.text())).toContain('merge it into another section instead');
    expect(await idOf('sections', slug)).toBe(id);

    expect((await admin.post(`/admin/sections/${id}/merge`, { into: String(into) })).status).toBe(303);
    expect(await idOf('sections', slug)).toBeUndefined();
    const moved = await env.DB.prepare('SELECT section_id FROM articles WHERE id = ?').bind(articleId).first();
    expect(moved).toEqual({ section_id: into });
    const old = await fetchPage(`/section/${slug}`, { redirect: 'manual' });
    expect([old.status, old.headers.get('Location')]).toEqual([301, '/section/diplomacy']);
    await afterPurge(async () => expect(await navigation()).not.toContain(`/section/${slug}`));

    const emptySlug = fresh('empty');
    const empty = await addSection('Empty', emptySlug);
    expect((await admin.post(`/admin/sections/${empty}/delete`)).status).toBe(303);
    expect(await idOf('sections', emptySlug)).toBeUndefined();
    expect((await fetchPage(`/section/${emptySlug}`)).status).toBe(404);
  });
});

describe('authors in the admin', { timeout: 30_000 }, () => {
  it('renamed: exactly the cached pages that show them are purged, and show the new name', async () => {
    const slug = fresh('lee');
    expect((await admin.post('/admin/authors', { name: 'Lee Jae-won', slug, text: '' })).status).toBe(303);
    const authorId = (await idOf('authors', slug))!;
    const security = (await idOf('sections', 'security'))!;
    await writeArticle({ headline: `Lee writes ${slug}`, sectionId: security, authorId });
    const article = `/2026/01/lee-writes-${slug}`;
    const unrelated = ['/section/environment', '/2010/11/obama-india-indian-ocean', '/author/arjun-mehta'];
    const showing = [article, '/', '/section/security', `/author/${slug}`];
    for (const path of [...unrelated, ...showing]) expect((await fetchPage(path)).status, path).toBe(200);

    const renamed = await admin.post(`/admin/authors/${authorId}`, {
      name: 'Lee Jae-won (Seoul)',
      slug,
      text: 'Seoul.',
    });
    expect(renamed.status).toBe(303);
    await afterPurge(async () => expect(await cachedPaths()).toEqual([...unrelated].sort()));
    expect(visibleText(await (await fetchPage(article)).text())).toContain('Lee Jae-won (Seoul)');
  });

  it('with articles are merged, not deleted: their articles and bylines move, the old address redirects', async () => {
    const slug = fresh('guest');
    expect((await admin.post('/admin/authors', { name: 'Guest Writer', slug, text: '' })).status).toBe(303);
    const authorId = (await idOf('authors', slug))!;
    const articleId = await writeArticle({
      headline: `A guest piece ${slug}`,
      sectionId: (await idOf('sections', 'economy'))!,
      authorId,
    });
    await env.DB.prepare('UPDATE editors SET author_id = ? WHERE id = ?').bind(authorId, admin.id).run();
    const into = (await idOf('authors', 'arjun-mehta'))!;

    expect((await admin.post(`/admin/authors/${authorId}/delete`)).status).toBe(422);
    expect((await admin.post(`/admin/authors/${authorId}/merge`, { into: String(authorId) })).status).toBe(422);
    expect((await admin.post(`/admin/authors/${authorId}/merge`, { into: String(into) })).status).toBe(303);
    const row = await env.DB.prepare(
      'SELECT (SELECT author_id FROM articles WHERE id = ?) AS article, (SELECT author_id FROM editors WHERE id = ?) AS byline',
    )
      .bind(articleId, admin.id)
      .first();
    expect(row).toEqual({ article: into, byline: into });
    const old = await fetchPage(`/author/${slug}`, { redirect: 'manual' });
    expect([old.status, old.headers.get('Location')]).toEqual([301, '/author/arjun-mehta']);
    expect(visibleText(await (await fetchPage(`/2026/01/a-guest-piece-${slug}`)).text())).toContain('Arjun Mehta');
  });
});
