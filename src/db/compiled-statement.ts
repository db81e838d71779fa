import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';

const dialect = new SQLiteAsyncDialect();

/**
 * A statement written with drizzle's `sql` (schema tables and columns, named placeholders),
 * compiled to SQL once per isolate and bound to each request's values on that request's D1 session.
 * For the hottest uncached read: building a query costs drizzle a large share of the page's CPU.
 *
 * @example
 * const byId = compiledStatement<{ id: number }>(() => sql`select ${articles.headline} from ${articles} where ${articles.id} = ${sql.placeholder('id')}`);
 * const row = await byId(db, { id: 1 }).first<{ headline: string }>();
 */
export function compiledStatement<Values extends Record<string, unknown>>(build: () => SQL) {
  let compiled: { sql: string; params: unknown[] } | undefined;
  return (db: Db, values: Values): D1PreparedStatement => {
    compiled ??= dialect.sqlToQuery(build());
    return db.$client.prepare(compiled.sql).bind(...fillPlaceholders(compiled.params, values));
  };
}
