/**
 * A WordPress site moves in (`npm run import -- wordpress … --media-from DIR` into the running
 * server's database and R2), and a reader who follows an old link lands on the article: its hero
 * from the media library with its credit, its comments threaded, and a page from the old menu in
 * the header. Screenshot: e2e-artifacts/moving-in.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { STATE_DIR } from './support/site';

const OLD = 'https://harbour-news.example';
const comment = (id: number, parent: number, author: string, text: string, approved = '1') => `
      <wp:comment>
        <wp:comment_id>${id}</wp:comment_id>
        <wp:comment_author><![CDATA[${author}]]></wp:comment_author>
        <wp:comment_author_email><![CDATA[${author.toLowerCase().replace(' ', '.')}@example.org]]></wp:comment_author_email>
        <wp:comment_date_gmt><![CDATA[2009-05-1${id + 2} 09:00:00]]></wp:comment_date_gmt>
        <wp:comment_content><![CDATA[${text}]]></wp:comment_content>
        <wp:comment_approved><![CDATA[${approved}]]></wp:comment_approved>
        <wp:comment_type><![CDATA[comment]]></wp:comment_type>
        <wp:comment_parent>${parent}</wp:comment_parent>
      </wp:comment>`;
const meta = (key: string, value: string | number) =>
  `<wp:postmeta><wp:meta_key>${key}</wp:meta_key><wp:meta_value><![CDATA[${value}]]></wp:meta_value></wp:postmeta>`;
const EXPORT = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
  <channel>
    <title>Harbour News</title>
    <link>${OLD}</link>
    <wp:wxr_version>1.2</wp:wxr_version>
    <wp:base_site_url>${OLD}</wp:base_site_url>
    <wp:base_blog_url>${OLD}</wp:base_blog_url>
    <wp:author><wp:author_login>harbourmaster</wp:author_login><wp:author_display_name><![CDATA[Hana Harbour]]></wp:author_display_name></wp:author>
    <wp:category><wp:term_id>7</wp:term_id><wp:category_nicename>security</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Security]]></wp:cat_name></wp:category>
    <wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy><wp:term_slug>main</wp:term_slug><wp:term_name><![CDATA[Main]]></wp:term_name></wp:term>
    <item>
      <title>The Harbour Reopens After the Storm</title>
      <link>${OLD}/2009/05/12/harbour-reopens/</link>
      <dc:creator>harbourmaster</dc:creator>
      <content:encoded><![CDATA[<p>The cranes moved again on Tuesday.</p>]]></content:encoded>
      <excerpt:encoded><![CDATA[A week after the storm, ships are back.]]></excerpt:encoded>
      <wp:post_id>101</wp:post_id>
      <wp:post_date_gmt>2009-05-12 01:00:00</wp:post_date_gmt>
      <wp:post_name>harbour-reopens</wp:post_name>
      <wp:status>publish</wp:status>
      <wp:post_type>post</wp:post_type>
      <category domain="category" nicename="security"><![CDATA[Security]]></category>
      ${meta('_thumbnail_id', 102)}
      ${comment(1, 0, 'Aiko Sato', 'Good to see the cranes moving.')}
      ${comment(2, 1, 'Ben Ito', 'They were still for a week.')}
      ${comment(3, 2, 'Aiko Sato', 'A long week for the dock workers.')}
      ${comment(4, 0, 'Spam Bot', 'Buy things.', '0')}
    </item>
    <item>
      <title>harbour</title>
      <link>${OLD}/2009/05/12/harbour-reopens/harbour/</link>
      <excerpt:encoded><![CDATA[Harbour News photo desk]]></excerpt:encoded>
      <wp:post_id>102</wp:post_id>
      <wp:post_parent>101</wp:post_parent>
      <wp:status>inherit</wp:status>
      <wp:post_type>attachment</wp:post_type>
      <wp:attachment_url>${OLD}/wp-content/uploads/2009/05/harbour.jpg</wp:attachment_url>
      ${meta('_wp_attachment_image_alt', 'Cranes over the harbour at dawn')}
    </item>
    <item>
      <title>Our harbour desk</title>
      <link>${OLD}/harbour-desk/</link>
      <content:encoded><![CDATA[<p>Five reporters, one boat.</p>]]></content:encoded>
      <wp:post_id>103</wp:post_id>
      <wp:post_name>harbour-desk</wp:post_name>
      <wp:status>publish</wp:status>
      <wp:post_type>page</wp:post_type>
    </item>
    <item>
      <title></title>
      <wp:post_id>104</wp:post_id>
      <wp:status>publish</wp:status>
      <wp:menu_order>1</wp:menu_order>
      <wp:post_type>nav_menu_item</wp:post_type>
      <category domain="nav_menu" nicename="main"><![CDATA[Main]]></category>
      ${meta('_menu_item_type', 'post_type')}${meta('_menu_item_object', 'page')}${meta('_menu_item_object_id', 103)}
    </item>
  </channel>
</rss>`;

let browser: Browser;
let reader: Page;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moving-in-'));
  // A copy of the old site's uploads: a photograph of the sample's, made a file of its own (bytes after the image's end).
  mkdirSync(join(dir, '2009/05'), { recursive: true });
  const photo = readFileSync('src/seed/images/japan-china-trawler-standoff.jpg');
  writeFileSync(join(dir, '2009/05/harbour.jpg'), Buffer.concat([photo, Buffer.from('harbour-news')]));
  writeFileSync(join(dir, 'export.xml'), EXPORT);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/import.ts',
      'wordpress',
      join(dir, 'export.xml'),
      '--persist-to',
      STATE_DIR,
      '--media-from',
      dir,
    ],
    { encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/created .*1 articles, 1 static pages, 4 comments.*1 images/);
  browser = await launchBrowser();
  reader = await openPage(browser, { viewport: { width: 1280, height: 900 } });
});
afterAll(() => browser?.close());

describe('a reader following a link to the old site', () => {
  it('lands on the article at its new address, with its hero from the library and its credit', async () => {
    const response = await reader.goto('/2009/05/12/harbour-reopens/');
    expect(response?.status()).toBe(200);
    expect(new URL(reader.url()).pathname).toBe('/2009/05/harbour-reopens');
    await expect(reader.locator('h1').textContent()).resolves.toBe('The Harbour Reopens After the Storm');
    const hero = reader.locator('figure.hero img');
    await expect(hero.getAttribute('alt')).resolves.toBe('Cranes over the harbour at dawn');
    expect(await hero.getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{64}\/\d+$/);
    await hero.scrollIntoViewIfNeeded();
    await expect
      .poll(() => hero.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
      .toBeGreaterThan(0);
    await expect(reader.locator('figure.hero figcaption').textContent()).resolves.toBe(
      'Image Credit: Harbour News photo desk',
    );
  });

  it('reads the comments as threads, a reply inside the comment it answers; the held one is not shown', async () => {
    const thread = reader.locator('ol.comment-list > li.comment', { hasText: 'Good to see the cranes moving.' });
    const reply = thread.locator('ol.comment-replies > li.comment', { hasText: 'They were still for a week.' });
    await expect(reply.count()).resolves.toBe(1);
    await expect(
      reply.locator('ol.comment-replies > li.comment', { hasText: 'A long week for the dock workers.' }).count(),
    ).resolves.toBe(1);
    await expect(reader.getByText('Buy things.').count()).resolves.toBe(0);
    await reader.screenshot({ path: 'e2e-artifacts/moving-in.png', fullPage: true });
  });

  it('finds the old menu’s page in the header, and opens it', async () => {
    const link = reader.locator('nav[aria-label="Pages"] a', { hasText: 'Our harbour desk' });
    await Promise.all([reader.waitForNavigation(), link.click()]);
    expect(new URL(reader.url()).pathname).toBe('/harbour-desk');
    await expect(reader.locator('main').textContent()).resolves.toContain('Five reporters, one boat.');
  });
});
