import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { readSeed } from './src/cli/article-files.ts';
import { seedStatements } from './src/cli/seed-sql.ts';
import { originalKey } from './src/media/keys.ts';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

const seed = await readSeed(path('./src/seed'));

/** The long simulations (100,000 deliveries, a 30 s comment flood, 10,000 fuzzed requests, every release's migration): `npm run test:slow`. */
const SLOW = 'test/**/*.slow.test.ts';

/** stripe's files name source maps of sources it does not ship: read without them, vite has nothing to warn about on every run. */
const stripeWithoutSourceMaps = {
  name: 'stripe-without-source-maps',
  enforce: 'pre' as const,
  load: (id: string) =>
    id.includes('/node_modules/stripe/') && id.endsWith('.js')
      ? readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '')
      : undefined,
};

/** A project of tests inside workerd, against the local bindings wrangler.toml declares. */
const workerProject = async (name: string, include: string[], exclude: string[] = []) => ({
  plugins: [
    stripeWithoutSourceMaps,
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // A second, empty database for test/migrations.test.ts.
        d1Databases: { MIGRATION_DB: 'migration-test-db' },
        // A queue with no consumer: the production-limit tests record what the app sends and hand it to the consumer themselves.
        queueProducers: {
          TEST_PURGE_QUEUE: { queueName: 'edgepress-purge-test' },
          // Likewise for the throttle tests, which play the newsletter queue on an injected clock.
          TEST_NEWSLETTER_QUEUE: { queueName: 'edgepress-newsletter-test' },
          // And for the WebSub tests, which hand the pings to the consumer with the stand-in hub configured.
          TEST_WEBSUB_QUEUE: { queueName: 'edgepress-websub-test' },
          // And for the Webmention tests, which hand received and sent mentions to the consumer.
          TEST_WEBMENTION_QUEUE: { queueName: 'edgepress-webmention-test' },
          // And for the fediverse tests, which read the article activities publishing queues.
          TEST_FEDIVERSE_QUEUE: { queueName: 'edgepress-fediverse-test' },
        },
        bindings: {
          BOOKMARK_COOKIE_SECRET: 'test-bookmark-cookie-secret',
          FORM_TOKEN_SECRET: 'test-form-token-secret',
          IP_HASH_SALT: 'test-ip-hash-salt',
          MODERATOR_TOKEN: 'test-moderator-token',
          NEWSLETTER_TOKEN_SECRET: 'test-newsletter-token-secret',
          SUBSCRIBER_HASH_SALT: 'test-subscriber-hash-salt',
          // Stripe's keys; the paid tests point STRIPE_API_URL at the Stripe stand-in.
          STRIPE_SECRET_KEY: 'sk_test_edgepress',
          STRIPE_WEBHOOK_SECRET: 'whsec_test_edgepress',
          // Sends are paced (src/newsletter/send-pacer.ts); the throttle tests set their own rate.
          NEWSLETTER_SENDS_PER_SECOND: '1000',
          TEST_MIGRATIONS: await readD1Migrations(path('./migrations')),
          TEST_SEED: await seedStatements(seed),
          TEST_SEED_IMAGES: seed.articles.flatMap(({ heroImage }) =>
            heroImage
              ? [
                  {
                    key: originalKey(heroImage.hash),
                    type: heroImage.type,
                    base64: Buffer.from(heroImage.bytes).toString('base64'),
                  },
                ]
              : [],
          ),
        },
      },
    }),
  ],
  test: {
    name,
    include,
    exclude: ['test/cli/**', 'test/docs/**', ...exclude],
    setupFiles: ['./test/setup.ts'],
    // The local stand-ins for outside services (Resend, Stripe, a WebSub hub, other sites), which the Worker's own fetch() reaches.
    globalSetup: ['./test/support/stand-ins-setup.ts'],
  },
});

/** A project of tests in Node: the commands in src/cli and the docs. Each test runs wrangler (the real one or the stand-in) several times. */
const nodeProject = (name: string, include: string[], exclude: string[] = []) => ({
  test: { name, include, exclude, environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 },
});

// `npm test`: the Worker's tests inside workerd and the Node commands' tests (test/cli, test/docs) in Node.
// `npm run test:slow`: the slow project. Two test files run at once (vitest's default on 2 cores is one).
export default defineConfig(async () => ({
  test: {
    maxWorkers: 2,
    projects: [
      await workerProject('worker', ['test/**/*.test.{ts,tsx}'], [SLOW]),
      await workerProject('slow', [SLOW]),
      nodeProject('node', ['test/cli/**/*.test.ts', 'test/docs/**/*.test.ts'], [SLOW]),
      // The commands run end to end against a local database through wrangler (backup and restore,
      // the synthetic archive): `npm run test:slow`.
      nodeProject('node-slow', ['test/cli/**/*.slow.test.ts']),
    ],
  },
}));
