import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { createApp } from '../../src/app';
import { D1_TIMEOUT_MS } from '../../src/ops/health-routes';
import type { MeterCounts } from '../../src/ops/meter-counts';
import { clearPageCache, fetchPage, formToken, freshAddress, ORIGIN, SAMPLE_ARTICLE_PATH } from '../support/helpers';

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
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const again = await fetchWith({ DB: env.MIGRATION_DB });
    const body = await again.text();
    expect(JSON.parse(body)).toMatchObject({ status: 'unavailable', error: 'D1 refused the query' });
    // What D1 said (here, the missing table) is in the log for the operator, not in the answer.
    expect(body).not.toMatch(/d1_migrations|SQLITE|no such table/i);
    expect(logged.mock.calls.flat().join('\n')).toMatch(/no such table: d1_migrations/);
    expect(await response.json()).toMatchObject({ status: 'unavailable' });
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
    expect(await response.json()).toMatchObject({ error: `D1 did not answer within ${D1_TIMEOUT_MS} ms` });
  });
});

const TOKEN = 'test-meter-token';

async function fetchWorker(
  path: string,
  headers: Record<string, string>,
  bindings: Partial<Env> = {},
  init: RequestInit = {},
) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(new URL(path, 'http://localhost:8787'), { ...init, headers }) as Request<
      unknown,
      IncomingRequestCfProperties
    >,
    { ...env, ...bindings } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const metered = (path: string) => fetchWorker(path, { 'X-Meter': TOKEN }, { METER_TOKEN: TOKEN });
const readMeter = async () => (await (await metered('/__meter')).json()) as MeterCounts;

beforeEach(clearPageCache);

describe('the bench meter', () => {
  it('does not exist unless the Worker has a METER_TOKEN and the request carries it', async () => {
    expect((await fetchWorker('/__meter', { 'X-Meter': TOKEN })).status).toBe(404);
    expect((await fetchWorker('/__meter', { 'X-Meter': 'guess' }, { METER_TOKEN: TOKEN })).status).toBe(404);
    expect((await fetchWorker('/__meter', {}, { METER_TOKEN: TOKEN })).status).toBe(404);
  });

  it('counts what a request asks of KV and D1, and starts again from zero when read', async () => {
    await readMeter();
    expect((await metered(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('MISS');
    const miss = await readMeter();
    expect(miss.requests).toBe(1);
    expect(miss.d1Queries).toBeGreaterThanOrEqual(1);
    expect(miss.d1RowsRead).toBeGreaterThan(0);
    expect(miss.kvReads).toBeGreaterThanOrEqual(1);
    expect(miss.kvWrites).toBe(1);

    expect((await metered(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');
    const hit = await readMeter();
    expect(hit).toMatchObject({ requests: 1, d1Queries: 0, kvWrites: 0, kvDeletes: 0, d1RowsWritten: 0 });

    const before = await fetchWorker('/healthz', {}, { METER_TOKEN: TOKEN });
    expect(before.status).toBe(200);
    expect((await readMeter()).requests).toBe(0);
  });

  it('counts Durable Object calls (the rate limiter’s RPC) without changing what the request does', async () => {
    await readMeter();
    const slug = SAMPLE_ARTICLE_PATH.split('/').pop()!;
    const response = await fetchWorker(
      `${SAMPLE_ARTICLE_PATH}/comments`,
      {
        'X-Meter': TOKEN,
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: ORIGIN,
        'CF-Connecting-IP': freshAddress(),
      },
      { METER_TOKEN: TOKEN },
      {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          token: await formToken(slug),
          name: 'Metered Reader',
          email: `metered-${Date.now()}@example.com`,
          comment: `A metered comment ${Date.now()}`,
        }),
      },
    );
    expect(response.status).toBe(303);
    const counts = await readMeter();
    expect(counts.durableObjectRequests).toBeGreaterThanOrEqual(2);
    expect(counts.d1RowsWritten).toBeGreaterThan(0);
  });
});
