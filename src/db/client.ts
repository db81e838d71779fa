import { drizzle } from 'drizzle-orm/d1';

/**
 * Drizzle over a D1 database or session. Queries are built with the query builder only, so no
 * schema is registered: that keeps creating a client (once per request) nearly free.
 */
export function createDb(d1: D1Database) {
  return drizzle(d1);
}

export type Db = ReturnType<typeof createDb>;

/**
 * The primary database, without a session: editors' pages and APIs, background jobs (the queue,
 * the cron) and writes whose author does not read them back. Readers go through `readerDb`.
 */
export const primaryDb = (env: { DB: D1Database }) => createDb(env.DB);
