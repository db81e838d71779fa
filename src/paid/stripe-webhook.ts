import type Stripe from 'stripe';

/** Where Stripe posts its events (src/paid/webhook-routes.ts): the address to register is SITE_URL followed by this. */
export const STRIPE_WEBHOOK_PATH = '/api/paid/webhooks/stripe';

/** The events the endpoint handles: the ones to choose when registering it in Stripe. */
export const STRIPE_WEBHOOK_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'charge.refunded',
] as const satisfies Stripe.Event.Type[];
