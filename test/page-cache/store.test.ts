import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { pageCache } from '../../src/page-cache';
import { forgetPages, MEMORY_CACHE_TTL_SECONDS, recallPage, rememberPage } from '../../src/page-cache/memory';

const page = (body: string) => ({ body, contentType: 'text/html; charset=UTF-8', etag: '"e"', storedAt: 0 });

describe('the isolate’s page memory', () => {
  it('forgets a page after MEMORY_CACHE_TTL_SECONDS', () => {
    rememberPage('page:/a|', page('a'), 1_000);
    expect(recallPage('page:/a|', 1_000 + MEMORY_CACHE_TTL_SECONDS * 1000 - 1)?.body).toBe('a');
    expect(recallPage('page:/a|', 1_000 + MEMORY_CACHE_TTL_SECONDS * 1000)).toBeUndefined();
  });

  it('forgets every variant of a purged path and nothing else', () => {
    for (const key of ['page:/b|', 'page:/b|page=2', 'page:/bb|']) rememberPage(key, page(key), 0);
    forgetPages('page:/b|');
    expect([recallPage('page:/b|', 1), recallPage('page:/b|page=2', 1), recallPage('page:/bb|', 1)?.body]).toEqual([
      undefined,
      undefined,
      'page:/bb|',
    ]);
  });

  it('keeps at most 500 pages and 8 MB, dropping the oldest first', () => {
    for (let index = 0; index < 501; index++) rememberPage(`page:/many/${index}|`, page(String(index)), 0);
    expect(recallPage('page:/many/0|', 1)).toBeUndefined();
    expect(recallPage('page:/many/1|', 1)?.body).toBe('1');

    const large = 'x'.repeat(1024 * 1024);
    for (let index = 0; index < 9; index++) rememberPage(`page:/large/${index}|`, page(large + index), 0);
    expect(recallPage('page:/large/0|', 1)).toBeUndefined();
    expect(recallPage('page:/large/8|', 1)?.body.endsWith('8')).toBe(true);
    expect(recallPage('page:/many/500|', 1)).toBeUndefined();
  });
});

/** A small app behind the page cache: each route answers the way a personal page would. */
function personalPagesApp() {
  let renders = 0;
  const app = new Hono<{ Bindings: Env }>();
  app.use('*', pageCache<{ Bindings: Env }>({ namespace: (c) => c.env.PAGE_CACHE, ttlSeconds: () => 3600 }));
  app.get('/plain', (c) => c.html(`<p>render ${++renders}</p>`));
  app.get('/sets-a-cookie', (c) => {
    c.header('Set-Cookie', 'edgepress_notice=held; Path=/; HttpOnly');
    return c.html(`<p>render ${++renders}</p>`);
  });
  app.get('/private', (c) => {
    c.header('Cache-Control', 'private');
    return c.html(`<p>render ${++renders}</p>`);
  });
  app.get('/no-store', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(`<p>render ${++renders}</p>`);
  });
  return app;
}

async function twice(app: Hono<{ Bindings: Env }>, path: string) {
  const responses: Response[] = [];
  for (let i = 0; i < 2; i++) {
    const ctx = createExecutionContext();
    responses.push(await app.fetch(new Request(`http://localhost${path}?run=${crypto.randomUUID()}`), env, ctx));
    await waitOnExecutionContext(ctx);
  }
  return Promise.all(responses.map(async (response) => [response.headers.get('X-Cache'), await response.text()]));
}

const storedKeys = async (path: string) => (await env.PAGE_CACHE.list({ prefix: `page:${path}|` })).keys.length;

describe('what the page cache refuses to store', () => {
  it('stores a plain public page (the control case)', async () => {
    const [first, second] = await twice(personalPagesApp(), '/plain');
    expect(first).toEqual(['MISS', '<p>render 1</p>']);
    expect(second).toEqual(['HIT', '<p>render 1</p>']);
    expect(await storedKeys('/plain')).toBe(1);
  });

  it('never stores a response that sets a cookie: the next visitor does not get it', async () => {
    const [first, second] = await twice(personalPagesApp(), '/sets-a-cookie');
    expect(first).toEqual(['BYPASS', '<p>render 1</p>']);
    expect(second).toEqual(['BYPASS', '<p>render 2</p>']);
    expect(await storedKeys('/sets-a-cookie')).toBe(0);
  });

  it.each(['/private', '/no-store'])('never stores a response marked %s', async (path) => {
    const [first, second] = await twice(personalPagesApp(), path);
    expect(first).toEqual(['BYPASS', '<p>render 1</p>']);
    expect(second).toEqual(['BYPASS', '<p>render 2</p>']);
    expect(await storedKeys(path)).toBe(0);
  });
});
