import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { siteConfig } from '../../src/config';
import { toLocalDateTime } from '../../src/lib/dates';
import { MIN_READERS_PER_REFERRER } from '../../src/readership/queries';
import { clientKind } from '../../src/readership/view';
import {
  type CountedView,
  MAX_REFERRERS_PER_ARTICLE,
  OTHER_REFERRER,
  type ViewCounter,
} from '../../src/readership/view-counter-object';
import { signedInStaff } from '../support/admin-helpers';
import { clearPageCache, freshAddress, ORIGIN, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15';
const ADDRESS = '203.0.113.45';
const SLUG = SAMPLE_ARTICLE_PATH.split('/').pop()!;
const today = () => toLocalDateTime(new Date(), siteConfig(env).timeZone).slice(0, 10);

/** A reader's request for a page, from a country, with a user agent and a referring page. */
function visit(
  path: string,
  {
    country,
    userAgent = BROWSER,
    referer,
    method = 'GET',
    headers = {},
    address = freshAddress(),
  }: {
    country?: string;
    userAgent?: string;
    referer?: string;
    method?: string;
    headers?: Record<string, string>;
    /** The reader's address: a new reader on each visit unless given. */
    address?: string;
  } = {},
) {
  const request = new Request(new URL(path, ORIGIN), {
    method,
    headers: {
      'User-Agent': userAgent,
      'CF-Connecting-IP': address,
      ...(referer ? { Referer: referer } : {}),
      ...headers,
    },
    cf: country ? { country } : undefined,
  } as RequestInit);
  return exports.default.fetch(request);
}

const counter = () => env.VIEW_COUNTER.get(env.VIEW_COUNTER.idFromName(today()));
const pending = () => runInDurableObject(counter(), (instance: ViewCounter) => instance.pending());
const total = (views: CountedView[]) => views.reduce((sum, view) => sum + view.views, 0);

async function storedViews() {
  const { results } = await env.DB.prepare(
    `SELECT a.slug, v.day, v.country, v.referrer, v.client, v.views FROM article_views v JOIN articles a ON a.id = v.article_id
     ORDER BY v.country, v.referrer, v.client`,
  ).all();
  return results;
}

beforeAll(clearPageCache);

describe('counting article views', () => {
  it('counts misses and cache hits by country, referring host and kind of client; nothing else', async () => {
    const first = await visit(SAMPLE_ARTICLE_PATH, {
      country: 'JP',
      referer: 'https://news.ycombinator.com/item?id=42',
    });
    expect(first.headers.get('X-Cache')).toBe('MISS');
    const second = await visit(SAMPLE_ARTICLE_PATH, { country: 'JP', referer: 'https://news.ycombinator.com/' });
    expect(second.headers.get('X-Cache')).toBe('HIT');
    expect((await visit(SAMPLE_ARTICLE_PATH, { country: 'KR' })).headers.get('X-Cache')).toBe('HIT');
    const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    await visit(SAMPLE_ARTICLE_PATH, { country: 'US', userAgent: googlebot });
    // Not views: a HEAD, a prefetch, a missing article, the home page.
    await visit(SAMPLE_ARTICLE_PATH, { method: 'HEAD' });
    await visit(SAMPLE_ARTICLE_PATH, { headers: { 'Sec-Purpose': 'prefetch' } });
    expect((await visit('/2010/11/no-such-article')).status).toBe(404);
    await visit('/');

    await vi.waitFor(async () => expect(total(await pending())).toBe(4), { timeout: 5000 });
    expect(await runDurableObjectAlarm(counter())).toBe(true);
    expect(await pending()).toEqual([]);
    expect(await storedViews()).toEqual([
      { slug: SLUG, day: today(), country: 'JP', referrer: 'news.ycombinator.com', client: 'browser', views: 2 },
      { slug: SLUG, day: today(), country: 'KR', referrer: '', client: 'browser', views: 1 },
      { slug: SLUG, day: today(), country: 'US', referrer: '', client: 'crawler', views: 1 },
    ]);
  });

  it('adds later views to the same rows, and keeps no address, user agent or cookie', async () => {
    const response = await visit(SAMPLE_ARTICLE_PATH, {
      country: 'JP',
      referer: 'https://news.ycombinator.com/x',
      address: ADDRESS,
    });
    expect(response.headers.get('Set-Cookie')).toBeNull();
    // JSON-LD is data; no script runs.
    expect(await response.text()).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    await vi.waitFor(async () => expect(total(await pending())).toBe(1), { timeout: 5000 });
    const kept = JSON.stringify(await pending());
    await runDurableObjectAlarm(counter());
    const stored = JSON.stringify(await storedViews());
    expect(stored).toContain('"views":3');
    for (const text of [kept, stored]) {
      expect(text).not.toContain(ADDRESS);
      expect(text).not.toContain('Safari');
      expect(text).not.toContain('item?id');
    }
  });

  it('tells browsers from crawlers, previewers and HTTP libraries', () => {
    expect(clientKind(BROWSER)).toBe('browser');
    expect(clientKind('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('browser');
    for (const agent of [
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'curl/8.5.0',
      'python-requests/2.32.3',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      '',
    ]) {
      expect(clientKind(agent), agent).toBe('crawler');
    }
  });
});

describe('readership figures for editors', () => {
  // The 4 readers' views (and 1 crawler's) counted above.
  it('the dashboard shows the views per day, the most read articles, countries and referrers', async () => {
    const editor = await signedInStaff();
    const response = await editor.get('/admin');
    expect(response.status).toBe(200);
    const text = visibleText(await response.text());
    expect(text).toContain('Article views per day: 4 in 30 days, at most 4 in one day.');
    expect(text).toContain('1 crawler requests in 30 days');
    const { headline } = (await env.DB.prepare('SELECT headline FROM articles WHERE slug = ?').bind(SLUG).first<{
      headline: string;
    }>())!;
    expect(text).toContain(`Most read, last 7 days Article Views ${headline} 4`);
    expect(text).toContain(`Most read, last 30 days Article Views ${headline} 4`);
    expect(text).toContain('Countries, last 30 days Country Views Japan 3 South Korea 1');
    expect(text).toContain(
      'Referrers, last 30 days Came from Views news.ycombinator.com 3 No referrer (direct, bookmark, app) 1',
    );
  });

  it("each article's edit page shows its own readers", async () => {
    const editor = await signedInStaff();
    const { id } = (await env.DB.prepare('SELECT id FROM articles WHERE slug = ?').bind(SLUG).first<{ id: number }>())!;
    const text = visibleText(await (await editor.get(`/admin/articles/${id}`)).text());
    expect(text).toContain('Readers 4 views in all, 4 in the last 30 days.');
    const { id: other } = (await env.DB.prepare('SELECT id FROM articles WHERE slug != ? LIMIT 1').bind(SLUG).first<{
      id: number;
    }>())!;
    expect(visibleText(await (await editor.get(`/admin/articles/${other}`)).text())).toContain(
      'Readers 0 views in all, 0 in the last 30 days.',
    );
  });
});

describe('views that cannot be inflated', () => {
  const OTHER_PATH = '/2010/09/japan-china-trawler-standoff';
  const OTHER_SLUG = OTHER_PATH.split('/').pop()!;
  const stored = async (slug: string) =>
    (
      await env.DB.prepare(
        `SELECT v.referrer, sum(v.views) AS views FROM article_views v JOIN articles a ON a.id = v.article_id
         WHERE a.slug = ? GROUP BY v.referrer ORDER BY v.referrer`,
      )
        .bind(slug)
        .all<{ referrer: string; views: number }>()
    ).results;
  const flushed = async (views: number) => {
    await vi.waitFor(async () => expect(total(await pending())).toBe(views), { timeout: 5000 });
    await runDurableObjectAlarm(counter());
  };

  it('counts a reader once per article and day, however often they come and whatever Referer they send', async () => {
    const address = freshAddress();
    for (let i = 0; i < 100; i++) {
      await visit(OTHER_PATH, { address, referer: `https://spam-${i}.example/` });
    }
    await flushed(1);
    expect(await stored(OTHER_SLUG)).toEqual([{ referrer: 'spam-0.example', views: 1 }]);
  });

  it(`names at most ${MAX_REFERRERS_PER_ARTICLE} referring hosts an article a day, and shows editors only those with ${MIN_READERS_PER_REFERRER} readers`, async () => {
    const path = '/2010/10/asean-defence-ministers-hanoi';
    for (let i = 0; i < 30; i++) await visit(path, { referer: `https://made-up-${i}.example/` });
    for (let i = 0; i < MIN_READERS_PER_REFERRER; i++) await visit(path, { referer: 'https://real.example/story' });
    await flushed(30 + MIN_READERS_PER_REFERRER);
    const rows = await stored(path.split('/').pop()!);
    expect(rows.filter((row) => row.referrer.startsWith('made-up-'))).toHaveLength(MAX_REFERRERS_PER_ARTICLE);
    expect(rows).toContainEqual({
      referrer: OTHER_REFERRER,
      views: 30 - MAX_REFERRERS_PER_ARTICLE + MIN_READERS_PER_REFERRER,
    });
    const text = visibleText(await (await (await signedInStaff()).get('/admin')).text());
    expect(text).not.toContain('made-up-');
    expect(text).toContain('news.ycombinator.com');
  });
});
