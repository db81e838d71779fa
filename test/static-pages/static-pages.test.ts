import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';
import {
  afterPurge,
  clearPageCache,
  elementsIn,
  fetchPage,
  ORIGIN,
  SAMPLE_ARTICLE_PATH,
  visibleText,
} from '../support/helpers';
import { nextNumber } from '../support/unique';

let editor: AdminSession;
beforeAll(async () => {
  editor = await signedInStaff('editor');
});
beforeEach(clearPageCache);

const fresh = (label: string) => `${label}-${nextNumber()}`;
const pageLinks = async (path: string) =>
  (await elementsIn(await (await fetchPage(path)).text(), '.site-nav-pages a')).map((link) => link.href);

async function addPage(fields: Record<string, string>) {
  const response = await editor.post('/admin/pages', { status: 'published', body: 'Some text.', ...fields });
  expect(response.status).toBe(303);
  return Number(/\/admin\/pages\/(\d+)/.exec(response.headers.get('Location')!)![1]);
}

describe('static pages', { timeout: 30_000 }, () => {
  it('are written by an editor in Markdown and read at their own address, with one h1, in the pages sitemap', async () => {
    const slug = fresh('about');
    await addPage({
      title: 'About us',
      slug,
      body: '## Who we are\n\nWe write **about the sea**.\n\n<script>x</script>',
    });
    const response = await fetchPage(`/${slug}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(await elementsIn(html, 'h1')).toHaveLength(1);
    expect(/<h1>([^<]*)<\/h1>/.exec(html)?.[1]).toBe('About us');
    expect(html).toContain('<strong>about the sea</strong>');
    expect(html).not.toContain('<script>x');
    expect(visibleText(html)).toContain('<script>x</script>');
    const sitemap = await (await fetchPage('/sitemaps/pages.xml')).text();
    expect(sitemap).toContain(`<loc>${ORIGIN}/${slug}</loc>`);
  });

  it('stay private as drafts, and an unknown slug is the site’s 404', async () => {
    const slug = fresh('masthead');
    const id = await addPage({ title: 'Masthead', slug, status: 'draft' });
    expect((await fetchPage(`/${slug}`)).status).toBe(404);
    expect(await (await fetchPage('/sitemaps/pages.xml')).text()).not.toContain(`/${slug}<`);
    expect(visibleText(await (await editor.get(`/admin/pages/${id}`)).text())).toContain('Edit “Masthead”');
    expect((await fetchPage('/no-such-page-here')).status).toBe(404);
  });

  it('are refused, the form kept, with a slug another address uses, a year, or one another page has', async () => {
    const taken = fresh('contact');
    await addPage({ title: 'Contact', slug: taken });
    for (const [slug, message] of [
      ['search', '/search is another part of the site'],
      ['2010', 'would read as a year'],
      [taken, 'Another page already has this slug'],
      ['Not A Slug!', 'lowercase letters, digits and single hyphens'],
    ]) {
      const response = await editor.post('/admin/pages', {
        title: 'Kept title',
        slug: slug!,
        body: 'Kept body',
        status: 'published',
      });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(visibleText(html)).toContain(message);
      expect(html).toContain('Kept body');
      expect(html).toContain('value="Kept title"');
    }
    expect((await fetchPage('/search')).headers.get('Content-Type')).toContain('text/html');
  });

  it('join the header navigation when an editor says so, in the order editors set; cached pages follow', async () => {
    const first = fresh('first');
    const second = fresh('second');
    const a = await addPage({ title: 'First', slug: first, inNavigation: 'on' });
    await addPage({ title: 'Second', slug: second, inNavigation: 'on' });
    await addPage({ title: 'Hidden', slug: fresh('hidden') });
    const links = await pageLinks(SAMPLE_ARTICLE_PATH);
    expect(links.slice(-2)).toEqual([`/${first}`, `/${second}`]);
    expect(await pageLinks('/')).toEqual(links);

    expect((await editor.post(`/admin/pages/${a}/move`, { direction: 'down' })).status).toBe(303);
    await afterPurge(async () =>
      expect((await pageLinks(SAMPLE_ARTICLE_PATH)).slice(-2)).toEqual([`/${second}`, `/${first}`]),
    );

    const renamed = await editor.post(`/admin/pages/${a}`, {
      title: 'First, renamed',
      slug: first,
      body: 'New text.',
      status: 'published',
    });
    expect(renamed.status).toBe(303);
    await afterPurge(async () => expect(await pageLinks(SAMPLE_ARTICLE_PATH)).not.toContain(`/${first}`));
    await afterPurge(async () =>
      expect(visibleText(await (await fetchPage(`/${first}`)).text())).toContain('New text.'),
    );
  });

  it('show a cached page’s edit once the purge ran', async () => {
    const slug = fresh('ethics');
    const id = await addPage({ title: 'Ethics', slug, body: 'Old rules.' });
    expect(visibleText(await (await fetchPage(`/${slug}`)).text())).toContain('Old rules.');
    expect((await fetchPage(`/${slug}`)).headers.get('X-Cache')).toMatch(/HIT/);
    await editor.post(`/admin/pages/${id}`, { title: 'Ethics', slug, body: 'New rules.', status: 'published' });
    await afterPurge(async () =>
      expect(visibleText(await (await fetchPage(`/${slug}`)).text())).toContain('New rules.'),
    );
    await editor.post(`/admin/pages/${id}/delete`);
    await afterPurge(async () => expect((await fetchPage(`/${slug}`)).status).toBe(404));
  });

  it('are for editors: a contributor gets the 403 page and writes nothing', async () => {
    const contributor = await signedInStaff('contributor');
    expect((await contributor.get('/admin/pages')).status).toBe(403);
    const slug = fresh('nope');
    const response = await contributor.post('/admin/pages', { title: 'Nope', slug, body: 'x', status: 'published' });
    expect(response.status).toBe(403);
    expect(await env.DB.prepare('SELECT id FROM static_pages WHERE slug = ?').bind(slug).first()).toBeNull();
  });
});
