import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { siteConfig } from '../../src/config';
import { pageCache } from '../../src/page-cache';
import { MEMORY_CACHE_TTL_SECONDS } from '../../src/page-cache/memory';
import { purgeArticlePages } from '../../src/page-cache/purge';
import { EDGE_CACHE_TTL_SECONDS, pageCacheKey, purgeCachedPath, writeCachedPage } from '../../src/page-cache/store';
import { clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH } from '../support/helpers';
import { ProductionSite } from '../support/production';

const sampleArticleId = async () =>
  (await env.DB.prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'").first<{ id: number }>())!
    .id;

beforeEach(clearPageCache);

describe('the KV page cache', () => {
  it('renders the first view (MISS) and serves the second from KV (HIT)', async () => {
    const first = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    const firstHtml = await first.text();
    const second = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect(second.headers.get('X-Cache')).toBe('HIT');
    expect(await second.text()).toBe(firstHtml);
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
    expect(second.headers.get('Cache-Control')).toMatch(/public/);
  });

  it('serves a HIT without reading D1, and the fresh page after a purge', async () => {
    const site = new ProductionSite();
    await site.fetch(SAMPLE_ARTICLE_PATH);
    const id = await sampleArticleId();
    await env.DB.prepare("UPDATE articles SET headline = 'Changed Behind The Cache' WHERE id = ?").bind(id).run();
    try {
      const cached = await site.fetch(SAMPLE_ARTICLE_PATH);
      expect(cached.headers.get('X-Cache')).toBe('HIT');
      expect(await cached.text()).toContain('<h1 class="p-name">Russia Eyes Korean Peninsula</h1>');

      await purgeArticlePages(site.env(), id);
      expect((await site.fetch(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');
      await site.drainPurges();
      const fresh = await site.fetch(SAMPLE_ARTICLE_PATH);
      expect(fresh.headers.get('X-Cache')).toBe('MISS');
      expect(await fresh.text()).toContain('<h1 class="p-name">Changed Behind The Cache</h1>');
    } finally {
      await env.DB.prepare("UPDATE articles SET headline = 'Russia Eyes Korean Peninsula' WHERE id = ?").bind(id).run();
    }
  });

  it('purges the article’s home, section, tag and author pages with it, and nothing else', async () => {
    const site = new ProductionSite();
    const paths = ['/', '/section/security', '/tag/russia', '/author/richard-weitz', '/section/economy'];
    for (const path of paths) expect((await site.fetch(path)).status, path).toBe(200);
    for (const path of paths) expect((await site.fetch(path)).headers.get('X-Cache'), path).toBe('HIT');
    await purgeArticlePages(site.env(), await sampleArticleId());
    await site.drainPurges();
    const after = await Promise.all(paths.map(async (path) => (await site.fetch(path)).headers.get('X-Cache')));
    expect(after).toEqual(['MISS', 'MISS', 'MISS', 'MISS', 'HIT']);
  });

  it('answers a matching If-None-Match with 304 and no body, and a changed page with 200', async () => {
    const first = await fetchPage(SAMPLE_ARTICLE_PATH);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const revalidated = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(revalidated.headers.get('ETag')).toBe(etag);

    // A re-render carries a fresh comment-form token, so it is a new version of the page.
    await clearPageCache();
    const rerendered = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { 'If-None-Match': etag } });
    expect(rerendered.status).toBe(200);
    expect(rerendered.headers.get('X-Cache')).toBe('MISS');
    const newEtag = rerendered.headers.get('ETag')!;
    expect((await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { 'If-None-Match': newEtag } })).status).toBe(304);
    const stale = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { 'If-None-Match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('never stores a 404, and keys variants by the comment page only', async () => {
    await fetchPage('/2010/11/no-such-article');
    expect((await env.PAGE_CACHE.list({ prefix: 'page:' })).keys).toEqual([]);
    await fetchPage(`${SAMPLE_ARTICLE_PATH}?utm_source=newsletter`);
    const tracked = await fetchPage(`${SAMPLE_ARTICLE_PATH}?utm_source=elsewhere`);
    expect(tracked.headers.get('X-Cache')).toBe('HIT');
  });
});

describe('the three cache levels', () => {
  const key = pageCacheKey(SAMPLE_ARTICLE_PATH);
  const edgeCopy = new Request(`https://page-cache.edgepress.internal/${encodeURIComponent(key)}`);

  it('answers from this isolate’s memory for a few seconds, then from the Cache API, then from KV, refilling the levels above', async () => {
    let clock = Date.now();
    let renders = 0;
    const app = new Hono<{ Bindings: Env }>().get(
      '/levels',
      pageCache({ namespace: () => env.PAGE_CACHE, ttlSeconds: () => 3600, now: () => clock }),
      (c) => c.html(`<p>render ${++renders}</p>`),
    );
    const levelsKey = pageCacheKey('/levels');
    const levelsEdgeCopy = new Request(`https://page-cache.edgepress.internal/${encodeURIComponent(levelsKey)}`);
    const get = async () => {
      const ctx = createExecutionContext();
      const response = await app.request('/levels', {}, env, ctx);
      await waitOnExecutionContext(ctx);
      return [response.headers.get('X-Cache'), response.headers.get('X-Cache-Level'), await response.text()];
    };
    const afterMemoryExpiry = () => (clock += MEMORY_CACHE_TTL_SECONDS * 1000);

    expect(await get()).toEqual(['MISS', null, '<p>render 1</p>']);
    expect(await get()).toEqual(['HIT', 'memory', '<p>render 1</p>']);
    afterMemoryExpiry();
    expect(await get()).toEqual(['HIT', 'edge', '<p>render 1</p>']);
    expect(await get()).toEqual(['HIT', 'memory', '<p>render 1</p>']);

    afterMemoryExpiry();
    await caches.default.delete(levelsEdgeCopy);
    expect(await get()).toEqual(['HIT', 'kv', '<p>render 1</p>']);
    expect(await caches.default.match(levelsEdgeCopy)).toBeDefined();
    afterMemoryExpiry();
    expect(await get()).toEqual(['HIT', 'edge', '<p>render 1</p>']);

    await purgeCachedPath(env.PAGE_CACHE, '/levels');
    expect(await get()).toEqual(['MISS', null, '<p>render 2</p>']);
    expect(renders).toBe(2);
  });

  it('keeps a variant (?page=2) out of KV, in the Cache API for EDGE_CACHE_TTL_SECONDS', async () => {
    let clock = Date.now();
    let renders = 0;
    const app = new Hono<{ Bindings: Env }>().get(
      '/variants',
      pageCache({
        namespace: () => env.PAGE_CACHE,
        ttlSeconds: () => 3600,
        now: () => clock,
        variant: (c) => ({ page: Number(c.req.query('page') ?? 1) }),
      }),
      (c) => c.html(`<p>render ${++renders}</p>`),
    );
    const get = async () => {
      const ctx = createExecutionContext();
      const response = await app.request('/variants?page=2', {}, env, ctx);
      await waitOnExecutionContext(ctx);
      return [response.headers.get('X-Cache'), await response.text()];
    };
    expect(await get()).toEqual(['MISS', '<p>render 1</p>']);
    expect((await env.PAGE_CACHE.list({ prefix: 'page:/variants|' })).keys).toEqual([]);
    clock += MEMORY_CACHE_TTL_SECONDS * 1000;
    expect(await get()).toEqual(['HIT', '<p>render 1</p>']);
    clock += EDGE_CACHE_TTL_SECONDS * 1000;
    expect(await get()).toEqual(['MISS', '<p>render 2</p>']);
  });

  it('answers the real article from memory, and a KV-only copy from KV', async () => {
    await fetchPage(SAMPLE_ARTICLE_PATH);
    const memoryHit = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect([memoryHit.headers.get('X-Cache'), memoryHit.headers.get('X-Cache-Level')]).toEqual(['HIT', 'memory']);

    const html = await memoryHit.text();
    await purgeCachedPath(env.PAGE_CACHE, SAMPLE_ARTICLE_PATH);
    await writeCachedPage(env.PAGE_CACHE, key, html, 3600, Date.now());
    await caches.default.delete(edgeCopy);
    const kvHit = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect([kvHit.headers.get('X-Cache'), kvHit.headers.get('X-Cache-Level')]).toEqual(['HIT', 'kv']);
    expect(await kvHit.text()).toBe(html);
  });

  it('lets one request re-render an expired page while the others are served the stale copy', async () => {
    const ttlMs = siteConfig(env).pageCacheTtlSeconds * 1000;
    const staleHtml = (await (await fetchPage(SAMPLE_ARTICLE_PATH)).text()).replace(
      'Russia Eyes Korean Peninsula</h1>',
      'Stale Copy</h1>',
    );
    await clearPageCache();
    await writeCachedPage(env.PAGE_CACHE, key, staleHtml, (2 * ttlMs) / 1000, Date.now() - ttlMs - 1000);
    await caches.default.delete(edgeCopy);

    const responses = await Promise.all(Array.from({ length: 6 }, () => fetchPage(SAMPLE_ARTICLE_PATH)));
    const statuses = responses.map((response) => response.headers.get('X-Cache')).sort();
    expect(statuses).toEqual(['MISS', 'STALE', 'STALE', 'STALE', 'STALE', 'STALE']);
    const bodies = await Promise.all(responses.map((response) => response.text()));
    expect(bodies.filter((body) => body.includes('Stale Copy</h1>'))).toHaveLength(5);

    const after = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect(after.headers.get('X-Cache')).toBe('HIT');
    expect(await after.text()).toContain('Russia Eyes Korean Peninsula</h1>');
  });
});

describe('the operator’s cache bypass', () => {
  it('renders without the cache only when CACHE_BYPASS_TOKEN is configured and sent', async () => {
    const app = createApp();
    const get = async (headers: Record<string, string>, token?: string) => {
      const ctx = createExecutionContext();
      const response = await app.fetch(
        new Request(`http://localhost${SAMPLE_ARTICLE_PATH}`, { headers }),
        { ...env, CACHE_BYPASS_TOKEN: token } as Env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return response.headers.get('X-Cache');
    };
    await fetchPage(SAMPLE_ARTICLE_PATH);
    expect(await get({ 'X-Cache-Bypass': 'secret' }, 'secret')).toBe('BYPASS');
    expect(await get({ 'X-Cache-Bypass': 'guess' }, 'secret')).toBe('HIT');
    expect(await get({ 'X-Cache-Bypass': '' }, undefined)).toBe('HIT');
    expect(await get({}, 'secret')).toBe('HIT');
  });
});

describe('a purge during a render', () => {
  it('keeps the page rendered from older data out of the cache', async () => {
    const race = { purgeDuringRender: true };
    const app = new Hono<{ Bindings: Env }>().get(
      '/racing-page',
      pageCache({ namespace: () => env.PAGE_CACHE, ttlSeconds: () => 3600 }),
      async (c) => {
        const html = `<p>rendered at ${Date.now()}</p>`;
        // A moderator approves a comment while this page is being rendered.
        if (race.purgeDuringRender) {
          await scheduler.wait(5);
          await purgeCachedPath(env.PAGE_CACHE, '/racing-page');
        }
        return c.html(html);
      },
    );
    const get = async () =>
      (await app.request('/racing-page', {}, env, createExecutionContext())).headers.get('X-Cache');
    expect(await get()).toBe('MISS');
    race.purgeDuringRender = false;
    expect(await get()).toBe('MISS');
    expect(await get()).toBe('HIT');
  });
});
