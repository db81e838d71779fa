import { env } from 'cloudflare:workers';
import MarkdownIt from 'markdown-it';
import { mf2 } from 'microformats-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadArticlePage } from '../../src/db/article-page';
import { createDb } from '../../src/db/client';
import { navigationQuery } from '../../src/db/navigation';
import { markdownText } from '../../src/lib/markdown';
import { publishFromPage, signedInStaff } from '../support/admin-helpers';
import { afterPurge, clearPageCache, fetchPage, ORIGIN, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';
import { nextNumber } from '../support/unique';

beforeEach(clearPageCache);

describe('the sample article page', () => {
  it('shows every element of the seed page', async () => {
    const response = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const text = visibleText(html);

    expect(html).toMatch(/<h1 class="p-name">Russia Eyes Korean Peninsula<\/h1>/);
    expect(html).toMatch(/<figcaption>Image Credit: South Korean President(’|&#39;|')s Office<\/figcaption>/);
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{64}\/1280" srcset="[^"]+"[^>]*width="1920" height="1080"/);
    expect(text).toContain('By Richard Weitz');
    expect(html).toMatch(
      /<time class="dt-published" datetime="2010-11-16T09:00:00.000Z">November 16, 2010 at 18:00 UTC\+9<\/time>/,
    );
    for (const sentence of [
      'Despite the Russian Federation’s obvious geographic claim to Pacific nation status',
      'But recent Russian moves suggest it’s hoping to change this perception.',
      'Medvedev said Moscow hopes bilateral trade will exceed $17 billion for the entire year.',
    ]) {
      expect(text).toContain(sentence);
    }
    expect(html.match(/<p>/g)!.length).toBeGreaterThanOrEqual(9);

    expect(text).toContain('3 Comments');
    const names = ['Mladen Matosevic', 'Philipp Ivanov', 'R. Jordan Prescott'];
    const times = [
      'November 20, 2010 at 07:05 UTC+9',
      'November 17, 2010 at 07:26 UTC+9',
      'November 17, 2010 at 02:24 UTC+9',
    ];
    const positions = names.map((name, index) => {
      const at = text.indexOf(`${name} ${times[index]}`);
      expect(at, `${name} with ${times[index]}`).toBeGreaterThan(-1);
      return at;
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(text).toContain('China and Russia are likely to be among large investors too');
    expect(text).toContain('Cheers, RJP, House of Marathon');
  });

  it('never shows a commenter’s email address', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const { results } = await env.DB.prepare('SELECT author_email FROM comments').all<{ author_email: string }>();
    expect(results.length).toBeGreaterThanOrEqual(3);
    for (const { author_email } of results) expect(html).not.toContain(author_email);
    expect(html).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it('is 404 for an unknown slug and for a draft, with a real page', async () => {
    const unknown = await fetchPage('/2010/11/no-such-article');
    expect(unknown.status).toBe(404);
    expect(visibleText(await unknown.text())).toContain('Page not found');

    const draft = await env.DB.prepare("SELECT slug FROM articles WHERE status = 'draft'").first<{ slug: string }>();
    expect(draft).not.toBeNull();
    for (const path of [`/2010/11/${draft!.slug}`, `/drafts/${draft!.slug}`]) {
      expect((await fetchPage(path)).status).toBe(404);
    }
  });

  it('redirects a right slug under the wrong month to its canonical address', async () => {
    const response = await fetchPage('/2011/01/russia-eyes-korean-peninsula', { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('Location')).toBe(SAMPLE_ARTICLE_PATH);
  });

  it('is 404 for a comment page that does not exist', async () => {
    expect((await fetchPage(`${SAMPLE_ARTICLE_PATH}?page=2`)).status).toBe(404);
    expect((await fetchPage(`${SAMPLE_ARTICLE_PATH}?page=nope`)).status).toBe(404);
  });
});

describe('security headers', () => {
  it('are on pages, cache hits and 404s', async () => {
    for (const path of [SAMPLE_ARTICLE_PATH, SAMPLE_ARTICLE_PATH, '/nowhere']) {
      const response = await fetchPage(path);
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
      expect(response.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    }
  });
});

describe('static assets', () => {
  it('ship the stylesheet, favicon and the default shared image', async () => {
    for (const [file, type] of [
      ['styles.css', 'text/css'],
      ['favicon.svg', 'image/svg+xml'],
      ['share.jpg', 'image/jpeg'],
    ] as const) {
      const response = await env.ASSETS.fetch(`http://localhost/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('Content-Type')).toContain(type);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });
});

const SLUG = 'asean-defence-ministers-hanoi';
const db = createDb(env.DB);
const at = (minute: number) => Date.UTC(2010, 9, 20, 12, minute);

async function addComment(fields: {
  name: string;
  status?: string;
  minute: number;
  parent?: number;
  root?: number;
  depth?: number;
  articleSlug?: string;
}) {
  const row = await env.DB.prepare(
    `INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status, created_at)
     SELECT id, ?, ?, ?, ?, 'hidden@example.com', ?, ?, ?, ? FROM articles WHERE slug = ? RETURNING id`,
  )
    .bind(
      fields.parent ?? null,
      fields.root ?? null,
      fields.depth ?? 0,
      fields.name,
      `Text of ${fields.name}`,
      `hash-${fields.name}`,
      fields.status ?? 'approved',
      at(fields.minute),
      fields.articleSlug ?? SLUG,
    )
    .first<{ id: number }>();
  return row!.id;
}

describe('the article page’s data, read in one statement', () => {
  it('pages top-level comments newest first, with their approved replies oldest first, and counts only approved ones', async () => {
    const older = await addComment({ name: 'Older', minute: 1 });
    const newer = await addComment({ name: 'Newer', minute: 2 });
    const sameMinute = await addComment({ name: 'Same minute, later id', minute: 2 });
    await addComment({ name: 'Held', minute: 3, status: 'pending' });
    const reply = await addComment({ name: 'Reply', minute: 5, parent: older, root: older, depth: 1 });
    await addComment({ name: 'Earlier reply', minute: 4, parent: older, root: older, depth: 1 });
    await addComment({ name: 'Held reply', minute: 6, parent: older, root: older, depth: 1, status: 'pending' });
    await addComment({ name: 'Reply to the reply', minute: 7, parent: reply, root: older, depth: 2 });

    const first = (await loadArticlePage(db, { slug: SLUG, commentPage: 1, commentsPerPage: 2 }))!;
    expect(first.roots.map((comment) => comment.authorName)).toEqual(['Same minute, later id', 'Newer']);
    expect(first.replies).toEqual([]);
    expect([first.commentCount, first.topLevelCommentCount]).toEqual([6, 3]);
    expect(first.roots[0]).toEqual({
      id: sameMinute,
      parentId: null,
      rootId: null,
      depth: 0,
      authorName: 'Same minute, later id',
      body: 'Text of Same minute, later id',
      createdAt: new Date(at(2)),
      editedAt: null,
      removal: null,
      staff: false,
      sourceUrl: null,
      authorUrl: null,
    });
    expect(first.roots.map((comment) => comment.id)).toEqual([sameMinute, newer]);

    const second = (await loadArticlePage(db, { slug: SLUG, commentPage: 2, commentsPerPage: 2 }))!;
    expect(second.roots.map((comment) => comment.authorName)).toEqual(['Older']);
    expect(second.replies.map((comment) => comment.authorName)).toEqual([
      'Earlier reply',
      'Reply',
      'Reply to the reply',
    ]);
    expect(JSON.stringify(second)).not.toContain('hidden@example.com');
  });

  it('names the comment a reply answers only if it is approved and on this article', async () => {
    const here = await addComment({ name: 'Answer me', minute: 10 });
    const held = await addComment({ name: 'Held target', minute: 11, status: 'pending' });
    const elsewhere = await addComment({
      name: 'On another article',
      minute: 12,
      articleSlug: 'russia-eyes-korean-peninsula',
    });
    const load = (replyTo: number) => loadArticlePage(db, { slug: SLUG, commentPage: 1, commentsPerPage: 50, replyTo });
    expect((await load(here))!.replyTarget).toEqual({
      id: here,
      rootId: null,
      depth: 0,
      authorName: 'Answer me',
      body: 'Text of Answer me',
    });
    expect((await load(held))!.replyTarget).toBeUndefined();
    expect((await load(elsewhere))!.replyTarget).toBeUndefined();
  });

  it('gives the article with its dates, its tags and the navigation in order, and nothing for a draft or an unknown slug', async () => {
    const page = (await loadArticlePage(db, {
      slug: 'russia-eyes-korean-peninsula',
      commentPage: 1,
      commentsPerPage: 50,
    }))!;
    expect(page.article).toMatchObject({
      slug: 'russia-eyes-korean-peninsula',
      headline: 'Russia Eyes Korean Peninsula',
      authorName: 'Richard Weitz',
    });
    expect(page.article.publishedAt).toBeInstanceOf(Date);
    const { tags } = (await env.DB.prepare(
      "SELECT json_group_array(name) AS tags FROM (SELECT t.name FROM tags t JOIN article_tags a ON a.tag_id = t.id JOIN articles r ON r.id = a.article_id WHERE r.slug = 'russia-eyes-korean-peninsula' ORDER BY t.name)",
    ).first<{ tags: string }>()) as { tags: string };
    expect(page.tags.map((tag) => tag.name)).toEqual(JSON.parse(tags));
    expect(page.tags.length).toBeGreaterThan(1);
    expect(page.navigation).toEqual(await navigationQuery(db));
    expect(page.navigation.filter((link) => link.kind === 'section').map((link) => link.slug)).toEqual(
      (await env.DB.prepare('SELECT slug FROM sections ORDER BY position, name').all()).results.map((row) => row.slug),
    );

    const draft = await env.DB.prepare("SELECT slug FROM articles WHERE status = 'draft'").first<{ slug: string }>();
    expect(await loadArticlePage(db, { slug: draft!.slug, commentPage: 1, commentsPerPage: 50 })).toBeUndefined();
    expect(await loadArticlePage(db, { slug: 'no-such-article', commentPage: 1, commentsPerPage: 50 })).toBeUndefined();
  });
});

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The content of every `<meta property|name="key" content="…">`. */
const metaContents = (html: string, key: string) =>
  [...html.matchAll(new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"/>`, 'g'))].map((match) =>
    decode(match[1]!),
  );
const meta = (html: string, key: string) => metaContents(html, key)[0];
/** The sample article's shared image: the 1200×630 JPEG made from its hero in the media library. */
async function sampleShareImage() {
  const { hero } = (await env.DB.prepare(
    "SELECT hero_image_url AS hero FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
  ).first<{ hero: string }>())!;
  return hero.replace(/\/\d+$/, '/share.jpg');
}
const canonical = (html: string) => /<link rel="canonical" href="([^"]+)"\/>/.exec(html)?.[1];

function jsonLd(html: string) {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  expect(blocks).toHaveLength(1);
  return JSON.parse(blocks[0]![1]!);
}

describe('every page’s head', () => {
  it('has a title, a description and an absolute canonical URL; a later page is canonical to itself', async () => {
    const olderPage = /<a rel="next" href="([^"]+)">/.exec(await (await fetchPage('/')).text())![1]!;
    const cases: [string, string, string][] = [
      ['/', 'edgepress: Current affairs from the Asia-Pacific, at the speed of the edge', `${ORIGIN}/`],
      [
        olderPage,
        'edgepress: Current affairs from the Asia-Pacific, at the speed of the edge',
        `${ORIGIN}${olderPage}`,
      ],
      ['/section/security', 'Security | edgepress', `${ORIGIN}/section/security`],
      ['/tag/russia?utm_source=x', 'Russia | edgepress', `${ORIGIN}/tag/russia`],
      ['/author/richard-weitz', 'Richard Weitz | edgepress', `${ORIGIN}/author/richard-weitz`],
      [
        `${SAMPLE_ARTICLE_PATH}?replyto=1`,
        'Russia Eyes Korean Peninsula | edgepress',
        `${ORIGIN}${SAMPLE_ARTICLE_PATH}`,
      ],
    ];
    for (const [path, title, url] of cases) {
      const html = await (await fetchPage(path)).text();
      expect(decode(/<title>([^<]*)<\/title>/.exec(html)![1]!), path).toBe(title);
      expect(meta(html, 'description'), path).toBeTruthy();
      expect(canonical(html), path).toBe(url);
    }
    expect(meta(await (await fetchPage('/section/security')).text(), 'description')).toBe(
      'Defence, alliances and the balance of power across the region.',
    );
  });

  it('a 404 page names no canonical URL', async () => {
    expect(canonical(await (await fetchPage('/no/such/page')).text())).toBeUndefined();
  });
});

describe('an article’s head', () => {
  it('has OpenGraph and Twitter card tags with absolute URLs', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const url = `${ORIGIN}${SAMPLE_ARTICLE_PATH}`;
    expect(meta(html, 'og:type')).toBe('article');
    expect(meta(html, 'og:title')).toBe('Russia Eyes Korean Peninsula');
    expect(meta(html, 'og:description')).toMatch(/^Moscow has long been a bystander in East Asia\./);
    expect(meta(html, 'description')).toBe(meta(html, 'og:description'));
    expect(meta(html, 'og:url')).toBe(url);
    expect(meta(html, 'og:image')).toBe(`${ORIGIN}${await sampleShareImage()}`);
    expect(meta(html, 'og:site_name')).toBe('edgepress');
    expect(meta(html, 'article:published_time')).toBe('2010-11-16T09:00:00.000Z');
    expect(Date.parse(meta(html, 'article:modified_time')!)).not.toBeNaN();
    expect(meta(html, 'article:section')).toBe('Security');
    expect(metaContents(html, 'article:tag')).toEqual(['North Korea', 'Russia', 'Six-Party Talks', 'South Korea']);
    expect(meta(html, 'twitter:card')).toBe('summary_large_image');
    expect(meta(html, 'twitter:image')).toBe(meta(html, 'og:image'));
  });

  it('has JSON-LD NewsArticle data with the required fields', async () => {
    const data = jsonLd(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text());
    expect(data['@context']).toBe('https://schema.org');
    expect(data['@type']).toBe('NewsArticle');
    expect(data.headline).toBe('Russia Eyes Korean Peninsula');
    expect(data.image).toEqual([`${ORIGIN}${await sampleShareImage()}`]);
    expect(data.datePublished).toBe('2010-11-16T09:00:00.000Z');
    expect(Date.parse(data.dateModified)).not.toBeNaN();
    expect(data.author).toEqual([{ '@type': 'Person', name: 'Richard Weitz', url: `${ORIGIN}/author/richard-weitz` }]);
    expect(data.publisher).toEqual({
      '@type': 'Organization',
      name: 'edgepress',
      logo: { '@type': 'ImageObject', url: `${ORIGIN}/logo.png` },
    });
    expect(data.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': `${ORIGIN}${SAMPLE_ARTICLE_PATH}` });
    const logo = await env.ASSETS.fetch(`${ORIGIN}/logo.png`);
    expect(logo.headers.get('Content-Type')).toBe('image/png');
  });

  it('writes `<` in the JSON-LD as \\u003c, so no article text can close the script element', async () => {
    const id = (await env.DB.prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'").first<{
      id: number;
    }>())!.id;
    const headline = 'Closing </script><script>alert(1)</script> & <!-- tags';
    await env.DB.prepare('UPDATE articles SET headline = ? WHERE id = ?').bind(headline, id).run();
    await clearPageCache();
    try {
      const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain('Closing \\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
      expect(jsonLd(html).headline).toBe(headline);
      expect(meta(html, 'og:title')).toBe(headline);
    } finally {
      await env.DB.prepare("UPDATE articles SET headline = 'Russia Eyes Korean Peninsula' WHERE id = ?").bind(id).run();
      await clearPageCache();
    }
  });

  it('shares the site’s default image when the article has no hero image', async () => {
    const { id, hero } = (await env.DB.prepare(
      "SELECT id, hero_image_url AS hero FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ id: number; hero: string }>())!;
    await env.DB.prepare('UPDATE articles SET hero_image_url = NULL WHERE id = ?').bind(id).run();
    await clearPageCache();
    try {
      const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
      expect(meta(html, 'og:image')).toBe(`${ORIGIN}/share.jpg`);
      expect(meta(html, 'og:image:width')).toBe('1200');
      expect(meta(html, 'og:image:height')).toBe('630');
      expect(jsonLd(html).image).toEqual([`${ORIGIN}/share.jpg`]);
      const image = await env.ASSETS.fetch(`${ORIGIN}/share.jpg`);
      expect(image.headers.get('Content-Type')).toBe('image/jpeg');
      expect(await env.IMAGES.info(image.body!)).toMatchObject({ format: 'image/jpeg', width: 1200, height: 630 });
    } finally {
      await env.DB.prepare('UPDATE articles SET hero_image_url = ? WHERE id = ?').bind(hero, id).run();
      await clearPageCache();
    }
  });
});

const BUDGET_BYTES = 30 * 1024;

describe('the article page’s weight', () => {
  it('needs no JavaScript, and its HTML, CSS and fonts fit in 30 KB (the hero image aside)', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const executable = [...html.matchAll(/<script\b([^>]*)>/g)].filter(
      (match) => !/type="application\/ld\+json"/.test(match[1]!),
    );
    expect(executable).toEqual([]);

    const stylesheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1]!);
    expect(stylesheets).toEqual(['/styles.css']);
    let bytes = new TextEncoder().encode(html).byteLength;
    for (const href of stylesheets) {
      const css = await (await env.ASSETS.fetch(`http://localhost${href}`)).text();
      expect(css).not.toMatch(/@font-face|@import/);
      bytes += new TextEncoder().encode(css).byteLength;
    }
    expect(bytes, `${bytes} bytes uncompressed`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('gives every image its size (no layout shift) and loads those below the fold lazily', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const images = [...html.matchAll(/<img\b[^>]*>/g)].map((match) => match[0]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/width="\d+"[^>]*height="\d+"|height="\d+"[^>]*width="\d+"/);
    const [hero, ...below] = images;
    expect(hero).toContain('fetchpriority="high"');
    expect(hero).not.toContain('loading="lazy"');
    for (const image of below) expect(image).toContain('loading="lazy"');
  });
});

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const asMarkdown = (path: string) => fetchPage(path, { headers: { Accept: 'text/markdown' } });
const asBrowser = (path: string) => fetchPage(path, { headers: { Accept: BROWSER_ACCEPT } });

describe('an article’s Markdown', () => {
  it('is at its address with .md appended: headline, byline, date, standfirst, hero and credit, the stored body, the canonical link', async () => {
    const response = await fetchPage(`${SAMPLE_ARTICLE_PATH}.md`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/markdown; charset=utf-8');
    const markdown = await response.text();
    const stored = await env.DB.prepare(
      "SELECT body_markdown, standfirst FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ body_markdown: string; standfirst: string }>();
    const blocks = markdown.split('\n\n');
    expect(blocks.slice(0, 5)).toEqual([
      '# Russia Eyes Korean Peninsula',
      `By [Richard Weitz](${ORIGIN}/author/richard-weitz) · November 16, 2010 at 18:00 UTC+9`,
      stored!.standfirst,
      expect.stringMatching(
        new RegExp(
          `^!\\[Presidents Dmitry Medvedev and Lee Myung-bak meet in Seoul\\]\\(<${ORIGIN}/media/[0-9a-f]{64}/1280>\\)$`,
        ),
      ),
      "Image credit: South Korean President's Office",
    ]);
    expect(markdown).toContain(stored!.body_markdown.trim());
    expect(markdown.endsWith(`\n\nCanonical URL: <${ORIGIN}${SAMPLE_ARTICLE_PATH}>\n`)).toBe(true);
  });

  it('is what a client that prefers text/markdown gets at the article’s own address; a browser gets the page; both say Vary: Accept', async () => {
    const markdown = await asMarkdown(SAMPLE_ARTICLE_PATH);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('Content-Type')).toBe('text/markdown; charset=utf-8');
    expect(markdown.headers.get('Vary')).toMatch(/\bAccept\b/);
    expect(await markdown.text()).toBe(await (await fetchPage(`${SAMPLE_ARTICLE_PATH}.md`)).text());
    for (const accept of [BROWSER_ACCEPT, '*/*', 'text/markdown;q=0.5, text/html', 'text/*', 'nonsense']) {
      const page = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { Accept: accept } });
      expect(page.headers.get('Content-Type'), accept).toMatch(/^text\/html/);
      expect(page.headers.get('Vary'), accept).toMatch(/\bAccept\b/);
    }
    const preferred = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { Accept: 'text/html;q=0.8, text/markdown' } });
    expect(preferred.headers.get('Content-Type')).toBe('text/markdown; charset=utf-8');
  });

  it('is kept apart from the page in the page cache: HTML, then Markdown, then HTML at one address each get their own', async () => {
    const first = await asBrowser(SAMPLE_ARTICLE_PATH);
    expect([first.headers.get('X-Cache'), first.headers.get('Content-Type')]).toEqual([
      'MISS',
      'text/html; charset=UTF-8',
    ]);
    const html = await first.text();
    const markdown = await asMarkdown(SAMPLE_ARTICLE_PATH);
    expect([markdown.headers.get('X-Cache'), markdown.headers.get('Content-Type')]).toEqual([
      'MISS',
      'text/markdown; charset=utf-8',
    ]);
    const text = await markdown.text();
    expect(text.startsWith('# Russia Eyes Korean Peninsula')).toBe(true);
    const again = await asBrowser(SAMPLE_ARTICLE_PATH);
    expect([again.headers.get('X-Cache'), again.headers.get('Content-Type')]).toEqual([
      'HIT',
      'text/html; charset=UTF-8',
    ]);
    expect(await again.text()).toBe(html);
    // One entry for the Markdown, whichever address asked; the page's key is the page's alone.
    const md = await fetchPage(`${SAMPLE_ARTICLE_PATH}.md`);
    expect([md.headers.get('X-Cache'), await md.text()]).toEqual(['HIT', text]);
    const markdownAgain = await asMarkdown(SAMPLE_ARTICLE_PATH);
    expect([markdownAgain.headers.get('X-Cache'), markdownAgain.headers.get('Content-Type')]).toEqual([
      'HIT',
      'text/markdown; charset=utf-8',
    ]);
    const keys = (await env.PAGE_CACHE.list({ prefix: `page:${SAMPLE_ARTICLE_PATH}` })).keys.map((key) => key.name);
    expect(keys.sort()).toEqual([`page:${SAMPLE_ARTICLE_PATH}.md|`, `page:${SAMPLE_ARTICLE_PATH}|`]);
    // Whatever Accept or query a client sends, it names no other key.
    await fetchPage(`${SAMPLE_ARTICLE_PATH}?utm_source=x`, { headers: { Accept: 'text/markdown, x/y;q=0.1' } });
    await fetchPage(`${SAMPLE_ARTICLE_PATH}.md?v=2`);
    expect((await env.PAGE_CACHE.list({ prefix: `page:${SAMPLE_ARTICLE_PATH}` })).keys).toHaveLength(2);
  });

  it('shows an edit once the purge has run, at both addresses', async () => {
    const session = await signedInStaff();
    const author = await env.DB.prepare("SELECT id FROM authors WHERE slug = 'mina-park'").first<{ id: number }>();
    const section = await env.DB.prepare("SELECT id FROM sections WHERE slug = 'economy'").first<{ id: number }>();
    const slug = `markdown-edit-${nextNumber()}`;
    const fields = {
      headline: 'Ports Reopen',
      slug,
      standfirst: 'Cargo moves again.',
      body: 'The **first** version.',
      heroImageUrl: '',
      heroImageAlt: '',
      heroImageCredit: '',
      authorId: String(author!.id),
      sectionId: String(section!.id),
      tags: '',
    };
    const created = await session.post('/admin/articles', fields);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(created.headers.get('Location')!)![1]);
    await publishFromPage(session, id, '2026-01-15T10:00');
    const path = `/2026/01/${slug}`;
    expect(await (await fetchPage(`${path}.md`)).text()).toContain('The **first** version.');
    expect((await asMarkdown(path)).headers.get('X-Cache')).toBe('HIT');

    const { revision } = (await env.DB.prepare('SELECT revision FROM articles WHERE id = ?')
      .bind(id)
      .first<{ revision: number }>())!;
    const saved = await session.post(`/admin/articles/${id}`, {
      ...fields,
      body: 'The **second** version.',
      revision: String(revision),
    });
    expect(saved.status).toBe(303);
    await afterPurge(async () =>
      expect(await (await fetchPage(`${path}.md`)).text()).toContain('The **second** version.'),
    );
    expect(await (await asMarkdown(path)).text()).toContain('The **second** version.');
    expect((await asBrowser(path)).headers.get('Content-Type')).toMatch(/^text\/html/);
  });

  it('redirects a wrong month to its own address, and is a 404 for an unknown slug or a draft', async () => {
    const moved = await fetchPage('/2010/12/russia-eyes-korean-peninsula.md', { redirect: 'manual' });
    expect([moved.status, moved.headers.get('Location')]).toEqual([301, `${SAMPLE_ARTICLE_PATH}.md`]);
    const asked = await fetchPage('/2010/12/russia-eyes-korean-peninsula', {
      redirect: 'manual',
      headers: { Accept: 'text/markdown' },
    });
    expect([asked.status, asked.headers.get('Location')]).toEqual([301, SAMPLE_ARTICLE_PATH]);
    for (const path of [
      '/2010/11/no-such-article.md',
      '/2010/11/draft-mekong-dams-briefing.md',
      '/2010/11/Russia.md',
    ]) {
      expect((await fetchPage(path)).status, path).toBe(404);
    }
    expect((await asMarkdown('/2010/11/no-such-article')).status).toBe(404);
  });

  it('is linked from the article page’s head', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(html).toContain(
      `<link rel="alternate" type="text/markdown" title="This article in Markdown" href="${SAMPLE_ARTICLE_PATH}.md"/>`,
    );
  });

  it('writes plain text so that it reads as exactly that text, whatever it holds', () => {
    // CommonMark with raw HTML allowed: the most any reader of the Markdown would take as markup.
    const renderer = new MarkdownIt({ html: true });
    const escapeHtml = renderer.utils.escapeHtml;
    for (const text of [
      'Tom & Jerry <script>alert(1)</script> &amp; *bold* _it_ `code` [link](x) ![img](y) ~~gone~~ #tag \\',
      '# Heading',
      '> quoted',
      '- item',
      '+ item',
      '1. first',
      '2) second',
      '---',
      '<https://example.com>',
      'ends with ##',
    ]) {
      expect(renderer.render(markdownText(text)), text).toBe(`<p>${escapeHtml(text)}</p>\n`);
      expect(renderer.render(`# ${markdownText(text)}`), text).toBe(`<h1>${escapeHtml(text)}</h1>\n`);
    }
    expect(markdownText(' two\nlines \t here ')).toBe('two lines here');
  });
});

describe('the article’s microformats', () => {
  it('make it an h-entry a microformats2 parser reads: name, summary, author h-card, time, address, content, categories', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const { items } = mf2(html, { baseUrl: `${ORIGIN}${SAMPLE_ARTICLE_PATH}` });
    expect(items).toHaveLength(1);
    const [entry] = items;
    const article = await env.DB.prepare(
      `SELECT a.standfirst, a.body_html FROM articles a WHERE a.slug = 'russia-eyes-korean-peninsula'`,
    ).first<{ standfirst: string; body_html: string }>();
    const tags = await env.DB.prepare(
      `SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id JOIN articles a ON a.id = at.article_id
       WHERE a.slug = 'russia-eyes-korean-peninsula' ORDER BY t.name`,
    ).all<{ name: string }>();
    expect(entry).toMatchObject({
      type: ['h-entry'],
      properties: {
        name: ['Russia Eyes Korean Peninsula'],
        summary: [article!.standfirst],
        published: ['2010-11-16T09:00:00.000Z'],
        url: [`${ORIGIN}${SAMPLE_ARTICLE_PATH}`],
        author: [
          {
            type: ['h-card'],
            properties: { name: ['Richard Weitz'], url: [`${ORIGIN}/author/richard-weitz`] },
          },
        ],
        category: tags.results.map((tag) => tag.name),
        content: [{ html: article!.body_html.trim() }],
      },
    });
    expect(Object.keys(entry!.properties).sort()).toEqual(
      ['author', 'category', 'content', 'name', 'published', 'summary', 'url'].sort(),
    );
  });

  it('give the author’s h-card their photo when they have one', async () => {
    const [hash] = /[0-9a-f]{64}/.exec(
      (await env.DB.prepare("SELECT hero_image_url FROM articles WHERE slug = 'russia-eyes-korean-peninsula'").first<{
        hero_image_url: string;
      }>())!.hero_image_url,
    )!;
    await env.DB.prepare("UPDATE authors SET photo_hash = ? WHERE slug = 'richard-weitz'").bind(hash).run();
    try {
      await clearPageCache();
      const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
      const [entry] = mf2(html, { baseUrl: `${ORIGIN}${SAMPLE_ARTICLE_PATH}` }).items;
      const [card] = entry!.properties.author as { properties: Record<string, unknown[]> }[];
      expect(card!.properties.photo).toEqual([expect.stringMatching(new RegExp(`^${ORIGIN}/media/${hash}/\\d+$`))]);
    } finally {
      await env.DB.prepare("UPDATE authors SET photo_hash = NULL WHERE slug = 'richard-weitz'").run();
    }
  });
});
