import type { Context } from 'hono';
import Stripe from 'stripe';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { GIFT_PATH, SUBSCRIBE_PATH } from '../paths';

/**
 * The official Stripe library over `fetch` (it runs on Workers), talking to the address STRIPE_API_URL
 * names (Stripe's API, or the local stand-in in tests). Undefined without the STRIPE_SECRET_KEY secret:
 * then nobody can subscribe.
 */
export function stripeClient(env: Env): Stripe | undefined {
  if (!env.STRIPE_SECRET_KEY) return undefined;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    ...siteConfig(env).paid.stripe,
    telemetry: false,
    maxNetworkRetries: 1,
  });
}

/**
 * The CSP `form-action` sources of a page: its own origin, and on the pages whose forms answer with a
 * redirect to Checkout (a browser checks form-action on every redirect of a form's post), the origin
 * Checkout's pages come from: checkout.stripe.com for Stripe's API, the stand-in's own for a stand-in.
 */
export function formActionSources(c: Context<AppEnv>): string {
  if (c.req.path !== SUBSCRIBE_PATH && c.req.path !== GIFT_PATH) return "'self'";
  const { host, port, protocol } = siteConfig(c.env).paid.stripe;
  return host === 'api.stripe.com' ? "'self' https://checkout.stripe.com" : `'self' ${protocol}://${host}:${port}`;
}

/** Verifies webhook signatures with Web Crypto, as Workers have no Node crypto. */
export const webCrypto = Stripe.createSubtleCryptoProvider();

/** A Stripe timestamp (seconds) as a Date. */
export const fromStripeTime = (seconds: number) => new Date(seconds * 1000);

/** An expandable field's id, whether Stripe sent the id or the object. */
export const idOf = (field: string | { id: string } | null | undefined) =>
  typeof field === 'string' ? field : (field?.id ?? undefined);
