import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';

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

const search = (query: string, page?: number) =>
  fetchPage(`/search?${new URLSearchParams({ q: query, ...(page ? { page: String(page) } : {}) })}`);

/** The article links of a results page, in rank order. */
const resultLinks = (html: string) => [...html.matchAll(/<h2><a href="([^"]+)">/g)].map((match) => match[1]!);

async function insertArticle(
  slug: string,
  fields: { headline: string; body: string; status?: string; publishedAt?: number },
) {
  await env.DB.prepare(
    `INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id)
     VALUES (?, ?, '', ?, '', ?, ?, (SELECT id FROM authors WHERE slug = 'mina-park'), (SELECT id FROM sections WHERE slug = 'economy'))`,
  )
    .bind(slug, fields.headline, fields.body, fields.status ?? 'published', fields.publishedAt ?? Date.UTC(2010, 0, 5))
    .run();
}

const ftsMatches = async (word: string) =>
  (
    await env.DB.prepare('SELECT rowid FROM articles_search WHERE articles_search MATCH ?')
      .bind(`"${word}"`)
      .all<{ rowid: number }>()
  ).results.length;

describe('site search', () => {
  it('finds the sample article by a word from its body, with the word highlighted', async () => {
    const response = await search('proliferation');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(resultLinks(html)).toEqual([SAMPLE_ARTICLE_PATH]);
    expect(html).toContain('<mark>proliferation</mark>');
    expect(visibleText(html)).toContain('1 article found');
  });

  it('never finds a draft, nor an article scheduled for later', async () => {
    const draft = await (await search('Xayaburi')).text();
    expect(resultLinks(draft)).toEqual([]);
    expect(visibleText(draft)).toContain('No articles match your search.');

    await insertArticle('scheduled-zephyrine', {
      headline: 'Zephyrine Later',
      body: 'Zephyrine.',
      publishedAt: Date.now() + 86_400_000,
    });
    expect(resultLinks(await (await search('zephyrine')).text())).toEqual([]);
  });

  it('ranks a headline match above a body match, and stems words (porter)', async () => {
    const links = resultLinks(await (await search('rare earths')).text());
    expect(links[0]).toBe('/2010/10/rare-earths-supply-jitters');
    expect(resultLinks(await (await search('proliferate')).text())).toEqual([SAMPLE_ARTICLE_PATH]);
  });

  it('answers FTS5 syntax and stray characters with 200 and no results, never a 500', async () => {
    for (const query of ['"', '*', '"*"', '(', ')', ':', '-', '^', '\u0002', '&<>', '   ', '😀']) {
      const response = await search(query);
      expect(response.status, query).toBe(200);
      expect(resultLinks(await response.text()), query).toEqual([]);
    }
    // FTS5 operators are searched for as plain words.
    for (const query of [
      'AND',
      'OR proliferation',
      'NOT',
      'NEAR(',
      'proliferation*',
      '"proliferation',
      'body_markdown:proliferation',
    ]) {
      expect((await search(query)).status, query).toBe(200);
    }
    expect(resultLinks(await (await search('"proliferation" AND')).text())).toEqual([SAMPLE_ARTICLE_PATH]);
  });

  it('shows an empty search form without a query, and refuses an over-long query with a 400 page', async () => {
    const empty = await fetchPage('/search');
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('name="q"');
    const tooLong = await search('a'.repeat(201));
    expect(tooLong.status).toBe(400);
    expect(visibleText(await tooLong.text())).toContain('Search for at most 200 characters.');
    expect(resultLinks(await (await fetchPage('/search?q=proliferation&q=other')).text())).toEqual([
      SAMPLE_ARTICLE_PATH,
    ]);
    expect((await fetchPage('/search?q=russia&page=zero')).status).toBe(404);
  });

  it('escapes the article text in snippets and headlines while marking the matches', async () => {
    await insertArticle('snippet-escaping', {
      headline: '<b>Quixotic</b> & <i>bold</i>',
      body: 'Before <script>alert("x")</script> the quixotic <img src=x onerror=alert(1)> after.',
    });
    const html = await (await search('quixotic')).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;<mark>Quixotic</mark>&lt;/b&gt; &amp; &lt;i&gt;bold&lt;/i&gt;');
    expect(html).toMatch(
      /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; the <mark>quixotic<\/mark> &lt;img src=x/,
    );
  });

  it('paginates the results, each page canonical to itself and kept out of search engines', async () => {
    const first = await (await search('the')).text();
    expect(resultLinks(first)).toHaveLength(Number(env.ARTICLES_PER_PAGE));
    expect(first).toContain('<link rel="canonical" href="http://localhost:8787/search?q=the"/>');
    expect(first).toContain('<meta name="robots" content="noindex"/>');
    expect(first).toContain('href="/search?q=the&amp;page=2"');
    const second = await search('the', 2);
    expect(second.status).toBe(200);
    const secondHtml = await second.text();
    expect(resultLinks(secondHtml).length).toBeGreaterThan(0);
    expect(resultLinks(secondHtml).some((link) => resultLinks(first).includes(link))).toBe(false);
    expect(secondHtml).toContain('<link rel="canonical" href="http://localhost:8787/search?q=the&amp;page=2"/>');
    expect((await search('the', 9)).status).toBe(404);
  });

  it('has a search form in every page’s header that works without JavaScript', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(html).toMatch(/<form class="search-form" role="search" action="\/search" method="get">/);
  });
});

describe('the FTS5 index in D1', () => {
  it('is filled from the articles already there when its migration runs', async () => {
    await env.DB.exec(
      'DROP TRIGGER articles_search_after_insert; DROP TRIGGER articles_search_after_update; DROP TRIGGER articles_search_after_delete; DROP TABLE articles_search;',
    );
    const migration = env.TEST_MIGRATIONS.find((one) => one.name.includes('search_index'))!;
    for (const query of migration.queries) await env.DB.prepare(query).run();
    expect(await ftsMatches('proliferation')).toBe(1);
    expect(await ftsMatches('xayaburi')).toBe(1);
  });

  it('follows inserts, edits and deletions of articles through its triggers', async () => {
    await insertArticle('trigger-check', { headline: 'Ornithopter Weekly', body: 'Nothing yet.', status: 'draft' });
    expect(await ftsMatches('ornithopter')).toBe(1);

    await env.DB.prepare(
      "UPDATE articles SET headline = 'Gyrocopter Weekly', body_markdown = 'Now with zeppelins.' WHERE slug = 'trigger-check'",
    ).run();
    expect(await ftsMatches('ornithopter')).toBe(0);
    expect(await ftsMatches('gyrocopter')).toBe(1);
    expect(await ftsMatches('zeppelins')).toBe(1);

    await env.DB.prepare("UPDATE articles SET status = 'published', published_at = ? WHERE slug = 'trigger-check'")
      .bind(Date.UTC(2010, 0, 6))
      .run();
    expect(resultLinks(await (await search('zeppelins')).text())).toEqual(['/2010/01/trigger-check']);

    await env.DB.prepare("DELETE FROM articles WHERE slug = 'trigger-check'").run();
    expect(await ftsMatches('gyrocopter')).toBe(0);
    expect(resultLinks(await (await search('zeppelins')).text())).toEqual([]);
    const integrity = env.DB.prepare(
      "INSERT INTO articles_search (articles_search, rank) VALUES ('integrity-check', 1)",
    );
    await expect(integrity.run()).resolves.toBeDefined();
  });
});
