import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { D1_TIMEOUT_MS } from '../../src/ops/health-routes';
import { fetchPage } from '../support/helpers';

const app = createApp();

/** The Worker's answer with other bindings than wrangler.toml's (a database that is empty, or one that hangs). */
function fetchWith(bindings: Partial<Env>, path = '/healthz') {
  return app.fetch(new Request(`http://localhost:8787${path}`), { ...env, ...bindings }, {
    waitUntil: () => {},
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext);
}

afterEach(() => vi.restoreAllMocks());

describe('GET /healthz', () => {
  it('answers 200 with the commit, the migration level and the D1 round trip, neither cached nor indexed', async () => {
    const { results } = await env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    const response = await fetchWith({ COMMIT: '0a1b2c3' });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Robots-Tag')).toBe('noindex');
    const body = await response.json<{ status: string; commit: string; migrations: object; d1RoundTripMs: number }>();
    expect(body).toEqual({
      status: 'ok',
      commit: '0a1b2c3',
      migrations: { latest: results.at(-1)!.name, applied: results.length },
      d1RoundTripMs: expect.any(Number),
    });
    expect(results.length).toBeGreaterThan(3);
    expect(body.d1RoundTripMs).toBeGreaterThanOrEqual(0);
  });

  it('is never stored by the page cache: a second request asks D1 again', async () => {
    const first = await fetchPage('/healthz');
    expect(first.headers.get('X-Cache')).toBeNull();
    const prepare = vi.spyOn(env.DB, 'prepare');
    const second = await fetchPage('/healthz');
    expect(second.status).toBe(200);
    expect(prepare).toHaveBeenCalled();
    const { keys } = await env.PAGE_CACHE.list({ prefix: 'page:/healthz' });
    expect(keys).toEqual([]);
  });

  it('is disallowed to crawlers in robots.txt', async () => {
    expect(await (await fetchPage('/robots.txt')).text()).toMatch(/^Disallow: \/healthz$/m);
  });

  it('answers 503 when D1 fails (a database the migrations never reached)', async () => {
    const response = await fetchWith({ DB: env.MIGRATION_DB });
    expect(response.status).toBe(503);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ status: 'unavailable', error: expect.stringMatching(/^D1: /) });
  });

  it(`answers 503 when D1 does not answer within ${D1_TIMEOUT_MS} ms`, async () => {
    // The real database, behind a connection that never returns: what an outage looks like from the Worker.
    const hanging = new Proxy(env.DB, {
      get: (target, name) =>
        name === 'prepare'
          ? (query: string) => ({ ...target.prepare(query), first: () => new Promise(() => {}) })
          : Reflect.get(target, name),
    });
    const startedAt = Date.now();
    const response = await fetchWith({ DB: hanging });
    expect(response.status).toBe(503);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(D1_TIMEOUT_MS);
    expect(await response.json()).toMatchObject({ error: `D1: no answer within ${D1_TIMEOUT_MS} ms` });
  });
});
