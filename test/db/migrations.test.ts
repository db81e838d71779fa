import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

type Row = Record<string, unknown>;
const db = env.MIGRATION_DB;

async function tables(): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE '%_fts%' ORDER BY name",
    )
    .all<{ name: string }>();
  return results.map((row) => row.name);
}

async function snapshot(): Promise<Record<string, Row[]>> {
  const entries = await Promise.all(
    (await tables()).map(
      async (table) => [table, (await db.prepare(`SELECT * FROM "${table}"`).all<Row>()).results] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Drops everything; a table still referenced by another is dropped on a later pass. */
async function reset() {
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

async function apply(migrations: typeof env.TEST_MIGRATIONS) {
  for (const migration of migrations) await db.batch(migration.queries.map((query) => db.prepare(query)));
}

/** Loads the seed as far as the schema of that release allows (a statement for a later table is skipped). */
async function seedWhatFits() {
  for (const statement of env.TEST_SEED) {
    try {
      await db.prepare(statement).run();
    } catch {
      // The table or column arrives in a later migration.
    }
  }
}

describe('migrations', () => {
  it('apply in order to an empty database', async () => {
    await reset();
    await apply(env.TEST_MIGRATIONS);
    expect(await tables()).toEqual(
      expect.arrayContaining(['articles', 'authors', 'comments', 'sections', 'subscribers', 'tags']),
    );
  });

  it('lose nothing of a previous release’s data, for every release', { timeout: 120_000 }, async () => {
    expect(env.TEST_MIGRATIONS.length).toBeGreaterThan(1);
    for (let release = 1; release < env.TEST_MIGRATIONS.length; release++) {
      await reset();
      await apply(env.TEST_MIGRATIONS.slice(0, release));
      await seedWhatFits();
      const before = await snapshot();
      expect(before.comments?.length, `seeded before migration ${release}`).toBeGreaterThan(0);

      await apply(env.TEST_MIGRATIONS.slice(release));
      const after = await snapshot();
      for (const [table, rows] of Object.entries(before)) {
        const kept = after[table] ?? [];
        expect(kept.length, `${table} after ${env.TEST_MIGRATIONS[release]!.name}`).toBe(rows.length);
        // Every old column keeps its value; new columns may be added.
        for (const [index, row] of rows.entries()) expect(kept[index]).toMatchObject(row);
      }
    }
  });
});
