import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import { expect, inject } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../src/paid/stripe-webhook';
import { fetchPageWith } from './helpers';

/** The Stripe stand-in (test/support/fake-stripe.ts) the tests' Worker talks to. */
export const FAKE_STRIPE_URL = inject('fakeStripeUrl');
export const paidSite = fetchPageWith({ STRIPE_API_URL: FAKE_STRIPE_URL } as Partial<Env>);

/** What the buyer, or Stripe's clock, does on the stand-in's side: pay a session, change a subscription. */
export async function stripeSide<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${FAKE_STRIPE_URL}${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status, path).toBe(200);
  return response.json<T>();
}

/** An object as the stand-in's API gives it (the Worker's own view of it). */
export async function stripeObject<T = Record<string, unknown>>(path: string): Promise<T> {
  const response = await fetch(`${FAKE_STRIPE_URL}${path}`, { headers: { Authorization: 'Bearer sk_test_edgepress' } });
  expect(response.status, path).toBe(200);
  return response.json<T>();
}

/** Posts an event to the webhook, signed by the library's own test helper with `secret` (the Worker's unless given). */
export async function deliver(
  event: { id: string },
  secret = env.STRIPE_WEBHOOK_SECRET!,
  body = JSON.stringify(event),
) {
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: JSON.stringify(event),
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return paidSite(STRIPE_WEBHOOK_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    body,
  });
}
