import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { articleFields, articleFormIds, createArticle, publishFromPage, signedInStaff } from '../support/admin-helpers';
import { afterPurge, clearPageCache, fetchPage, visibleText } from '../support/helpers';

const stored = (id: number) =>
  env.DB.prepare('SELECT * FROM articles WHERE id = ?').bind(id).first<Record<string, unknown>>();
const cachedPaths = async () => (await env.PAGE_CACHE.list({ prefix: 'page:' })).keys.map((key) => key.name);

beforeEach(clearPageCache);

describe('writing an article', () => {
  it('saves a draft: slug from the headline, Markdown rendered, tags created; readers do not see it', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session, { headline: 'Café Talks: “Round Two”' });
    const article = await stored(id);
    expect(article).toMatchObject({ slug: 'cafe-talks-round-two', status: 'draft', published_at: null });
    expect(article!.body_html).toContain('<strong>first</strong>');
    const { results } = await env.DB.prepare(
      'SELECT t.name FROM article_tags a JOIN tags t ON t.id = a.tag_id WHERE a.article_id = ? ORDER BY t.name',
    )
      .bind(id)
      .all();
    expect(results).toEqual([{ name: 'Shipping' }, { name: 'Strait of Malacca' }]);

    const list = await (await session.get('/admin/articles?state=draft')).text();
    expect(list).toContain('Café Talks');
    expect(visibleText(await (await fetchPage('/')).text())).not.toContain('Café Talks');
  });

  it('comes back with 422, the text kept and a message at each wrong field', async () => {
    const session = await signedInStaff();
    const response = await session.post(
      '/admin/articles',
      await articleFields({ headline: '', body: 'Kept body text', heroImageUrl: 'javascript:alert(1)', authorId: 'x' }),
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Kept body text');
    expect(html).toContain('Give the article a headline.');
    expect(html).toContain('Use an https:// address');
    expect(html).toContain('Choose an author.');
    expect(html).toMatch(/id="headline"[^>]*aria-invalid="true"/);
  });

  it('refuses a slug another article has with a friendly 422', async () => {
    const session = await signedInStaff();
    const response = await session.post(
      '/admin/articles',
      await articleFields({ slug: 'russia-eyes-korean-peninsula' }),
    );
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('Another article already has this slug');
  });

  it('neutralises <script> and javascript: links in the Markdown', async () => {
    const session = await signedInStaff();
    const body =
      '<script>alert(1)</script>\n\n[click](javascript:alert(2)) [data](data:text/html;base64,PHNjcmlwdD4=) <img src=x onerror=alert(3)>';
    const id = await createArticle(session, { body });
    const html = String((await stored(id))!.body_html);
    expect(html).not.toMatch(/<script|<img|href="javascript:|href="data:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const preview = await session.get(`/admin/articles/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await preview.text()).not.toMatch(/<script>alert|href="javascript:/);
  });
});

describe('publishing', () => {
  it('publishes now: the article, the home page and its section, tag and author pages are purged and show it', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session);
    const { headline, slug } = (await stored(id)) as { headline: string; slug: string };
    const pages = ['/', '/section/security', '/tag/shipping', '/author/mina-park', '/section/economy'];
    for (const path of pages) await fetchPage(path);
    expect(await cachedPaths()).toHaveLength(5);

    const published = await publishFromPage(session, id, '');
    expect(published.status).toBe(303);
    await afterPurge(async () => expect(await cachedPaths()).toEqual(['page:/section/economy|']));
    for (const path of ['/', '/section/security', '/tag/shipping', '/author/mina-park']) {
      expect(await (await fetchPage(path)).text(), path).toContain(headline);
    }
    const now = new Date();
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' })
      .format(now)
      .replace('-', '/');
    expect((await fetchPage(`/${month}/${slug}`)).status).toBe(200);
  });

  it('schedules for later: not shown before its time, shown once the time has come', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session);
    const { headline } = (await stored(id)) as { headline: string };
    expect((await publishFromPage(session, id, '2099-01-02T09:30')).status).toBe(303);
    const article = await stored(id);
    expect(article).toMatchObject({ status: 'published', published_at: Date.UTC(2099, 0, 2, 0, 30) }); // 09:30 in Tokyo
    expect(await (await fetchPage('/section/security')).text()).not.toContain(headline);
    expect((await fetchPage(`/2099/01/${article!.slug}`)).status).toBe(404);
    expect(await (await session.get('/admin/articles?state=scheduled')).text()).toContain(headline);

    await env.DB.prepare('UPDATE articles SET published_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, id)
      .run();
    await clearPageCache();
    expect(await (await fetchPage('/section/security')).text()).toContain(headline);
  });

  it('refuses a publication time that is not one (422)', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session);
    const response = await publishFromPage(session, id, '2026-02-31T10:00');
    expect(response.status).toBe(422);
    expect((await stored(id))!.status).toBe('draft');
  });

  it('unpublishes: the article is gone for readers and its cached pages purged', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session);
    await publishFromPage(session, id, '2026-01-15T10:00');
    const path = `/2026/01/${(await stored(id))!.slug}`;
    expect((await fetchPage(path)).status).toBe(200);
    expect(await cachedPaths()).toContain(`page:${path}|`);
    expect((await session.post(`/admin/articles/${id}/unpublish`)).status).toBe(303);
    await afterPurge(async () => expect(await cachedPaths()).not.toContain(`page:${path}|`));
    expect((await fetchPage(path)).status).toBe(404);
  });
});

describe('editing a published article', () => {
  it('renamed: the old address answers 301 to the new one, and the old and new pages are purged', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session, { slug: 'old-name-for-rename' });
    await publishFromPage(session, id, '2026-01-15T10:00');
    const { economy } = await articleFormIds();
    for (const path of ['/2026/01/old-name-for-rename', '/section/security', '/section/economy']) await fetchPage(path);

    const saved = await session.post(
      `/admin/articles/${id}`,
      await articleFields({ slug: 'new-name-for-rename', sectionId: economy }, id),
    );
    expect(saved.status).toBe(303);
    await afterPurge(async () => expect(await cachedPaths()).toEqual([]));

    const old = await fetchPage('/2026/01/old-name-for-rename', { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(old.headers.get('Location')).toBe('/2026/01/new-name-for-rename');
    expect((await fetchPage('/2026/01/new-name-for-rename')).status).toBe(200);
    expect(await (await fetchPage('/section/economy')).text()).toContain('new-name-for-rename');
  });

  it('does not redirect from a draft’s old slug, and a slug taken back stops redirecting', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session, { slug: 'draft-slug-one' });
    await session.post(`/admin/articles/${id}`, await articleFields({ slug: 'draft-slug-two' }, id));
    expect(await env.DB.prepare("SELECT 1 FROM slug_redirects WHERE old_slug = 'draft-slug-one'").first()).toBeNull();

    await publishFromPage(session, id, '2026-01-15T10:00');
    await session.post(`/admin/articles/${id}`, await articleFields({ slug: 'draft-slug-three' }, id));
    expect((await fetchPage('/2026/01/draft-slug-two', { redirect: 'manual' })).status).toBe(301);
    await session.post(`/admin/articles/${id}`, await articleFields({ slug: 'draft-slug-two' }, id));
    expect((await fetchPage('/2026/01/draft-slug-two')).status).toBe(200);
    expect((await fetchPage('/2026/01/draft-slug-three', { redirect: 'manual' })).headers.get('Location')).toBe(
      '/2026/01/draft-slug-two',
    );
  });

  it('shows the stored article in the form, and 404s for an article that does not exist', async () => {
    const session = await signedInStaff();
    const id = await createArticle(session, { tags: 'Alpha, Beta' });
    const html = await (await session.get(`/admin/articles/${id}`)).text();
    expect(html).toContain('value="Alpha, Beta"');
    expect((await session.post(`/admin/articles/${id}`, await articleFields({ tags: '' }, id))).status).toBe(303);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM article_tags WHERE article_id = ?').bind(id).first(),
    ).toEqual({ n: 0 });
    expect((await session.get('/admin/articles/999999')).status).toBe(404);
    expect((await session.post('/admin/articles/999999', await articleFields())).status).toBe(404);
  });
});
