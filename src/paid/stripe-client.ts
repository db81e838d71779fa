import Stripe from 'stripe';
import { siteConfig } from '../config';

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

/** Verifies webhook signatures with Web Crypto, as Workers have no Node crypto. */
export const webCrypto = Stripe.createSubtleCryptoProvider();

/** A Stripe timestamp (seconds) as a Date. */
export const fromStripeTime = (seconds: number) => new Date(seconds * 1000);

/** An expandable field's id, whether Stripe sent the id or the object. */
export const idOf = (field: string | { id: string } | null | undefined) =>
  typeof field === 'string' ? field : (field?.id ?? undefined);
