import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PATHS_PER_INVOCATION, STALENESS_BOUND_SECONDS } from '../../src/page-cache/purge-queue';
import { ACCESS_LEVELS, KV_OPERATIONS_PER_PURGED_PATH } from '../../src/page-cache/store';
import { signedInStaff } from '../support/admin-helpers';
import { clearPageCache, ORIGIN, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';
import { ARTICLES, ProductionSite, postComment, storedCopies, withoutModeration } from '../support/production';

let warnings: string[] = [];
beforeEach(async () => {
  await clearPageCache();
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((line: string) => void warnings.push(String(line)));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the staleness bound', () => {
  it('is the purge batch timeout, the Cache API lifetime and the memory level together: at most 30 s', () => {
    expect(STALENESS_BOUND_SECONDS).toBeLessThanOrEqual(30);
  });
});

const JUNK_QUERIES = [
  'page=0001',
  'page=1.0',
  'page=02',
  'page=%2B2',
  'page=-1',
  'page=0',
  'page=2e0',
  'page=999999',
  'page=v1',
  'replyto=900001000000000000000',
  'replyto=0',
  'replyto=007',
  'replyto=abc',
  'replyto=999999',
  'page=1&replyto=999998',
  'utm_source=newsletter',
];
const JUNK_PATHS = [
  SAMPLE_ARTICLE_PATH,
  '/',
  '/section/security',
  '/feed.xml',
  '/section/security/atom.xml',
  '/sitemap.xml',
];

describe('a junk-parameter flood', () => {
  it('leaves KV with one key per path, answers without a 5xx, and leaves the next purge’s cost unchanged', async () => {
    const site = new ProductionSite();
    for (const path of JUNK_PATHS) expect((await site.fetch(path)).status, path).toBe(200);
    const keysBefore = await site.kv.keys('page:');
    expect(keysBefore.sort()).toEqual(JUNK_PATHS.map((path) => `page:${path}|`).sort());

    const purgeCost = async () => {
      const before = { ...site.kv.operations };
      await site.drainPurges();
      const after = site.kv.operations;
      return after.writes + after.deletes + after.lists - (before.writes + before.deletes + before.lists);
    };
    await scheduler.wait(1000);
    await site.purges.binding().send({ paths: JUNK_PATHS });
    const costBefore = await purgeCost();
    for (const path of JUNK_PATHS) await site.fetch(path);

    const statuses = new Map<number, number>();
    const requests = Array.from({ length: 1000 }, (_, i) => {
      const path = JUNK_PATHS[i % JUNK_PATHS.length]!;
      return `${path}?${JUNK_QUERIES[Math.floor(i / JUNK_PATHS.length) % JUNK_QUERIES.length]}`;
    });
    for (let start = 0; start < requests.length; start += 50) {
      const responses = await Promise.all(requests.slice(start, start + 50).map((url) => site.fetch(url)));
      for (const response of responses) {
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        await response.body?.cancel();
      }
    }
    expect(
      [...statuses.keys()].every((status) => status < 500),
      JSON.stringify([...statuses]),
    ).toBe(true);
    expect((await site.kv.keys('page:')).sort()).toEqual(keysBefore.sort());

    await scheduler.wait(1000);
    await site.purges.binding().send({ paths: JUNK_PATHS });
    expect(await purgeCost()).toBe(costBefore);
    expect(costBefore).toBe(JUNK_PATHS.length * KV_OPERATIONS_PER_PURGED_PATH);
  }, 60_000);

  it('answers a non-canonical page number with a 404 and a reply link to no approved comment with the plain page', async () => {
    const site = new ProductionSite();
    for (const query of ['after=02', 'after=1.0', 'after=%2B2', 'replyto=007', 'replyto=abc']) {
      expect(
        (await site.fetch(`/?${query}`.replace('/?replyto', `${SAMPLE_ARTICLE_PATH}?replyto`))).status,
        query,
      ).toBe(404);
    }
    const unknownReply = await site.fetch(`${SAMPLE_ARTICLE_PATH}?replyto=999999`, { redirect: 'manual' });
    expect(unknownReply.status).toBe(302);
    expect(unknownReply.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#respond`);
    const feed = await site.fetch('/feed.xml?page=v7');
    expect([feed.status, feed.headers.get('X-Cache')]).toEqual([200, 'MISS']);
    expect((await site.fetch('/feed.xml?page=v8')).headers.get('X-Cache')).toBe('HIT');
  });
});

describe('read-your-writes', () => {
  it('lets only a bookmark the site signed skip the cache', async () => {
    const site = withoutModeration(new ProductionSite());
    await site.fetch(SAMPLE_ARTICLE_PATH);
    const text = `Signed bookmark check ${Date.now()}`;
    const posted = await postComment(site, SAMPLE_ARTICLE_PATH, text);
    expect(posted.status).toBe(303);
    const cookie = posted.headers.getSetCookie().find((line) => line.startsWith('edgepress_d1_bookmark='))!;
    const [value] = cookie.split(';');
    const own = await site.fetch(posted.headers.get('Location')!, { headers: { Cookie: value! } });
    expect(own.headers.get('X-Cache')).toBe('BYPASS');
    expect(visibleText(await own.text())).toContain(text);

    const bookmark = value!.slice('edgepress_d1_bookmark='.length, value!.lastIndexOf('~'));
    for (const crafted of [bookmark, `${bookmark}~forged`, 'x', `${bookmark}~${'A'.repeat(43)}`]) {
      const other = await site.fetch(SAMPLE_ARTICLE_PATH, { headers: { Cookie: `edgepress_d1_bookmark=${crafted}` } });
      expect(other.headers.get('X-Cache'), crafted).toBe('HIT');
    }
    // Each article view waits for the readership batch (a second) before its invocation ends.
  }, 20_000);
});

const topOfPage = async (site: ProductionSite, path: string) => visibleText(await (await site.fetch(path)).text());

describe('comments at production rates', () => {
  it('takes a burst of 100 comments on one article at once, and shows them all after one purge', async () => {
    const site = withoutModeration(new ProductionSite());
    const article = ARTICLES[1]!;
    await site.fetch(article);
    const texts = Array.from({ length: 100 }, (_, i) => `Burst comment ${i} ${crypto.randomUUID()}`);
    const responses = await Promise.all(texts.map((text) => postComment(site, article, text)));
    expect(responses.map((response) => response.status).filter((status) => status !== 303)).toEqual([]);
    for (const text of texts) expect(await storedCopies(text), text).toBe(1);
    expect(site.purges.sent).toHaveLength(100);
    const paths = new Set(site.purges.sent.flatMap(({ body }) => (body as { paths: string[] }).paths));
    expect(paths.size).toBeLessThanOrEqual(10);
    const before = { ...site.kv.operations };
    await site.drainPurges();
    // The article's pages purged once each, not once per comment: a delete per access level and the purge marker a path.
    expect(site.kv.operations.deletes - before.deletes + site.kv.operations.writes - before.writes).toBe(
      paths.size * KV_OPERATIONS_PER_PURGED_PATH,
    );
    const shown = (await topOfPage(site, article)) + (await topOfPage(site, `${article}?page=2`));
    expect(texts.filter((text) => !shown.includes(text))).toEqual([]);
  }, 60_000);

  it('keeps a comment and serves every reader when KV refuses everything (its quota spent)', async () => {
    const site = withoutModeration(new ProductionSite());
    const spent = site.kv.invocation();
    for (let i = 0; i < 1000; i++) await spent.get('anything');
    site.env = () => ({ ...env, COMMENT_MODERATION: 'none', PAGE_CACHE: spent, PURGE_QUEUE: site.purges.binding() });
    const page = await site.fetch(SAMPLE_ARTICLE_PATH);
    expect(page.status).toBe(200);
    const text = `Written while KV refuses ${Date.now()}`;
    expect((await postComment(site, SAMPLE_ARTICLE_PATH, text)).status).toBe(303);
    expect(await storedCopies(text)).toBe(1);
    expect(visibleText(await (await site.fetch(SAMPLE_ARTICLE_PATH)).text())).toContain(text);
    const result = await site.consumePurges();
    expect(result.retryMessages).toHaveLength(1);
    expect(warnings.some((line) => line.includes('"page-cache.purge-refused"'))).toBe(true);
  });
});

describe('bulk moderation', () => {
  it('approves 200 comments on four articles in one request, purging each article once', async () => {
    const site = new ProductionSite();
    const editor = await signedInStaff();
    const texts: string[] = [];
    for (const [index, article] of ARTICLES.entries()) {
      const slug = article.split('/').pop()!;
      const rows = Array.from({ length: 50 }, (_, i) => `Held comment ${index}.${i} ${crypto.randomUUID()}`);
      texts.push(...rows);
      await env.DB.batch(
        rows.map((text) =>
          env.DB.prepare(
            "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) SELECT id, 'Held', 'held@example.com', ?, ?, 'pending' FROM articles WHERE slug = ?",
          ).bind(text, text, slug),
        ),
      );
    }
    const ids = await env.DB.prepare("SELECT id FROM comments WHERE body LIKE 'Held comment %' ORDER BY id").all<{
      id: number;
    }>();
    expect(ids.results).toHaveLength(200);
    for (const article of ARTICLES) await site.fetch(article);

    const body = new URLSearchParams({ action: 'approve', csrf: editor.csrf });
    for (const { id } of ids.results) body.append('ids', String(id));
    const response = await site.fetch('/admin/comments?status=pending', {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: ORIGIN,
        Cookie: `editor_session=${editor.token}`,
      },
      body,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin/comments?status=pending&done=approve&n=200');
    const sent = site.purges.sent.flatMap(({ body }) => (body as { paths: string[] }).paths);
    expect(sent).toEqual(expect.arrayContaining(ARTICLES));
    expect(new Set(sent).size).toBe(sent.length);
    const before = { ...site.kv.operations };
    await site.drainPurges();
    // Each path at least once; a message KV refused (a page written under a second ago) comes back whole.
    expect(site.kv.operations.deletes - before.deletes).toBeGreaterThanOrEqual(sent.length);
    expect(site.kv.refused.operations).toBe(0);
    for (const [index, article] of ARTICLES.entries()) {
      expect(await topOfPage(site, article)).toContain(texts[index * 50 + 49]);
    }
  }, 60_000);
});

describe('the purge queue’s consumer', () => {
  it('purges at most PATHS_PER_INVOCATION paths an invocation and puts the rest back on the queue', async () => {
    const site = new ProductionSite();
    const paths = Array.from({ length: PATHS_PER_INVOCATION + 10 }, (_, i) => `/tag/overflow-${i}`);
    const bodies = paths.map((path) => ({ paths: [path] }));
    const before = { ...site.kv.operations };
    const result = await site.consumePurges(bodies);
    expect(result.explicitAcks).toHaveLength(bodies.length);
    expect(site.kv.operations.deletes - before.deletes).toBe(PATHS_PER_INVOCATION * (1 + ACCESS_LEVELS.length));
    expect(site.purges.sent.map(({ body }) => body)).toEqual(bodies.slice(PATHS_PER_INVOCATION));
  });
});
