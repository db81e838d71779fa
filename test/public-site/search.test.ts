import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';

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
