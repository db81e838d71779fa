import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearPageCache, fetchPage, visibleText } from '../support/helpers';

beforeEach(clearPageCache);

const headlinesOn = async (path: string) => {
  const html = await (await fetchPage(path)).text();
  return [...html.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2>/g)].map((match) => match[2]);
};

describe('the home page', () => {
  it('lists the published articles, newest first, across pages, without drafts', async () => {
    const { results } = await env.DB.prepare(
      "SELECT headline FROM articles WHERE status = 'published' ORDER BY published_at DESC",
    ).all<{ headline: string }>();
    const perPage = Number(env.ARTICLES_PER_PAGE);
    expect(results.length).toBeGreaterThan(perPage);

    const listed: string[] = [];
    for (let page = 1; listed.length < results.length; page++) {
      const headlines = await headlinesOn(page === 1 ? '/' : `/?page=${page}`);
      expect(headlines.length).toBeGreaterThan(0);
      expect(headlines.length).toBeLessThanOrEqual(perPage);
      listed.push(...(headlines as string[]));
    }
    expect(listed).toEqual(results.map((row) => row.headline.replace(/'/g, '&#39;')));
    const pageCount = Math.ceil(results.length / perPage);
    expect((await fetchPage(`/?page=${pageCount + 1}`)).status).toBe(404);
  });

  it('shows each article’s summary, byline, date and section, and links between pages', async () => {
    const html = await (await fetchPage('/')).text();
    const text = visibleText(html);
    expect(text).toContain('Russia Eyes Korean Peninsula');
    expect(text).toContain('Moscow has long been a bystander in East Asia.');
    expect(text).toContain('By Richard Weitz · November 16, 2010 at 18:00 UTC+9 · 3 comments');
    expect(html).toContain(
      '<a class="comment-count" href="/2010/11/russia-eyes-korean-peninsula#comments">3 comments</a>',
    );
    expect(html).toContain('<a class="section-label" href="/section/security">Security</a>');
    expect(html).toMatch(/<a rel="next" href="\/\?page=2">/);
    expect(await (await fetchPage('/?page=2')).text()).toMatch(/<a rel="prev" href="\/">/);
  });

  it('has navigation by section in the header', async () => {
    const html = await (await fetchPage('/')).text();
    const nav = html.slice(html.indexOf('<nav class="site-nav"'), html.indexOf('</nav>'));
    for (const section of ['Security', 'Diplomacy', 'Economy', 'Environment']) expect(nav).toContain(section);
  });
});

describe('section, tag and author pages', () => {
  it('list only that section’s, tag’s or author’s published articles', async () => {
    expect(await headlinesOn('/section/security')).toContain('Russia Eyes Korean Peninsula');
    expect(await headlinesOn('/section/economy')).not.toContain('Russia Eyes Korean Peninsula');
    expect(await headlinesOn('/tag/six-party-talks')).toEqual(['Russia Eyes Korean Peninsula']);
    const author = await (await fetchPage('/author/richard-weitz')).text();
    expect(visibleText(author)).toContain('Richard Weitz writes on Russian foreign and defence policy');
    expect((await fetchPage('/section/no-such-section')).status).toBe(404);
    expect((await fetchPage('/author/nobody')).status).toBe(404);
  });
});
