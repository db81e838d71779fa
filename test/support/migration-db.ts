import { env } from 'cloudflare:workers';
import { expect } from 'vitest';

type Row = Record<string, unknown>;

/** test/migrations' own empty database (vitest.config.ts), apart from the one every test file shares. */
const db = env.MIGRATION_DB;

export async function tables(): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE '%_fts%' ORDER BY name",
    )
    .all<{ name: string }>();
  return results.map((row) => row.name);
}

export async function snapshot(): Promise<Record<string, Row[]>> {
  const entries = await Promise.all(
    (await tables()).map(
      async (table) => [table, (await db.prepare(`SELECT * FROM "${table}"`).all<Row>()).results] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Drops everything; a table still referenced by another is dropped on a later pass. */
export async function reset() {
  const { results } = await db
    .prepare(
      "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND type IN ('table', 'view', 'trigger')",
    )
    .all<{ type: string; name: string }>();
  for (const { type, name } of results.filter((row) => row.type !== 'table'))
    await db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name}"`);
  let remaining = results.filter((row) => row.type === 'table').map((row) => row.name);
  for (let pass = 0; remaining.length > 0 && pass < 10; pass++) {
    const failed: string[] = [];
    for (const name of remaining) await db.exec(`DROP TABLE IF EXISTS "${name}"`).catch(() => failed.push(name));
    remaining = failed;
  }
  expect(remaining).toEqual([]);
}

export async function apply(migrations: typeof env.TEST_MIGRATIONS) {
  for (const migration of migrations) await db.batch(migration.queries.map((query) => db.prepare(query)));
}

/** Loads the seed as far as the schema of that release allows (a statement for a later table is skipped). */
export async function seedWhatFits() {
  for (const statement of env.TEST_SEED) {
    try {
      await db.prepare(statement).run();
    } catch {
      // The table or column arrives in a later migration.
    }
  }
}
