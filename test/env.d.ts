import type { D1Migration } from '@cloudflare/vitest-plugin';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_SEED: string[];
      /** The seed's hero images, for the MEDIA bucket: R2 key, content type, bytes in base64. */
      TEST_SEED_IMAGES: { key: string; type: string; base64: string }[];
      MIGRATION_DB: D1Database;
      TEST_PURGE_QUEUE: Queue;
      TEST_NEWSLETTER_QUEUE: Queue;
      TEST_WEBSUB_QUEUE: Queue;
      TEST_WEBMENTION_QUEUE: Queue;
      TEST_FEDIVERSE_QUEUE: Queue;
    }
  }
}
