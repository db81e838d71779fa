import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { pageCache } from '../../src/page-cache';

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
