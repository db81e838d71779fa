/**
 * Secrets: set with `wrangler secret put NAME --env …` when deployed; locally `npm start` writes
 * random ones to `.dev.vars`, and tests get theirs from vitest.config.ts.
 */
interface EdgepressSecrets {
  /** Signs the timestamped token in comment forms. */
  FORM_TOKEN_SECRET: string;
  /** Salts the hash of a commenter's IP address. */
  IP_HASH_SALT: string;
  /** Bearer token for the moderation API and the newsletter editor's API. */
  MODERATOR_TOKEN: string;
  /** Signs the newsletter's confirmation and unsubscribe links. */
  NEWSLETTER_TOKEN_SECRET: string;
  /** Signs the D1 bookmark cookie of a reader who has just written (their next views skip the page cache). */
  BOOKMARK_COOKIE_SECRET: string;
  /** Salts the hash of a subscriber's address, which is kept after the address itself is erased. */
  SUBSCRIBER_HASH_SALT: string;
  /** Optional: Resend's API key, when NEWSLETTER_BULK_SENDER = "resend" (src/mail/resend.ts). */
  RESEND_API_KEY?: string;
  /** Optional: the signing secret (`whsec_…`) of the Resend webhook that reports bounces and complaints. */
  RESEND_WEBHOOK_SECRET?: string;
  /** Optional: Stripe's secret API key (`sk_…` or a restricted `rk_…`); without it nobody can subscribe (src/paid). */
  STRIPE_SECRET_KEY?: string;
  /** Optional: the signing secret (`whsec_…`) of the Stripe webhook endpoint (src/paid/webhook-routes.ts). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Optional: requests with `X-Cache-Bypass: <this>` skip the page cache (benchmarks, debugging a render). Unset, nobody can. */
  CACHE_BYPASS_TOKEN?: string;
  /** Optional, for `npm run bench` only: requests with `X-Meter: <this>` count their binding operations (src/ops/metering.ts). */
  METER_TOKEN?: string;
}

interface Env extends EdgepressSecrets {}

declare namespace Cloudflare {
  interface Env extends EdgepressSecrets {}
}
