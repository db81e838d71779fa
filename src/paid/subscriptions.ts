import type Stripe from 'stripe';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { memberOfCustomer, storeSubscription } from './paid-queries';
import { idOf } from './stripe-client';
import { subscriptionState } from './subscription-state';

/**
 * Fetches a subscription from Stripe's API and stores it as it is now, with the member's paid access.
 * Every event about a subscription comes here, so events replayed, or arriving out of order, all
 * leave what Stripe says last. Returns the member, or undefined for a subscription of no member of
 * this site (started elsewhere on the same Stripe account, or of an erased member).
 */
export async function syncSubscription(env: Env, db: Db, stripe: Stripe, id: string, now = new Date()) {
  const subscription = await stripe.subscriptions.retrieve(id);
  // The customer is made, and kept, before the member's first Checkout.
  const memberId = await memberOfCustomer(db, idOf(subscription.customer)!);
  if (memberId === undefined) return undefined;
  const state = subscriptionState(subscription, siteConfig(env).paid.graceDays);
  await storeSubscription(db, memberId, state, now);
  return { memberId, state };
}
