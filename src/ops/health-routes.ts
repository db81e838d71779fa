import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { logEvent } from '../lib/log';

export const HEALTHZ_PATH = '/healthz';

/** Longer than this and the database counts as down: a load balancer or an uptime check should look elsewhere. */
export const D1_TIMEOUT_MS = 2000;

/** The last migration `wrangler d1 migrations apply` recorded, and how many it has applied. */
const MIGRATION_LEVEL =
  'SELECT name, (SELECT count(*) FROM d1_migrations) AS applied FROM d1_migrations ORDER BY id DESC LIMIT 1';

type MigrationLevel = { name: string; applied: number };

class D1Timeout extends Error {}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new D1Timeout(`no answer within ${ms} ms`)), ms));
}

/**
 * `GET /healthz`: 200 with the deployed commit, the migration level and the time one D1 query took
 * (on the primary, never a replica), or 503 when D1 fails or does not answer in time. Never cached,
 * never indexed.
 */
export const healthRoutes = new Hono<AppEnv>().get(HEALTHZ_PATH, async (c) => {
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  const commit = c.env.COMMIT ?? 'unknown';
  const startedAt = Date.now();
  try {
    const level = await Promise.race([
      c.env.DB.prepare(MIGRATION_LEVEL).first<MigrationLevel>(),
      timeout(D1_TIMEOUT_MS),
    ]);
    const d1RoundTripMs = Date.now() - startedAt;
    return c.json({
      status: 'ok',
      commit,
      migrations: { latest: level?.name ?? null, applied: level?.applied ?? 0 },
      d1RoundTripMs,
    });
  } catch (error) {
    // D1's own words (table names, SQL) go to the log, never to whoever asks: the answer says which way it failed.
    const message = error instanceof Error ? error.message : String(error);
    logEvent('error', 'healthz.d1-down', { requestId: c.var.requestId, error: message });
    const reason = error instanceof D1Timeout ? `D1 did not answer within ${D1_TIMEOUT_MS} ms` : 'D1 refused the query';
    return c.json({ status: 'unavailable', commit, error: reason, requestId: c.var.requestId }, 503);
  }
});
