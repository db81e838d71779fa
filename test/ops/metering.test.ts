import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../../src';
import type { MeterCounts } from '../../src/ops/meter-counts';
import { clearPageCache, formToken, freshAddress, ORIGIN, SAMPLE_ARTICLE_PATH } from '../support/helpers';

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
