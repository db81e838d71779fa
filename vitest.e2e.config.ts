import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: the browser suite, in Node (not workerd), against one real `wrangler dev` server. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/support/global-setup.ts'],
    // One server and one database: files run one after another.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
