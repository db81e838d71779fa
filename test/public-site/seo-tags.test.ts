import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH } from '../support/helpers';

const SITE = 'http://localhost:8787';

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
    const cases: [string, string, string][] = [
      ['/', 'edgepress: Current affairs from the Asia-Pacific, at the speed of the edge', `${SITE}/`],
      ['/?page=2', 'edgepress: Current affairs from the Asia-Pacific, at the speed of the edge', `${SITE}/?page=2`],
      ['/section/security', 'Security | edgepress', `${SITE}/section/security`],
      ['/tag/russia?utm_source=x', 'Russia | edgepress', `${SITE}/tag/russia`],
      ['/author/richard-weitz', 'Richard Weitz | edgepress', `${SITE}/author/richard-weitz`],
      [`${SAMPLE_ARTICLE_PATH}?replyto=1`, 'Russia Eyes Korean Peninsula | edgepress', `${SITE}${SAMPLE_ARTICLE_PATH}`],
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
    const url = `${SITE}${SAMPLE_ARTICLE_PATH}`;
    expect(meta(html, 'og:type')).toBe('article');
    expect(meta(html, 'og:title')).toBe('Russia Eyes Korean Peninsula');
    expect(meta(html, 'og:description')).toMatch(/^Moscow has long been a bystander in East Asia\./);
    expect(meta(html, 'description')).toBe(meta(html, 'og:description'));
    expect(meta(html, 'og:url')).toBe(url);
    expect(meta(html, 'og:image')).toBe(`${SITE}${await sampleShareImage()}`);
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
    expect(data.image).toEqual([`${SITE}${await sampleShareImage()}`]);
    expect(data.datePublished).toBe('2010-11-16T09:00:00.000Z');
    expect(Date.parse(data.dateModified)).not.toBeNaN();
    expect(data.author).toEqual([{ '@type': 'Person', name: 'Richard Weitz', url: `${SITE}/author/richard-weitz` }]);
    expect(data.publisher).toEqual({
      '@type': 'Organization',
      name: 'edgepress',
      logo: { '@type': 'ImageObject', url: `${SITE}/logo.png` },
    });
    expect(data.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': `${SITE}${SAMPLE_ARTICLE_PATH}` });
    const logo = await env.ASSETS.fetch(`${SITE}/logo.png`);
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
      expect(meta(html, 'og:image')).toBe(`${SITE}/share.jpg`);
      expect(meta(html, 'og:image:width')).toBe('1200');
      expect(meta(html, 'og:image:height')).toBe('630');
      expect(jsonLd(html).image).toEqual([`${SITE}/share.jpg`]);
      const image = await env.ASSETS.fetch(`${SITE}/share.jpg`);
      expect(image.headers.get('Content-Type')).toBe('image/jpeg');
      expect(await env.IMAGES.info(image.body!)).toMatchObject({ format: 'image/jpeg', width: 1200, height: 630 });
    } finally {
      await env.DB.prepare('UPDATE articles SET hero_image_url = ? WHERE id = ?').bind(hero, id).run();
      await clearPageCache();
    }
  });
});
