/**
 * `npm run export -- wordpress`'s file, from rows as the export's queries return them, read back by
 * our own strict WXR reader and the import's plan: what WordPress's importer is given, and what comes
 * back. The round trip through real databases is test/cli/wordpress-round-trip.slow.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  articleItems,
  attachmentItems,
  type ExportSite,
  menuItems,
  PostIds,
  pageItems,
  type SiteRows,
  WXR_END,
  wxrHead,
} from '../../src/cli/wordpress-export';
import { planWordpressImport } from '../../src/cli/wordpress-import';
import { readWxr } from '../../src/cli/wxr';

const HASH = 'a'.repeat(64);
const site: ExportSite = {
  url: 'https://news.example',
  name: 'News & Views',
  timeZone: 'Asia/Tokyo',
  now: new Date('2026-12-01T00:00:00Z'),
};
const at = (iso: string) => new Date(iso).getTime();
const rows: SiteRows = {
  authors: [{ id: 1, slug: 'mina-park', name: 'Mina Park', bio: '' }],
  sections: [{ id: 1, slug: 'security', name: 'Security', description: 'Defence' }],
  tags: [{ id: 1, slug: 'asean', name: 'ASEAN' }],
  pages: [
    {
      id: 1,
      slug: 'about',
      title: 'About us',
      body_markdown: 'We are **here**.',
      status: 'published',
      nav_position: 0,
      created_at: at('2020-01-01T00:00:00Z'),
      updated_at: at('2020-01-01T00:00:00Z'),
    },
  ],
  media: [
    { id: 1, hash: HASH, width: 1600, alt: 'Flags', credit: 'Photo desk', created_at: at('2010-10-14T00:00:00Z') },
  ],
  heroes: [
    {
      url: `/media/${HASH}/1280`,
      article_id: 1,
      alt: 'Flags',
      credit: 'Photo desk',
      created_at: at('2010-10-14T00:00:00Z'),
    },
    {
      url: 'https://cdn.example/x.jpg',
      article_id: 3,
      alt: 'Elsewhere',
      credit: '',
      created_at: at('2010-10-14T00:00:00Z'),
    },
  ],
  top: [{ articles: 3, pages: 1, media: 1, sections: 1 }],
};
const article = {
  standfirst: 'A standfirst',
  comments_closed: 0,
  author: 'mina-park',
  section: 'security',
  section_name: 'Security',
  created_at: at('2010-10-01T00:00:00Z'),
  updated_at: at('2010-10-20T00:00:00Z'),
};
const page = {
  articles: [
    {
      ...article,
      id: 1,
      slug: 'hanoi',
      headline: 'A New Table in Hanoi 🌏',
      body_markdown: `Text with ]]> inside, and [a link](/2010/10/other).\n\n![Flags](/media/${HASH}/640)`,
      hero_image_url: `/media/${HASH}/1280`,
      status: 'published',
      published_at: at('2010-10-14T07:00:00Z'),
    },
    {
      ...article,
      id: 2,
      slug: 'later',
      headline: 'Later',
      body_markdown: 'Soon.',
      hero_image_url: null,
      status: 'published',
      published_at: at('2030-01-01T00:00:00Z'),
    },
    {
      ...article,
      id: 3,
      slug: 'draft-one',
      headline: 'Draft',
      body_markdown: 'Not yet.',
      hero_image_url: 'https://cdn.example/x.jpg',
      status: 'draft',
      published_at: null,
    },
  ],
  tags: [{ article_id: 1, slug: 'asean', name: 'ASEAN' }],
  comments: [1, 2, 3].map((id) => ({
    id,
    article_id: 1,
    parent_id: id === 1 ? null : id - 1,
    author_name: `Reader ${id}`,
    author_email: `reader${id}@example.org`,
    body: id === 1 ? 'Is a < b & <b>c</b>?\nA second line.\n\nA paragraph.' : `Comment ${id}`,
    status: id === 3 ? 'pending' : 'approved',
    created_at: at(`2010-10-1${id + 4}T00:00:00Z`),
    removal: null,
    source_url: null,
  })),
};

function exportText() {
  const ids = new PostIds(site, rows);
  return [
    wxrHead(site, rows),
    pageItems(site, rows, ids, 'mina-park'),
    attachmentItems(site, rows, ids, 'mina-park'),
    menuItems(site, rows, ids, 'mina-park'),
    articleItems(site, page, ids),
    WXR_END,
  ].join('');
}

describe('the WordPress export', () => {
  const text = exportText();
  const wxr = readWxr(text);
  const items = (type: string) => wxr.items.filter((item) => item.type === type);

  it('is WXR 1.2 with the authors, sections as categories and tags', () => {
    expect(wxr.version).toBe('1.2');
    expect(wxr.baseBlogUrl).toBe('https://news.example');
    expect(wxr.authors).toEqual([{ login: 'mina-park', email: '', displayName: 'Mina Park' }]);
    expect(wxr.categories.map((category) => [category.slug, category.name])).toEqual([['security', 'Security']]);
    expect(wxr.tags.map((tag) => tag.slug)).toEqual(['asean']);
    expect(text).toContain('<title>News &amp; Views</title>');
  });

  it('writes the tags so that WordPress’s importer takes each as itself', () => {
    // As an import can leave them: the tag “markup” (a category below the top) made markup-2 beside the tag markup.
    const tags = [
      { id: 1, slug: 'markup-2', name: 'markup' },
      { id: 2, slug: 'asean', name: 'ASEAN' },
      { id: 3, slug: 'markup', name: 'Markup' },
    ];
    // WordPress's importer (term_exists) takes a tag for one it has whose slug, else whose name, is the tag's slug.
    const created: { slug: string; name: string }[] = [];
    for (const tag of readWxr(wxrHead(site, { ...rows, tags }) + WXR_END).tags) {
      const slug = tag.slug.toLowerCase();
      const taken =
        created.find((other) => other.slug === slug) ?? created.find((other) => other.name.toLowerCase() === slug);
      expect(taken, tag.slug).toBeUndefined();
      created.push(tag);
    }
    expect(created.map((tag) => tag.slug).sort()).toEqual(['asean', 'markup', 'markup-2']);
  });

  it('writes articles as posts: published, scheduled as future, drafts undated; one id space for every item', () => {
    const posts = items('post');
    expect(posts.map((post) => [post.name, post.status])).toEqual([
      ['hanoi', 'publish'],
      ['later', 'future'],
      ['draft-one', 'draft'],
    ]);
    expect(posts[0]!.link).toBe('https://news.example/2010/10/hanoi');
    expect(posts[0]!.date?.toISOString()).toBe('2010-10-14T07:00:00.000Z');
    expect(text).toContain('<wp:post_date><![CDATA[2010-10-14 16:00:00]]></wp:post_date>');
    expect(text).toContain('<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>');
    expect(posts[0]!.categories).toEqual([{ slug: 'security', name: 'Security' }]);
    expect(posts[0]!.tags).toEqual([{ slug: 'asean', name: 'ASEAN' }]);
    expect(posts[0]!.excerpt).toBe('A standfirst');
    const allIds = wxr.items.map((item) => item.id);
    expect(new Set(allIds).size).toBe(allIds.length);
  });

  it('keeps text as written (emoji, “]]>”) and makes every address absolute, library images their attachment’s', () => {
    const [post] = items('post');
    expect(post!.title).toBe('A New Table in Hanoi 🌏');
    expect(post!.content).toContain('Text with ]]&gt; inside');
    expect(post!.content).toContain('href="https://news.example/2010/10/other"');
    expect(post!.content).toContain(`src="https://news.example/media/${HASH}/1920.jpg"`);
  });

  it('makes a hero the post’s featured image: an attachment with its caption as credit, alt text and address', () => {
    const attachments = new Map(items('attachment').map((item) => [item.id, item]));
    const [hanoi, , draft] = items('post');
    const hero = attachments.get(Number(hanoi!.meta._thumbnail_id))!;
    expect(hero.excerpt).toBe('Photo desk');
    expect(hero.meta._wp_attachment_image_alt).toBe('Flags');
    expect(hero.parent).toBe(hanoi!.id);
    // WordPress's importer names the file it saves, and finds the bodies' copies of it, by the address's extension.
    expect(text).toContain(`<wp:attachment_url>https://news.example/media/${HASH}/1920.jpg</wp:attachment_url>`);
    expect(attachments.get(Number(draft!.meta._thumbnail_id))!.link).toBe('https://cdn.example/x.jpg');
  });

  it('writes comments with their threads and statuses', () => {
    const comments = items('post')[0]!.comments;
    expect(comments.map((comment) => [comment.id, comment.parentId, comment.approved])).toEqual([
      [1, 0, '1'],
      [2, 1, '1'],
      [3, 2, '0'],
    ]);
    expect(comments[0]!.email).toBe('reader1@example.org');
    expect(comments[0]!.ip).toBe('');
  });

  it('writes static pages as pages and the navigation as a menu', () => {
    expect(items('page').map((item) => [item.name, item.status, item.link])).toEqual([
      ['about', 'publish', 'https://news.example/about'],
    ]);
    const menu = items('nav_menu_item');
    expect(menu.map((item) => [item.title, item.meta._menu_item_object, item.menuOrder])).toEqual([
      ['Security', 'category', 1],
      ['About us', 'page', 2],
    ]);
    expect(Number(menu[1]!.meta._menu_item_object_id)).toBe(items('page')[0]!.id);
  });

  it('comes back through the import as the same articles, pages and threads', () => {
    const plan = planWordpressImport(wxr);
    expect(plan.articles.map((planned) => [planned.slug, planned.status, planned.sectionSlug])).toEqual([
      ['hanoi', 'published', 'security'],
      ['later', 'published', 'security'],
      ['draft-one', 'draft', 'security'],
    ]);
    expect(plan.pages.map((planned) => planned.slug)).toEqual(['about']);
    const byKey = new Map(plan.comments.map((comment) => [comment.key, comment]));
    expect(plan.comments.map((comment) => comment.parentKey && byKey.get(comment.parentKey)!.name)).toEqual([
      null,
      'Reader 1',
      'Reader 2',
    ]);
    expect(plan.comments.map((comment) => comment.status)).toEqual(['approved', 'approved', 'pending']);
    // Plain text, markup characters and line breaks as they were.
    expect(plan.comments[0]!.body).toBe('Is a < b & <b>c</b>?\nA second line.\n\nA paragraph.');
  });
});
