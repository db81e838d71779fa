import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { clearPageCache, SAMPLE_ARTICLE_PATH } from '../support/helpers';

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
