/**
 * Secrets: set with `wrangler secret put NAME --env …` when deployed; locally `npm start` writes
 * random ones to `.dev.vars`, and tests get theirs from vitest.config.ts.
 */
interface EdgepressSecrets {
  /** Signs the timestamped token in comment forms. */
  FORM_TOKEN_SECRET: string;
  /** Salts the hash of a commenter's IP address. */
  IP_HASH_SALT: string;
  /** Bearer token for the moderation API. */
  MODERATOR_TOKEN: string;
}

interface Env extends EdgepressSecrets {}

declare namespace Cloudflare {
  interface Env extends EdgepressSecrets {}
}
