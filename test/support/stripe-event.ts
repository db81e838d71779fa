import Stripe from 'stripe';
import { nextNumber } from './unique';

/** A Stripe event around `object`, as Stripe sends one (for the worker tests and the browser suite alike). */
export function stripeEvent(type: string, object: unknown, created = Math.floor(Date.now() / 1000)) {
  return {
    id: `evt_test_${nextNumber()}_${Date.now()}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}
