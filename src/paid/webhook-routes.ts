import { Hono } from 'hono';
import Stripe from 'stripe';
import type { AppEnv } from '../app-env';
import { primaryDb } from '../db/client';
import { logEvent } from '../lib/log';
import { claimEvent, releaseEvent } from './paid-queries';
import { stripeClient, webCrypto } from './stripe-client';
import { handleStripeEvent } from './stripe-events';
import { STRIPE_WEBHOOK_PATH } from './stripe-webhook';

/**
 * Stripe's webhook: the signature (`Stripe-Signature`, an HMAC of the timestamp and the raw body with
 * the endpoint's secret, at most 5 minutes old) verified by the library, each event handled once by its
 * id. A failure un-claims the event and answers 500, so Stripe sends it again later.
 */
export const stripeWebhookRoutes = new Hono<AppEnv>().post(STRIPE_WEBHOOK_PATH, async (c) => {
  const stripe = stripeClient(c.env);
  const secret = c.env.STRIPE_WEBHOOK_SECRET;
  if (!stripe || !secret) return c.json({ error: 'Payments are not set up on this site.' }, 503);
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(
      await c.req.text(),
      c.req.header('Stripe-Signature') ?? '',
      secret,
      undefined,
      webCrypto,
    );
  } catch (error) {
    const message = error instanceof Stripe.errors.StripeSignatureVerificationError ? error.message : String(error);
    return c.json({ error: `Not a valid Stripe event: ${message}` }, 400);
  }
  const db = primaryDb(c.env);
  if (!(await claimEvent(db, event))) return c.json({ received: true, duplicate: true });
  try {
    await handleStripeEvent(c.env, db, stripe, event);
  } catch (error) {
    await releaseEvent(db, event.id);
    logEvent('error', 'stripe.event-failed', {
      requestId: c.var.requestId,
      event: event.id,
      type: event.type,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return c.json({ error: 'The event could not be handled; Stripe will send it again.' }, 500);
  }
  return c.json({ received: true });
});
