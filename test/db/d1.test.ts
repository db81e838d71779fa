import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import {
  clearPageCache,
  fetchPage,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  seedDatabase,
  submitCommentForm,
  visibleText,
} from '../support/helpers';

const TABLES = ['sections', 'authors', 'tags', 'articles', 'article_tags', 'comments'] as const;

async function snapshot() {
  const entries = await Promise.all(
    TABLES.map(
      async (table) => [table, (await env.DB.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()).results] as const,
    ),
  );
  return Object.fromEntries(entries);
}

describe('the seed', () => {
  it('holds the sample article, its credit and its three comments', async () => {
    const article = await env.DB.prepare(
      "SELECT id, headline, hero_image_credit, status FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ id: number; headline: string; hero_image_credit: string; status: string }>();
    expect(article).toMatchObject({
      headline: 'Russia Eyes Korean Peninsula',
      hero_image_credit: "South Korean President's Office",
      status: 'published',
    });
    const { results } = await env.DB.prepare(
      'SELECT author_name, status FROM comments WHERE article_id = ? ORDER BY created_at DESC',
    )
      .bind(article!.id)
      .all();
    expect(results).toEqual([
      { author_name: 'Mladen Matosevic', status: 'approved' },
      { author_name: 'Philipp Ivanov', status: 'approved' },
      { author_name: 'R. Jordan Prescott', status: 'approved' },
    ]);
  });

  it('changes nothing and loses nothing when run again', async () => {
    const article = await env.DB.prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'").first<{
      id: number;
    }>();
    await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) VALUES (?, 'Local Reader', 'local@example.com', 'Posted locally', 'x', 'approved')",
    )
      .bind(article!.id)
      .run();
    await env.DB.prepare(
      "UPDATE articles SET headline = 'Edited Locally' WHERE slug = 'russia-eyes-korean-peninsula'",
    ).run();

    const before = await snapshot();
    await seedDatabase();
    await seedDatabase();
    expect(await snapshot()).toEqual(before);
  });
});

beforeEach(clearPageCache);

describe('D1 sessions: reading your own writes', () => {
  it('hands a reader who posted a bookmark, and renders their next views fresh from it', async () => {
    await fetchPage(SAMPLE_ARTICLE_PATH);
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');

    const text = `Read-your-writes check ${Date.now()}`;
    const posted = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Bookmark Reader',
      email: await returningReader(),
      comment: text,
    });
    expect(posted.status).toBe(303);
    const cookie = posted.headers.getSetCookie().find((line) => line.startsWith('edgepress_d1_bookmark='));
    expect(cookie).toMatch(/^edgepress_d1_bookmark=[^;]+; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax$/);

    const next = await fetchPage(posted.headers.get('Location')!, { headers: { Cookie: cookie!.split(';')[0]! } });
    expect(next.status).toBe(200);
    expect(next.headers.get('X-Cache')).toBe('BYPASS');
    expect(visibleText(await next.text())).toContain(text);
  });

  it('ignores a malformed bookmark instead of failing', async () => {
    const response = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { Cookie: 'edgepress_d1_bookmark=<script>' } });
    expect(response.status).toBe(200);
  });

  it('gives no bookmark to readers who only read, or whose post was refused', async () => {
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('Set-Cookie')).toBeNull();
    const refused = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: '', email: 'x', comment: '' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('Set-Cookie')).toBeNull();
  });
});

/**
 * The real local D1, seen through a proxy that counts round trips: each `batch`, and each statement
 * run on its own (`all`, `first`, `run`, `raw`). Statements are unwrapped before they reach D1.
 */
function countRoundTrips(database: D1Database) {
  const counter = { roundTrips: 0 };
  const originals = new WeakMap<object, D1PreparedStatement>();
  const statement = (target: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        if (property === 'bind') return (...values: unknown[]) => statement(value.apply(object, values));
        if (['all', 'first', 'run', 'raw'].includes(String(property))) {
          return (...args: unknown[]) => {
            counter.roundTrips++;
            return value.apply(object, args);
          };
        }
        return value.bind(object);
      },
    });
    originals.set(proxy, target);
    return proxy;
  };
  const databaseProxy = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        if (property === 'prepare') return (query: string) => statement(value.call(object, query));
        if (property === 'withSession') return (...args: unknown[]) => databaseProxy(value.apply(object, args));
        if (property === 'batch') {
          return (statements: D1PreparedStatement[]) => {
            counter.roundTrips++;
            return value.call(
              object,
              statements.map((one) => originals.get(one) ?? one),
            );
          };
        }
        if (property === 'exec') {
          return (query: string) => {
            counter.roundTrips++;
            return value.call(object, query);
          };
        }
        return value.bind(object);
      },
    });
  return { database: databaseProxy(database), counter };
}

async function get(path: string) {
  const { database, counter } = countRoundTrips(env.DB);
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`http://localhost:8787${path}`),
    { ...env, DB: database } as Env,
    ctx,
  );
  await response.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return { status: response.status, cache: response.headers.get('X-Cache'), roundTrips: counter.roundTrips };
}

beforeEach(clearPageCache);

describe('D1 round trips per page view', () => {
  it('an uncached article page is one batch; the cached page reads D1 not at all', async () => {
    expect(await get(SAMPLE_ARTICLE_PATH)).toEqual({ status: 200, cache: 'MISS', roundTrips: 1 });
    expect(await get(SAMPLE_ARTICLE_PATH)).toEqual({ status: 200, cache: 'HIT', roundTrips: 0 });
  });

  it('the same for the home page and a section page', async () => {
    for (const path of ['/', '/section/security']) {
      expect(await get(path)).toEqual({ status: 200, cache: 'MISS', roundTrips: 1 });
      expect(await get(path)).toEqual({ status: 200, cache: 'HIT', roundTrips: 0 });
    }
  });
});
