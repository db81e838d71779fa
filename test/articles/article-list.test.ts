import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';

const PER_PAGE = 50;

/** The headlines a list page shows, in order (linked or not: a contributor sees others' rows unlinked). */
const headlines = (html: string) =>
  [...html.matchAll(/<tr><td>(?:<a href="\/admin\/articles\/\d+">)?([^<]+)(?:<\/a>)?<\/td>/g)].map((m) =>
    m[1]!.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
  );

const link = (html: string, text: string) =>
  new RegExp(`<a href="([^"]+)">${text}</a>`).exec(html)?.[1]?.replaceAll('&amp;', '&');

interface Page {
  address: string;
  headlines: string[];
  older?: string;
  newer?: string;
}

async function load(session: AdminSession, address: string): Promise<Page> {
  const response = await session.get(address);
  expect(response.status, address).toBe(200);
  const html = await response.text();
  return { address, headlines: headlines(html), older: link(html, 'Older →'), newer: link(html, '← Newer') };
}

/** Every page of the list from `address`, following the Older links to the last page. */
async function walk(session: AdminSession, address: string) {
  const pages = [await load(session, address)];
  while (pages.at(-1)!.older) pages.push(await load(session, pages.at(-1)!.older!));
  return pages;
}

/** Every article's headline in the order the list shows them to a viewer with no byline. */
async function listOrder(viewerId: number, where = '1') {
  const { results } = await env.DB.prepare(
    `SELECT headline FROM articles WHERE ${where}
     ORDER BY (status = 'draft' AND created_by IS ?) DESC, updated_at DESC, id DESC`,
  )
    .bind(viewerId)
    .all<{ headline: string }>();
  return results.map((row) => row.headline);
}

const insert = (headline: string, fields: { status: string; updatedAt: number; createdBy: number | null }) =>
  env.DB.prepare(
    "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, updated_at, created_by, author_id, section_id) VALUES (?, ?, '', '', '', ?, ?, ?, ?, (SELECT id FROM authors LIMIT 1), (SELECT id FROM sections LIMIT 1))",
  ).bind(
    headline.toLowerCase().replaceAll(' ', '-'),
    headline,
    fields.status,
    fields.status === 'published' ? Date.UTC(2020, 0, 1) : null,
    fields.updatedAt,
    fields.createdBy,
  );

let editor: AdminSession;

beforeAll(async () => {
  editor = await signedInStaff('editor');
  const base = Date.UTC(2031, 0, 1);
  // 60 of the editor's own drafts and 60 published articles, edited twelve to a millisecond: ties
  // inside pages and across their boundaries, and the boundary between own drafts and the rest inside page 2.
  await env.DB.batch(
    Array.from({ length: 120 }, (_, n) => {
      const own = n % 2 === 0;
      return insert(`List order ${own ? 'draft' : 'story'} ${n}`, {
        status: own ? 'draft' : 'published',
        updatedAt: base + Math.floor(n / 12) * 1000,
        createdBy: own ? editor.id : null,
      });
    }),
  );
});

describe('the article list', () => {
  it('shows the editor’s own drafts first, then every other article most recently edited first, page after page to the last', async () => {
    const pages = await walk(editor, '/admin/articles');
    const shown = pages.flatMap((page) => page.headlines);
    expect(shown).toEqual(await listOrder(editor.id));
    expect(shown.slice(0, 60).every((headline) => headline.includes('draft'))).toBe(true);
    expect(pages.length).toBe(Math.ceil(shown.length / PER_PAGE));
    expect(pages.slice(0, -1).every((page) => page.headlines.length === PER_PAGE)).toBe(true);
    expect(pages.at(-1)!.older).toBeUndefined();
    expect(pages[0]!.newer).toBeUndefined();
    // Page 2 holds the last own drafts and the first of the rest; each page's Newer link shows the page before.
    expect(pages[1]!.headlines.slice(9, 11)).toEqual([expect.stringContaining('draft'), 'List order story 119']);
    for (const [n, page] of pages.entries()) {
      if (n === 0) continue;
      expect((await load(editor, page.newer!)).headlines, `newer than page ${n + 1}`).toEqual(pages[n - 1]!.headlines);
    }
  });

  it('keeps a page where it was when articles are added, edited or deleted between two page loads', async () => {
    const viewer = await signedInStaff('editor');
    const first = await load(viewer, '/admin/articles');
    const before = await listOrder(viewer.id);
    const anchor = /after=(\d+)\.(\d+)/.exec(first.older!)!;
    const [anchorAt, anchorId] = [Number(anchor[1]), Number(anchor[2])];
    await env.DB.batch([
      // Edited since: the newest, and one at the anchor's own millisecond with a higher id (before it).
      insert('List change newest', { status: 'draft', updatedAt: Date.UTC(2040, 0, 1), createdBy: null }),
      insert('List change tied', { status: 'draft', updatedAt: anchorAt, createdBy: null }),
      // The anchor itself and the first article of the next page go.
      env.DB.prepare('DELETE FROM articles WHERE id = ? OR headline = ?').bind(anchorId, before[PER_PAGE]!),
    ]);
    const second = await load(viewer, first.older!);
    expect(second.headlines).toEqual(before.slice(PER_PAGE + 1, 2 * PER_PAGE + 1));
    // Its Newer link shows the 50 articles just before it (the new ones included), and that page's the first.
    const now = await listOrder(viewer.id);
    const start = now.indexOf(second.headlines[0]!);
    const newer = await load(viewer, second.newer!);
    expect(newer.headlines).toEqual(now.slice(start - PER_PAGE, start));
    expect((await load(viewer, newer.newer!)).headlines).toEqual(now.slice(0, PER_PAGE));
  });

  it('pages a filtered list in its own order, and shows the total only where it is kept', async () => {
    const section = await env.DB.prepare('SELECT id FROM sections LIMIT 1').first<{ id: number }>();
    const address = `/admin/articles?state=published&section=${section!.id}`;
    const pages = await walk(editor, address);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[1]!.address).toMatch(/^\/admin\/articles\?state=published&section=\d+&after=\d+\.\d+$/);
    expect(pages.flatMap((page) => page.headlines)).toEqual(
      await listOrder(
        editor.id,
        `status = 'published' AND published_at <= unixepoch('subsec') * 1000 AND section_id = ${section!.id}`,
      ),
    );
    const drafts = await walk(editor, '/admin/articles?state=draft');
    expect(drafts.flatMap((page) => page.headlines)).toEqual(
      await listOrder(editor.id, "status = 'draft' AND review_requested_at IS NULL"),
    );

    const { total } = (await env.DB.prepare('SELECT count(*) AS total FROM articles').first<{ total: number }>())!;
    expect(await (await editor.get('/admin/articles')).text()).toContain(`${total.toLocaleString('en')} articles`);
    expect(await (await editor.get(address)).text()).not.toMatch(/[\d,]+ articles/);
  });

  it('shows a contributor only the articles they started, on every page', async () => {
    const contributor = await signedInStaff('contributor');
    await env.DB.batch(
      Array.from({ length: 55 }, (_, n) =>
        insert(`Contributed ${n}`, {
          status: n < 3 ? 'draft' : 'published',
          updatedAt: 1000 + n,
          createdBy: contributor.id,
        }),
      ),
    );
    const pages = await walk(contributor, '/admin/articles');
    expect(pages.flatMap((page) => page.headlines)).toEqual(
      await listOrder(contributor.id, `created_by = ${contributor.id}`),
    );
    expect(pages.length).toBe(2);
    expect(await (await contributor.get('/admin/articles')).text()).not.toMatch(/[\d,]+ articles/);
  });

  it('answers the old numbered pages with the first page, and an address it cannot read with the first page', async () => {
    const old = await editor.get('/admin/articles?state=draft&page=3');
    expect(old.status).toBe(302);
    expect(old.headers.get('Location')).toBe('/admin/articles?state=draft');
    const first = (await load(editor, '/admin/articles')).headlines;
    expect((await load(editor, '/admin/articles?after=yesterday')).headlines).toEqual(first);
    expect((await load(editor, '/admin/articles?after=own.1.2.3')).headlines).toEqual(first);
  });
});
