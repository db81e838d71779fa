/** The Stripe stand-in the e2e server talks to, and Stripe's side of things: its objects, and its signed webhooks. */
import Stripe from 'stripe';
import { inject } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../../src/paid/stripe-webhook.ts';
import type { stripeEvent } from '../../support/stripe-event.ts';
import { url } from './site';

const STRIPE_URL = inject('stripeUrl');
const WEBHOOK_SECRET = inject('stripeWebhookSecret');

/** An object as Stripe's API gives it (`/v1/subscriptions/sub_…`). */
export async function stripeObject<T>(path: string): Promise<T> {
  const response = await fetch(`${STRIPE_URL}${path}`, { headers: { Authorization: 'Bearer sk_test_e2e' } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** What Stripe's clock does to a subscription (its status, its period), on the stand-in's side. */
export async function changeSubscription<T>(id: string, fields: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${STRIPE_URL}/_fake/subscriptions/${id}`, {
    method: 'POST',
    body: JSON.stringify(fields),
  });
  if (!response.ok) throw new Error(`${id}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Sends an event (`stripeEvent`) to the site's webhook as Stripe does: signed by the library's own test helper. */
export function sendWebhook(event: ReturnType<typeof stripeEvent>): Promise<Response> {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  return fetch(url(STRIPE_WEBHOOK_PATH), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    body: payload,
  });
}
