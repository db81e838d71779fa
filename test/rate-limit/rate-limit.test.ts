import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rateLimit } from '../../src/rate-limit';
import { freshAddress, SAMPLE_ARTICLE_PATH, submitCommentForm } from '../support/helpers';
import { postForm } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

function limitedApp(key: string, clock: { now: number }, limit = 3, windowSeconds = 60) {
  return new Hono<{ Bindings: Env }>().post(
    '/',
    rateLimit({
      namespace: () => env.RATE_LIMITER,
      keys: () => [{ key, rules: [{ limit, windowSeconds, message: 'Too many.' }] }],
      onLimited: (c, { rule, retryAfterSeconds }) => c.json({ error: rule.message, retryAfterSeconds }, 429),
      now: () => clock.now,
    }),
    (c) => c.text('admitted'),
  );
}

const post = (app: Hono<{ Bindings: Env }>) => app.request('/', { method: 'POST' }, env);

describe('the rate-limiting middleware', () => {
  it('admits exactly its limit when 50 requests for one key arrive at once', async () => {
    const app = limitedApp(`burst-${crypto.randomUUID()}`, { now: Date.now() });
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(app)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(47);
  });

  it('answers 429 with Retry-After and RateLimit headers, and admits again once the window has passed', async () => {
    const clock = { now: Date.now() };
    const app = limitedApp(`window-${crypto.randomUUID()}`, clock, 2, 60);
    expect((await post(app)).headers.get('RateLimit-Remaining')).toBe('1');
    clock.now += 10_000;
    const second = await post(app);
    expect(second.status).toBe(200);
    expect(second.headers.get('RateLimit-Limit')).toBe('2');
    expect(second.headers.get('RateLimit-Remaining')).toBe('0');

    clock.now += 10_000;
    const refused = await post(app);
    expect(refused.status).toBe(429);
    // The first hit leaves the window 60 s after it was made: 40 s from now.
    expect(refused.headers.get('Retry-After')).toBe('40');
    expect(await refused.json()).toEqual({ error: 'Too many.', retryAfterSeconds: 40 });

    clock.now += 39_000;
    expect((await post(app)).status).toBe(429);
    clock.now += 1_000;
    expect((await post(app)).status).toBe(200);
    expect((await post(app)).status).toBe(429);
  });

  it('keeps counting after its alarm has freed the storage (the object stays in memory)', async () => {
    const key = `alarm-${crypto.randomUUID()}`;
    const app = limitedApp(key, { now: Date.now() }, 1, 60);
    expect((await post(app)).status).toBe(200);
    expect(await runDurableObjectAlarm(env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key)))).toBe(true);
    expect((await post(app)).status).toBe(200);
    expect((await post(app)).status).toBe(429);
  });

  it('counts keys separately and applies the tightest of several windows', async () => {
    const clock = { now: Date.now() };
    const id = crypto.randomUUID();
    const app = new Hono<{ Bindings: Env }>().post(
      '/',
      rateLimit({
        namespace: () => env.RATE_LIMITER,
        keys: (c) => [
          {
            key: `multi-${id}-${c.req.header('X-Who')}`,
            rules: [
              { limit: 1, windowSeconds: 15, message: 'flood' },
              { limit: 3, windowSeconds: 3600, message: 'hourly' },
            ],
          },
        ],
        onLimited: (c, { rule }) => c.text(rule.message, 429),
        now: () => clock.now,
      }),
      (c) => c.text('ok'),
    );
    const as = (who: string) => app.request('/', { method: 'POST', headers: { 'X-Who': who } }, env);
    expect((await as('a')).status).toBe(200);
    expect(await (await as('a')).text()).toBe('flood');
    expect((await as('b')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      clock.now += 16_000;
      expect((await as('a')).status).toBe(200);
    }
    clock.now += 16_000;
    const hourly = await as('a');
    expect(await hourly.text()).toBe('hourly');
    expect(Number(hourly.headers.get('Retry-After'))).toBeGreaterThan(3000);
  });
});

describe('the comment endpoint under a burst', () => {
  it('admits exactly the configured number of 100 parallel posts from one network', { timeout: 60_000 }, async () => {
    const network = freshAddress().replace(/\.\d+$/, '');
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        submitCommentForm(
          SAMPLE_ARTICLE_PATH,
          { name: 'Burst', email: `burst-${index}-${Date.now()}@example.com`, comment: `Burst comment ${index}` },
          { address: `${network}.${index + 1}` },
        ),
      ),
    );
    const statuses = responses.map((response) => response.status);
    // One post per COMMENT_FLOOD_SECONDS from a network: the tightest of its limits.
    expect(statuses.filter((status) => status === 303)).toHaveLength(1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(99);
    const { count } = (await env.DB.prepare(
      "SELECT count(*) AS count FROM comments WHERE author_name = 'Burst'",
    ).first<{ count: number }>())!;
    expect(count).toBe(1);
  });
});

describe('counts kept about a person', () => {
  const rateHeaders = (response: Response) =>
    ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'].map((name) => response.headers.get(name));

  it.each([
    ['a data request (/privacy)', '/privacy'],
    ['a newsletter signup (/newsletter)', '/newsletter'],
  ])(
    'never show in the answer: %s for an address used from other networks answers as one for a fresh address',
    async (_, path) => {
      const used = uniqueEmail('used');
      for (let i = 0; i < 2; i++) await postForm(path, { email: used }, { 'CF-Connecting-IP': freshAddress() });
      const probe = await postForm(path, { email: used }, { 'CF-Connecting-IP': freshAddress() });
      const control = await postForm(path, { email: uniqueEmail('fresh') }, { 'CF-Connecting-IP': freshAddress() });
      expect(probe.status).toBe(control.status);
      expect(rateHeaders(probe)).toEqual(rateHeaders(control));
    },
  );
});
