import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type AdminSession, publishFromPage, signedInStaff } from '../support/admin-helpers';
import { afterPurge, clearPageCache, fetchPage, visibleText } from '../support/helpers';
import { nextNumber } from '../support/unique';

async function fields(overrides: Record<string, string> = {}) {
  const n = nextNumber();
  const row = await env.DB.prepare(
    "SELECT (SELECT id FROM authors WHERE slug = 'mina-park') AS author, (SELECT id FROM sections WHERE slug = 'security') AS section",
  ).first<{ author: number; section: number }>();
  return {
    headline: 'Talks Resume in Geneva',
    slug: `talks-resume-${n}`,
    standfirst: 'Delegates return.',
    body: 'The delegates met on Monday in a quiet hotel.',
    authorId: String(row!.author),
    sectionId: String(row!.section),
    tags: 'Diplomacy',
    ...overrides,
  };
}

async function create(session: AdminSession) {
  const response = await session.post('/admin/articles', await fields());
  return Number(/(\d+)\?done=saved/.exec(response.headers.get('Location')!)![1]);
}

const stored = (id: number) =>
  env.DB.prepare('SELECT headline, body_markdown, revision FROM articles WHERE id = ?')
    .bind(id)
    .first<{ headline: string; body_markdown: string; revision: number }>();

describe('revisions', () => {
  it('are kept on every save with who and when, listed, compared word by word, and restored as a new revision', async () => {
    const editor = await signedInStaff('editor');
    const id = await create(editor);
    const second = await editor.post(
      `/admin/articles/${id}`,
      await fields({ revision: '1', body: 'The delegates met on Tuesday in a quiet hotel.' }),
    );
    expect(second.status).toBe(303);
    expect(await stored(id)).toMatchObject({ revision: 2 });

    const list = visibleText(await (await editor.get(`/admin/articles/${id}/revisions`)).text());
    expect(list).toContain('2 (current)');
    expect(list).toMatch(/1 Staff Member \d+/);

    const diffPage = await editor.get(`/admin/articles/${id}/revisions/1`);
    expect(diffPage.status).toBe(200);
    const diff = await diffPage.text();
    expect(diff).toContain('<del>Monday</del>');
    expect(diff).toContain('<ins>Tuesday</ins>');
    expect(diff).not.toContain('<del>delegates');

    const restored = await editor.post(`/admin/articles/${id}/revisions/1/restore`, { revision: '2' });
    expect(restored.status).toBe(303);
    expect(await stored(id)).toMatchObject({
      revision: 3,
      body_markdown: 'The delegates met on Monday in a quiet hotel.',
    });
    const after = visibleText(await (await editor.get(`/admin/articles/${id}/revisions`)).text());
    expect(after).toContain('3 (current) (restored from 1)');
    expect(visibleText(await (await editor.get(restored.headers.get('Location')!)).text())).toContain(
      'Revision 1 restored',
    );
  });

  it('keep the text an article had before revisions existed, on its first save', async () => {
    const editor = await signedInStaff('editor');
    const article = await env.DB.prepare(
      "SELECT id, headline, body_markdown, author_id, section_id FROM articles WHERE revision = 0 AND status = 'published' LIMIT 1",
    ).first<{ id: number; headline: string; body_markdown: string; author_id: number; section_id: number }>();
    const saved = await editor.post(`/admin/articles/${article!.id}`, {
      ...(await fields()),
      revision: '0',
      authorId: String(article!.author_id),
      sectionId: String(article!.section_id),
    });
    expect(saved.status).toBe(303);
    const original = await env.DB.prepare(
      'SELECT headline, body_markdown FROM article_revisions WHERE article_id = ? AND number = 0',
    )
      .bind(article!.id)
      .first();
    expect(original).toEqual({ headline: article!.headline, body_markdown: article!.body_markdown });
  });
});

describe('a save based on an older revision', () => {
  it('is refused (409) with the newer text shown and the editor’s own text kept; nothing is overwritten', async () => {
    const first = await signedInStaff('editor');
    const second = await signedInStaff('editor');
    const id = await create(first);
    expect(
      (await first.post(`/admin/articles/${id}`, await fields({ revision: '1', headline: 'First Editor’s Headline' })))
        .status,
    ).toBe(303);

    const stale = await second.post(
      `/admin/articles/${id}`,
      await fields({ revision: '1', headline: 'Second Editor’s Headline' }),
    );
    expect(stale.status).toBe(409);
    const html = await stale.text();
    const text = visibleText(html);
    expect(text).toContain('Not saved');
    expect(text).toContain('The newer text (revision 2)');
    expect(text).toContain('First Editor’s Headline');
    expect(html).toContain('value="Second Editor’s Headline"');
    expect(html).toContain('name="revision" value="2"');
    expect(await stored(id)).toMatchObject({ headline: 'First Editor’s Headline', revision: 2 });

    // Saving again from the refused form, now based on revision 2, is a deliberate replacement.
    expect(
      (
        await second.post(
          `/admin/articles/${id}`,
          await fields({ revision: '2', headline: 'Second Editor’s Headline' }),
        )
      ).status,
    ).toBe(303);
    expect(await stored(id)).toMatchObject({ headline: 'Second Editor’s Headline', revision: 3 });
  });

  it('is refused when two saves from the same revision race: exactly one is written', async () => {
    const editor = await signedInStaff('editor');
    const id = await create(editor);
    const responses = await Promise.all(
      ['One', 'Two', 'Three'].map(async (word) =>
        editor.post(`/admin/articles/${id}`, await fields({ revision: '1', headline: `Racing ${word}` })),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([303, 409, 409]);
    expect(await stored(id)).toMatchObject({ revision: 2 });
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM article_revisions WHERE article_id = ?')
      .bind(id)
      .first<{ n: number }>())!;
    expect(n).toBe(2);
  });

  it('a restore based on an older revision is refused too', async () => {
    const editor = await signedInStaff('editor');
    const id = await create(editor);
    await editor.post(`/admin/articles/${id}`, await fields({ revision: '1', body: 'Changed.' }));
    const refused = await editor.post(`/admin/articles/${id}/revisions/1/restore`, { revision: '1' });
    expect(refused.status).toBe(409);
    expect(await stored(id)).toMatchObject({ revision: 2, body_markdown: 'Changed.' });
  });
});

// Its checks wait on the purge queue, which the file's earlier tests keep busy (afterPurge allows 15 s).
describe('deleting an article', { timeout: 20_000 }, () => {
  it('asks first, then removes it and its comments; its address answers 410 and the pages it was on are purged', async () => {
    const editor = await signedInStaff('editor');
    const id = await create(editor);
    expect((await publishFromPage(editor, id, '2026-01-15T10:00')).status).toBe(303);
    const { slug } = (await env.DB.prepare('SELECT slug FROM articles WHERE id = ?')
      .bind(id)
      .first<{ slug: string }>())!;
    await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) VALUES (?, 'R', 'r@example.com', 'Hi', 'h1', 'approved')",
    )
      .bind(id)
      .run();
    const path = `/2026/01/${slug}`;
    expect((await fetchPage(path)).status).toBe(200);
    expect((await fetchPage('/section/security')).status).toBe(200);

    const confirm = await editor.get(`/admin/articles/${id}/delete`);
    expect(confirm.status).toBe(200);
    const text = visibleText(await confirm.text());
    expect(text).toContain('its 1 comment and its revisions are deleted');
    expect(text).toContain('410 Gone');

    const deleted = await editor.post(`/admin/articles/${id}/delete`);
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('Location')).toBe('/admin/articles?deleted=1');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM comments WHERE article_id = ?').bind(id).first()).toEqual({
      n: 0,
    });
    expect(await stored(id)).toBeNull();
    await afterPurge(async () => {
      const gone = await fetchPage(path);
      expect(gone.status).toBe(410);
      expect(visibleText(await gone.text())).toContain('This article has been removed');
      expect(await (await fetchPage('/section/security')).text()).not.toContain(slug);
    });
    expect((await editor.get(`/admin/articles/${id}`)).status).toBe(404);
  });

  it('lets a contributor delete their own draft (its address, never public, stays a 404), not someone else’s', async () => {
    const writer = await signedInStaff('contributor');
    const id = await create(writer);
    const others = await create(await signedInStaff('editor'));
    expect((await writer.post(`/admin/articles/${others}/delete`)).status).toBe(403);
    expect((await writer.post(`/admin/articles/${id}/delete`)).status).toBe(303);
    expect(await stored(id)).toBeNull();
    expect(await stored(others)).not.toBeNull();
  });
});

/** The head's meta tags and canonical link, by name or property. */
function head(html: string): Record<string, string | undefined> {
  const headHtml = /<head>([\s\S]*?)<\/head>/.exec(html)![1]!;
  const tags: Record<string, string> = {};
  for (const [, attributes] of headHtml.matchAll(/<(?:meta|link) ([^>]*)>/g)) {
    const attribute = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(attributes!)?.[1];
    const key =
      attribute('name') ?? attribute('property') ?? (attribute('rel') === 'canonical' ? 'canonical' : undefined);
    const value = attribute('content') ?? attribute('href');
    if (key && value !== undefined) tags[key] = value.replace(/&amp;/g, '&');
  }
  return { title: /<title>([^<]*)<\/title>/.exec(headHtml)![1]!, ...tags };
}

describe('SEO fields', () => {
  it('set the head’s title, descriptions, canonical and robots; hidden articles leave the sitemap; empty fields fall back', async () => {
    const editor = await signedInStaff('editor');
    const id = await create(editor);
    const saved = await editor.post(
      `/admin/articles/${id}`,
      await fields({
        revision: '1',
        slug: 'seo-fields-article',
        metaTitle: 'Geneva Talks: What to Expect',
        metaDescription: 'A short guide to the talks.',
        socialTitle: 'Delegates are back in Geneva',
        socialDescription: 'Shared description.',
        canonicalUrl: 'https://partner.example/geneva-talks',
        noindex: 'on',
      }),
    );
    expect(saved.status).toBe(303);
    await publishFromPage(editor, id, '2026-01-15T10:00');
    const tags = head(await (await fetchPage('/2026/01/seo-fields-article')).text());
    expect(tags.title).toBe('Geneva Talks: What to Expect | edgepress');
    expect(tags.description).toBe('A short guide to the talks.');
    expect(tags['og:title']).toBe('Delegates are back in Geneva');
    expect(tags['twitter:description']).toBe('Shared description.');
    expect(tags.canonical).toBe('https://partner.example/geneva-talks');
    expect(tags.robots).toBe('noindex');
    expect(await (await fetchPage('/sitemaps/articles-1.xml')).text()).not.toContain('seo-fields-article');

    await editor.post(`/admin/articles/${id}`, await fields({ revision: '2', slug: 'seo-fields-article' }));
    await clearPageCache();
    const defaults = head(await (await fetchPage('/2026/01/seo-fields-article')).text());
    expect(defaults.title).toBe('Talks Resume in Geneva | edgepress');
    expect(defaults.description).toBe('Delegates return.');
    expect(defaults['og:title']).toBe('Talks Resume in Geneva');
    expect(defaults.canonical).toBe('http://localhost:8787/2026/01/seo-fields-article');
    expect(defaults.robots).toBeUndefined();
    expect(await (await fetchPage('/sitemaps/articles-1.xml')).text()).toContain('seo-fields-article');
  });

  it('refuse a canonical address that is not absolute https (422, the text kept)', async () => {
    const editor = await signedInStaff('editor');
    const id = await create(editor);
    for (const canonicalUrl of ['http://partner.example/a', '/2026/01/elsewhere', 'javascript:alert(1)']) {
      const refused = await editor.post(`/admin/articles/${id}`, await fields({ revision: '1', canonicalUrl }));
      expect(refused.status).toBe(422);
      const html = await refused.text();
      expect(visibleText(html)).toContain('Use an absolute https:// address');
    }
  });
});
