import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signedInStaff } from '../support/admin-helpers';

/** The headlines the list links to, in order. */
const headlines = (html: string) =>
  [...html.matchAll(/<td><a href="\/admin\/articles\/\d+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);

describe('the article list', () => {
  it('shows the editor’s own drafts first, then every other article most recently edited first, page after page', async () => {
    const session = await signedInStaff('editor');
    const insert = env.DB.prepare(
      "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, updated_at, created_by, author_id, section_id) VALUES (?, ?, '', '', '', ?, ?, ?, ?, (SELECT id FROM authors LIMIT 1), (SELECT id FROM sections LIMIT 1))",
    );
    const base = Date.UTC(2031, 0, 1);
    // 60 own drafts and 60 published articles, edited in interleaved order, with two edits at the same millisecond.
    await env.DB.batch(
      Array.from({ length: 120 }, (_, n) => {
        const own = n % 2 === 0;
        const at = base + (n === 7 ? 5 : n) * 1000;
        return insert.bind(
          `list-order-${n}`,
          `List order ${own ? 'draft' : 'story'} ${n}`,
          own ? 'draft' : 'published',
          own ? null : base,
          at,
          own ? session.id : null,
        );
      }),
    );
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const response = await session.get(`/admin/articles?page=${page}`);
      expect(response.status).toBe(200);
      pages.push(...headlines(await response.text()).filter((headline) => headline.startsWith('List order')));
    }
    const { results } = await env.DB.prepare(
      "SELECT headline, status FROM articles WHERE slug LIKE 'list-order-%' ORDER BY status = 'draft' DESC, updated_at DESC, id DESC",
    ).all<{ headline: string }>();
    expect(pages).toEqual(results.map((row) => row.headline));
    expect(pages.slice(0, 60).every((headline) => headline.includes('draft'))).toBe(true);
  });
});
