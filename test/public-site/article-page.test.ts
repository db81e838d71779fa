import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';

beforeEach(clearPageCache);

describe('the sample article page', () => {
  it('shows every element of the seed page', async () => {
    const response = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const text = visibleText(html);

    expect(html).toMatch(/<h1>Russia Eyes Korean Peninsula<\/h1>/);
    expect(html).toMatch(/<figcaption>Image Credit: South Korean President(’|&#39;|')s Office<\/figcaption>/);
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{64}\/1280" srcset="[^"]+"[^>]*width="1920" height="1080"/);
    expect(text).toContain('By Richard Weitz');
    expect(html).toMatch(/<time datetime="2010-11-16T09:00:00.000Z">November 16, 2010 at 18:00 UTC\+9<\/time>/);
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
