import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_WINDOW } from '../../src/public-site/search-queries';
import { clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';
import { nextNumber } from '../support/unique';

beforeEach(clearPageCache);

const headlinesOn = async (path: string) => {
  const html = await (await fetchPage(path)).text();
  return [...html.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2>/g)].map((match) => match[2]);
};

/** A listing page as a reader sees it: its headlines and where its Newer and Older links go. */
async function listingPage(path: string) {
  const response = await fetchPage(path);
  expect(response.status, path).toBe(200);
  const html = await response.text();
  return {
    headlines: [...html.matchAll(/<h2><a href="[^"]+">([^<]+)<\/a><\/h2>/g)].map((match) => match[1]!),
    newer: /<a rel="prev" href="([^"]+)">/.exec(html)?.[1]?.replaceAll('&amp;', '&'),
    older: /<a rel="next" href="([^"]+)">/.exec(html)?.[1]?.replaceAll('&amp;', '&'),
  };
}

/** Every page of a listing, following its Older links from `path` to the last. */
async function walk(path: string) {
  const pages = [{ path, ...(await listingPage(path)) }];
  for (let next = pages[0]!.older; next; next = pages.at(-1)!.older)
    pages.push({ path: next, ...(await listingPage(next)) });
  return pages;
}

describe('the home page', () => {
  it('lists the published articles, newest first, across pages, without drafts', async () => {
    const { results } = await env.DB.prepare(
      "SELECT headline FROM articles WHERE status = 'published' ORDER BY published_at DESC",
    ).all<{ headline: string }>();
    const perPage = Number(env.ARTICLES_PER_PAGE);
    expect(results.length).toBeGreaterThan(perPage);

    const pages = await walk('/');
    for (const page of pages) expect(page.headlines.length).toBeLessThanOrEqual(perPage);
    expect(pages.flatMap((page) => page.headlines)).toEqual(results.map((row) => row.headline.replace(/'/g, '&#39;')));
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
    const older = /<a rel="next" href="(\/\?after=\d+)">/.exec(html)![1]!;
    expect(await (await fetchPage(older)).text()).toMatch(/<a rel="prev" href="\/">/);
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

describe('keyset pages', () => {
  const perPage = Number(env.ARTICLES_PER_PAGE);
  const DAY = 86_400_000;

  /** A section and a tag of their own, with `count` published articles; the first `ties` share one publication time. */
  async function listing(count: number, ties: number) {
    const n = nextNumber();
    const section = await env.DB.prepare(
      "INSERT INTO sections (name, slug, description, position) VALUES (?, ?, '', 1000 + ?) RETURNING id",
    )
      .bind(`Keyset ${n}`, `keyset-${n}`, n)
      .first<{ id: number }>();
    const tag = await env.DB.prepare('INSERT INTO tags (name, slug) VALUES (?, ?) RETURNING id')
      .bind(`Keyset ${n}`, `keyset-${n}`)
      .first<{ id: number }>();
    const base = Date.UTC(2015, 0, 1);
    for (let i = 0; i < count; i++) {
      const article = await env.DB.prepare(
        "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id) VALUES (?, ?, '', 'Body.', '<p>Body.</p>', 'published', ?, (SELECT id FROM authors LIMIT 1), ?) RETURNING id",
      )
        .bind(`keyset-${n}-${i}`, `Keyset ${n} No. ${i}`, i < ties ? base : base + i * DAY, section!.id)
        .first<{ id: number }>();
      await env.DB.prepare('INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?)')
        .bind(article!.id, tag!.id)
        .run();
    }
    const expected = async () => {
      const { results } = await env.DB.prepare(
        "SELECT headline FROM articles WHERE section_id = ? AND status = 'published' ORDER BY published_at DESC, id DESC",
      )
        .bind(section!.id)
        .all<{ headline: string }>();
      return results.map((row) => row.headline);
    };
    return { n, section: `/section/keyset-${n}`, tag: `/tag/keyset-${n}`, sectionId: section!.id, expected };
  }

  it('show every article once, in order, across ties in publication time, to the last page (section and tag alike)', async () => {
    const { section, tag, expected } = await listing(2 * perPage + 3, perPage + 4);
    for (const path of [section, tag]) {
      const pages = await walk(path);
      expect(
        pages.map((page) => page.headlines.length),
        path,
      ).toEqual([perPage, perPage, 3]);
      expect(
        pages.flatMap((page) => page.headlines),
        path,
      ).toEqual(await expected());
      // Each later page links back to the one before it; the last has no Older link.
      expect(pages[1]!.newer).toBe(path);
      expect(pages[2]!.newer).toBe(pages[1]!.path);
      expect(pages.at(-1)!.older).toBeUndefined();
    }
  });

  it('keep their place when articles are published or deleted between page loads', async () => {
    const { n, section, sectionId, expected } = await listing(3 * perPage, 0);
    const before = await expected();
    const first = await listingPage(section);
    // Published after the reader loaded the first page: newest, so on no page they go on to.
    await env.DB.prepare(
      "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id) VALUES (?, 'Keyset late arrival', '', 'Body.', '<p>Body.</p>', 'published', ?, (SELECT id FROM authors LIMIT 1), ?)",
    )
      .bind(`keyset-${n}-late`, Date.now() - 1000, sectionId)
      .run();
    // Deleted before they reach it: the next page closes the gap.
    const gone = before[perPage + 2]!;
    await env.DB.prepare('DELETE FROM articles WHERE headline = ?').bind(gone).run();
    await clearPageCache();
    const second = await listingPage(first.older!);
    expect(second.headlines).toEqual(before.slice(perPage, 2 * perPage + 1).filter((headline) => headline !== gone));
    expect([...first.headlines, ...second.headlines]).not.toContain('Keyset late arrival');
  });

  it('answer 404 past the last page, for an article not in the listing, and for an id in another spelling', async () => {
    const { section } = await listing(perPage + 1, 0);
    const last = await listingPage((await listingPage(section)).older!);
    expect(last.headlines).toHaveLength(1);
    const lastId = await env.DB.prepare('SELECT id FROM articles WHERE headline = ?').bind(last.headlines[0]).first<{
      id: number;
    }>();
    const elsewhere = await env.DB.prepare(
      "SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ id: number }>();
    const other = (await listingPage(section)).older!.split('=')[1]!;
    for (const query of [`after=${lastId!.id}`, `after=${elsewhere!.id}`, `after=0${other}`, 'after=1.0', 'after=x']) {
      expect((await fetchPage(`${section}?${query}`)).status, query).toBe(404);
    }
  });
});

const search = (query: string, more: Record<string, string> = {}) =>
  fetchPage(`/search?${new URLSearchParams({ q: query, ...more })}`);

/** The best-match order's page `page`. */
const bestMatch = (query: string, page?: number) =>
  search(query, { sort: 'best-match', ...(page ? { page: String(page) } : {}) });

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
    expect(visibleText(html)).toContain('Newest first. Show the best matches first');
    expect(visibleText(await (await bestMatch('proliferation')).text())).toContain(
      '1 article found, best match first. Show the newest first',
    );
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
    const links = resultLinks(await (await bestMatch('rare earths')).text());
    expect(links[0]).toBe('/2010/10/rare-earths-supply-jitters');
    expect(resultLinks(await (await bestMatch('proliferate')).text())).toEqual([SAMPLE_ARTICLE_PATH]);
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

  it('pages the newest first from the last result shown, each page canonical to itself and kept out of search engines', async () => {
    const first = await (await search('the')).text();
    const firstLinks = resultLinks(first);
    expect(firstLinks).toHaveLength(Number(env.ARTICLES_PER_PAGE));
    expect(first).toContain('<link rel="canonical" href="http://localhost:8787/search?q=the"/>');
    expect(first).toContain('<meta name="robots" content="noindex"/>');
    const older = first.match(/<a rel="next" href="([^"]+)">/)![1]!.replaceAll('&amp;', '&');
    expect(older).toMatch(/^\/search\?q=the&after=\d+$/);
    const second = await fetchPage(older);
    expect(second.status).toBe(200);
    const secondHtml = await second.text();
    expect(resultLinks(secondHtml).length).toBeGreaterThan(0);
    expect(resultLinks(secondHtml).some((link) => firstLinks.includes(link))).toBe(false);
    expect(secondHtml).toContain(`<link rel="canonical" href="http://localhost:8787${older.replace('&', '&amp;')}"/>`);
    expect(secondHtml).toContain('<a rel="prev" href="/search?q=the">');
    // Newest first: each page's articles are newer than the next page's (ids, as the index orders them).
    const ids = async (paths: string[]) =>
      (
        await env.DB.prepare(
          `SELECT id FROM articles WHERE slug IN (${paths.map(() => '?').join(',')}) ORDER BY id DESC`,
        )
          .bind(...paths.map((path) => path.split('/').at(-1)!))
          .all<{ id: number }>()
      ).results.map(({ id }) => id);
    expect(Math.min(...(await ids(firstLinks)))).toBeGreaterThan(Math.max(...(await ids(resultLinks(secondHtml)))));
    // An anchor the search does not show, or a page number in this order, is a 404.
    const unpublished = await env.DB.prepare("SELECT id FROM articles WHERE status = 'draft' LIMIT 1").first<{
      id: number;
    }>();
    expect((await search('the', { after: String(unpublished!.id) })).status).toBe(404);
    expect((await search('the', { page: '2' })).status).toBe(404);
    expect((await search('the', { after: '0' })).status).toBe(404);
  });

  it('numbers the best-match pages', async () => {
    const first = await (await bestMatch('the')).text();
    expect(resultLinks(first)).toHaveLength(Number(env.ARTICLES_PER_PAGE));
    expect(first).toContain('href="/search?q=the&amp;sort=best-match&amp;page=2"');
    const second = await bestMatch('the', 2);
    expect(second.status).toBe(200);
    const secondHtml = await second.text();
    expect(resultLinks(secondHtml).some((link) => resultLinks(first).includes(link))).toBe(false);
    expect(secondHtml).toContain(
      '<link rel="canonical" href="http://localhost:8787/search?q=the&amp;sort=best-match&amp;page=2"/>',
    );
    expect((await bestMatch('the', 9)).status).toBe(404);
    expect((await search('the', { sort: 'best-match', after: '5' })).status).toBe(404);
  });

  it('ranks only the newest 500 matches of a word that matches more, and says so', async () => {
    const word = `zebrafinch${nextNumber()}`;
    const insert = env.DB.prepare(
      "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id) VALUES (?, ?, '', ?, '', 'published', ?, (SELECT id FROM authors LIMIT 1), (SELECT id FROM sections LIMIT 1))",
    );
    const rows = Array.from({ length: SEARCH_WINDOW + 5 }, (_, i) =>
      insert.bind(
        `${word}-${i}`,
        `Note ${i}`,
        `A ${word} seen.${i === 0 ? ` ${word} ${word} ${word}` : ''}`,
        Date.UTC(2012, 0, 1) + i * 60_000,
      ),
    );
    for (let start = 0; start < rows.length; start += 100) await env.DB.batch(rows.slice(start, start + 100));
    const first = await (await bestMatch(word)).text();
    expect(visibleText(first)).toContain(
      `More than ${SEARCH_WINDOW} articles found: the best matches among the newest ${SEARCH_WINDOW} are shown.`,
    );
    // Drafts among the newest matches leave fewer than 500 published in the window: still "more than 500".
    await env.DB.prepare(
      "UPDATE articles SET status = 'draft' WHERE slug IN (SELECT slug FROM articles WHERE slug LIKE ? ORDER BY id DESC LIMIT 3)",
    )
      .bind(`${word}-%`)
      .run();
    expect(visibleText(await (await bestMatch(word)).text())).toContain(`More than ${SEARCH_WINDOW} articles found`);
    // The oldest five (the first, with the word four times, among them) are outside the window.
    expect(resultLinks(first).some((link) => link.endsWith(`/${word}-0`))).toBe(false);
    const lastPage = SEARCH_WINDOW / Number(env.ARTICLES_PER_PAGE);
    expect((await bestMatch(word, lastPage)).status).toBe(200);
    expect((await bestMatch(word, lastPage + 1)).status).toBe(404);
    // Newest first reaches every match, the oldest too, a page at a time.
    const oldest = await env.DB.prepare('SELECT id FROM articles WHERE slug = ?')
      .bind(`${word}-1`)
      .first<{ id: number }>();
    const last = await (await search(word, { after: String(oldest!.id) })).text();
    expect(resultLinks(last).map((link) => link.split('/').at(-1))).toEqual([`${word}-0`]);
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
