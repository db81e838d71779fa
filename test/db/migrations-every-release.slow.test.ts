import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { apply, reset, seedWhatFits, snapshot } from '../support/migration-db';

// In `npm run test:slow`: every release's database is built from nothing, then migrated.

describe('migrations', () => {
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
