/**
 * The built Worker served in workerd through the miniflare API (no dev-server proxy) on 127.0.0.1,
 * with a fresh in-memory D1/KV, migrated and seeded: what `npm run bench` and `npm run load` measure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from 'wrangler';
import { originalKey } from '../media/keys.ts';
import { readSeed } from './article-files.ts';
import { seedStatements } from './seed-sql.ts';
import { wrangler } from './wrangler.ts';

const BUNDLE_DIR = '.wrangler/bench-dist';

export const SAMPLE_ARTICLE = { slug: 'russia-eyes-korean-peninsula', path: '/2010/11/russia-eyes-korean-peninsula' };

/** Fixed secrets: the measuring process signs form tokens with them. */
export const LOCAL_SECRETS = {
  BOOKMARK_COOKIE_SECRET: 'bench-bookmark-cookie-secret',
  FORM_TOKEN_SECRET: 'bench-form-token-secret',
  IP_HASH_SALT: 'bench-ip-hash-salt',
  MODERATOR_TOKEN: 'bench-moderator-token',
  NEWSLETTER_TOKEN_SECRET: 'bench-newsletter-token-secret',
  SUBSCRIBER_HASH_SALT: 'bench-subscriber-hash-salt',
};

/** The comment limits, raised so a POST run measures posting rather than refusals. */
export const RAISED_COMMENT_LIMITS = {
  COMMENT_LIMIT_PER_MINUTE: '1000000',
  COMMENT_LIMIT_PER_HOUR: '1000000',
  COMMENT_FLOOD_SECONDS: '1',
};

/**
 * Builds the Worker (`wrangler deploy --dry-run`) and serves it on 127.0.0.1 (on `port`, by default a
 * free one) with these extra bindings; with `persistTo` (a state folder, as wrangler's `--persist-to`),
 * on the storage kept there instead of fresh in-memory storage.
 */
export async function startLocalWorker(
  bindings: Record<string, string>,
  { persistTo, port = 0 }: { persistTo?: string; port?: number } = {},
): Promise<{ miniflare: Miniflare; url: URL }> {
  wrangler(['deploy', '--dry-run', '--env=', '--outdir', BUNDLE_DIR], { quiet: true });
  const { workerOptions } = unstable_getMiniflareWorkerOptions('wrangler.toml');
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      workers: [
        {
          ...workerOptions,
          // The bundle is already built: no module rules or source root to resolve.
          modulesRules: undefined,
          rootPath: undefined,
          name: 'edgepress',
          modules: true,
          scriptPath: `${BUNDLE_DIR}/index.js`,
          bindings: { ...(workerOptions.bindings as Record<string, unknown>), ...bindings },
        },
      ],
      host: '127.0.0.1',
      port,
      // As wrangler keeps it: D1, R2, KV and Durable Objects under <state>/v3.
      ...(persistTo && { resourcePersistencePath: join(persistTo, 'v3') }),
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const url = await miniflare.ready;
  return { miniflare, url };
}

/** Applies every migration and the seed to the Worker's in-memory D1 and R2; returns the database for more rows. */
export async function migrateAndSeed(miniflare: Miniflare) {
  const db = await miniflare.getD1Database('DB');
  const migrations = readdirSync('migrations')
    .filter((name) => name.endsWith('.sql'))
    .sort();
  // Recorded as `wrangler d1 migrations apply` records them, which /healthz reads.
  await db.exec(
    'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
  );
  for (const name of migrations) {
    const statements = unstable_splitSqlQuery(readFileSync(`migrations/${name}`, 'utf8'));
    await db.batch([
      ...statements.map((statement) => db.prepare(statement)),
      db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(name),
    ]);
  }
  const seed = await readSeed('src/seed');
  const media = await miniflare.getR2Bucket('MEDIA');
  for (const { heroImage } of seed.articles) {
    if (heroImage)
      await media.put(originalKey(heroImage.hash), heroImage.bytes, { httpMetadata: { contentType: heroImage.type } });
  }
  const seedSql = await seedStatements(seed);
  await db.batch(seedSql.map((statement) => db.prepare(statement)));
  return db;
}
