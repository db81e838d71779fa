/**
 * `npm run import -- ghost`: Ghost's own export fixture (Ghost 4.1) and one of ours in Ghost 5's shape
 * (lexical, mobiledoc, internal tags, members and their newsletters), test/fixtures/ghost/SOURCE.md,
 * applied to the real local D1 and read back as readers get the site.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GhostPost, GhostReader, readGhost } from '../../src/cli/ghost';
import {
  GHOST_SOURCE,
  type GhostOutlinePost,
  ghostContent,
  ghostPostOutline,
  planGhostImport,
  planGhostOutline,
} from '../../src/cli/ghost-import';
import { mailboxKey } from '../../src/lib/email';
import { hmacSign } from '../../src/lib/hmac';
import ours from '../fixtures/ghost/ghost-5-ours.json?raw';
import products from '../fixtures/ghost/products_export.json?raw';
import { clearPageCache, fetchPage, visibleText } from '../support/helpers';
import { applyImport } from '../support/import';

function importGhost(text: string) {
  const ghost = readGhost(text);
  return applyImport(GHOST_SOURCE, () => planGhostImport(ghost, { mediaBase: 'https://old.example/' }), {
    subscribers: true,
  });
}

const article = (slug: string) =>
  env.DB.prepare(
    `SELECT a.headline, a.standfirst, a.body_markdown, a.status, a.published_at, a.hero_image_url, a.hero_image_alt,
       a.hero_image_credit, s.slug AS section, au.slug AS author,
       (SELECT group_concat(t.slug) FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id) AS tags
     FROM articles a JOIN sections s ON s.id = a.section_id JOIN authors au ON au.id = a.author_id WHERE a.slug = ?`,
  )
    .bind(slug)
    .first<Record<string, string | number | null>>();

const redirected = async (path: string) => {
  const response = await fetchPage(path, { redirect: 'manual' });
  return [response.status, response.headers.get('Location')];
};

describe('a Ghost export', { timeout: 30_000 }, () => {
  let first: Awaited<ReturnType<typeof importGhost>>['report'];
  beforeAll(async () => {
    await importGhost(products);
    first = (await importGhost(ours)).report;
    await clearPageCache();
  });

  it('reads Ghost’s own 4.1 export: the post’s HTML, its time, readable at its new and old address', async () => {
    const row = (await article('test-newsletter'))!;
    expect(row.body_markdown).toBe('Hi there! This is a test newsletter.');
    expect(new Date(row.published_at as number).toISOString()).toBe('2022-06-08T07:15:28.000Z');
    expect(await redirected('/test-newsletter/')).toEqual([301, '/2022/06/test-newsletter']);
    expect(visibleText(await (await fetchPage('/2022/06/test-newsletter')).text())).toContain(
      'Hi there! This is a test newsletter.',
    );
  });

  it('renders lexical when there is no HTML; the first public tag is the section, internal tags are left out', async () => {
    const row = (await article('a-lexical-post'))!;
    expect(row).toMatchObject({
      section: 'news',
      tags: 'analysis',
      author: 'joe',
      standfirst: 'A post written in Ghost 5’s editor.'.replace('’', "'"),
      hero_image_url: 'https://old.example/content/images/2024/05/hero.jpg',
      hero_image_alt: 'A harbour at dawn',
    });
    expect(row.hero_image_credit).toContain('Ann Lee');
    const body = row.body_markdown as string;
    expect(body).toContain('Lexical body with **bold** and a [link](https://example.org/).');
    expect(body).toContain('## A heading');
    expect(body).toContain('![An inline image](https://old.example/content/images/2024/05/inline.jpg)');
    expect(body).toContain('- first');
    expect(body).toMatch(/Markdown card with [*_]emphasis[*_]\./);
    expect(body).toContain('HTML card');
    expect(body).toContain('let x = 1 < 2;');
    expect(body).not.toContain('alert');
    expect(first.removed).toMatchObject({ '<script>': 1, 'Ghost paywall card': 1 });
    const html = await (await fetchPage((await redirectTarget('/a-lexical-post/'))!)).text();
    expect(html).toContain('https://old.example/content/images/2024/05/hero.jpg');
  });

  it('renders mobiledoc when there is no HTML: markups, a soft return, image and code cards, lists', async () => {
    const body = (await article('a-mobiledoc-post'))!.body_markdown as string;
    expect(body).toMatch(/Mobiledoc body, [*_]emphasised[*_] then \[a link\]\(https:\/\/ghost\.org\/\)/);
    expect(body).toContain('![A cat](https://old.example/content/images/2020/01/cat.jpg)');
    expect(body).toContain('1. one');
    expect(body).toContain('echo hi');
  });

  it('keeps what was not public there unpublished: paid posts and drafts', async () => {
    expect((await article('for-paying-members'))!.status).toBe('draft');
    expect((await article('work-in-progress'))!.status).toBe('draft');
    expect(first.skipped.map((skipped) => skipped.reason)).toContain('visible to “paid” in Ghost: imported as a draft');
  });

  it('brings pages as static pages, and maps tag, author and feed addresses', async () => {
    expect((await fetchPage('/about-us')).status).toBe(200);
    expect(await redirected('/tag/news/')).toEqual([301, '/section/news']);
    // Analysis is also the mobiledoc post's first tag, so a section: its listing is the section's.
    expect(await redirected('/tag/analysis/')).toEqual([301, '/section/analysis']);
    expect(await redirected('/author/joe/')).toEqual([301, '/author/joe']);
    expect(await redirected('/rss/')).toEqual([301, '/feed.xml']);
    expect(first.unmapped).toEqual([]);
  });

  it('adds to the newsletter only the members the export says consented, hashed as signups are', async () => {
    const { results } = await env.DB.prepare(
      "SELECT email, email_hash, status FROM subscribers WHERE email LIKE '%example.org' OR email LIKE '%Example.org'",
    ).all<{ email: string; email_hash: string; status: string }>();
    expect(results).toEqual([
      {
        email: 'Reader.One@example.org',
        email_hash: await hmacSign(env.SUBSCRIBER_HASH_SALT, mailboxKey('Reader.One@example.org')),
        status: 'confirmed',
      },
    ]);
    expect(first.created.subscribers).toBe(1);
  });

  it('changes nothing when run again', async () => {
    const { statements, report } = await importGhost(ours);
    expect(statements).toEqual([]);
    expect(report.unchanged.subscribers).toBe(1);
  });

  it('plans the same from the file read in pieces, keeping each post’s outline and not its body, as from the whole', () => {
    const options = { mediaBase: 'https://old.example/' };
    for (const text of [ours, products]) {
      const whole = planGhostImport(readGhost(text), options);
      // As `npm run import` reads a large export: in pieces, a post's JSON split between them.
      const reader = new GhostReader();
      const outlines: GhostOutlinePost[] = [];
      const posts: GhostPost[] = [];
      const removed = {};
      const keep = (batch: GhostPost[]) => {
        posts.push(...batch);
        for (const post of batch) outlines.push(ghostPostOutline(post, options, removed));
      };
      for (let start = 0; start < text.length; start += 64) keep(reader.write(text.slice(start, start + 64)));
      const { posts: last, ...tables } = reader.end();
      keep(last);
      const plan = planGhostOutline({ ...tables, posts: outlines }, options, removed);
      // The outline keeps no more of a body than the images it shows.
      for (const article of plan.articles) expect(article.bodyMarkdown).toMatch(/^(\s|!\[[^\]]*\]\([^)]+\))*$/);
      const content = ghostContent(plan, options);
      expect(posts.flatMap((post) => content(post).articles)).toEqual(whole.articles);
      expect(posts.flatMap((post) => content(post).pages)).toEqual(whole.pages);
      expect({ ...plan, articles: [], pages: [] }).toEqual({ ...whole, articles: [], pages: [] });
    }
  });

  it('refuses what is not a Ghost export, saying why', () => {
    expect(() => readGhost('{"posts": [')).toThrow(
      /not JSON: the file ends \(line 1, column 12\) before its JSON does/,
    );
    const broken = '{"db": [\n  {"meta": {"version": "5.0.0"},\n   "data": {"posts": [é x]}}]}';
    expect(() => readGhost(broken)).toThrow('not JSON: unexpected "é" at line 3, column 23');
    // The same when the file is read in pieces, the line and column counted across them.
    const reader = new GhostReader();
    expect(() => {
      for (let start = 0; start < broken.length; start += 7) reader.write(broken.slice(start, start + 7));
    }).toThrow('not JSON: unexpected "é" at line 3, column 23');
    expect(() => readGhost('{"hello": 1}')).toThrow(/not a Ghost export: it has no "db"/);
    expect(() => readGhost(products.replace('"version": "4.1.0"', '"version": "1.20.0"'))).toThrow(
      /a Ghost 1\.20\.0 export: this reads Ghost 2 to 6/,
    );
    expect(() => readGhost('{"db":[{"meta":{"version":"5.0.0"},"data":{"posts":[{"id":"1"}]}}]}')).toThrow(
      /data\.posts\.0\.slug: Invalid input/,
    );
  });
});

async function redirectTarget(path: string) {
  return (await fetchPage(path, { redirect: 'manual' })).headers.get('Location');
}
