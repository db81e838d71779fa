import type Stripe from 'stripe';
import type { BillingInterval } from '../db/schema';
import { fromStripeTime } from './stripe-client';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What edgepress keeps of a Stripe subscription (a stripe_subscriptions row, without its member). */
export interface SubscriptionState {
  id: string;
  tierId: number | null;
  status: Stripe.Subscription.Status;
  interval: BillingInterval;
  amount: number;
  currency: string;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  endedAt: Date | null;
  accessUntil: Date | null;
}

/**
 * The end of the paid access a subscription gives, from its own status and period (never from which
 * event came last):
 * - active or trialing: the end of the period paid for (after a cancellation too: Stripe keeps it
 *   active until then, with `cancel_at_period_end`);
 * - past_due (a renewal payment failed; Stripe retries it): the renewal date plus the grace period;
 * - unpaid (Stripe gave up retrying): the renewal date;
 * - canceled: when it ended;
 * - incomplete, incomplete_expired, paused: none.
 */
export function accessUntil(
  subscription: Pick<SubscriptionState, 'status' | 'currentPeriodStart' | 'currentPeriodEnd' | 'endedAt'>,
  graceDays: number,
): Date | null {
  switch (subscription.status) {
    case 'active':
    case 'trialing':
      return subscription.currentPeriodEnd;
    case 'past_due':
      return new Date(subscription.currentPeriodStart.getTime() + graceDays * DAY_MS);
    case 'unpaid':
      return subscription.currentPeriodStart;
    case 'canceled':
      return subscription.endedAt ?? subscription.currentPeriodEnd;
    default:
      return null;
  }
}

/** A subscription as Stripe's API describes it (one item: the tier's price), as edgepress keeps it. */
export function subscriptionState(subscription: Stripe.Subscription, graceDays: number): SubscriptionState {
  const item = subscription.items.data[0];
  if (!item) throw new Error(`subscription ${subscription.id} has no item`);
  const state = {
    id: subscription.id,
    tierId: Number(subscription.metadata.tier_id) || null,
    status: subscription.status,
    interval: item.price.recurring?.interval === 'year' ? 'year' : 'month',
    amount: (item.price.unit_amount ?? 0) * (item.quantity ?? 1),
    currency: subscription.currency,
    currentPeriodStart: fromStripeTime(item.current_period_start),
    currentPeriodEnd: fromStripeTime(item.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    endedAt: subscription.ended_at ? fromStripeTime(subscription.ended_at) : null,
  } satisfies Omit<SubscriptionState, 'accessUntil'>;
  return { ...state, accessUntil: accessUntil(state, graceDays) };
}

/** Months added to a date, in UTC (31 January + 1 month is 3 March, as JavaScript counts). */
export function addMonths(date: Date, months: number): Date {
  const later = new Date(date);
  later.setUTCMonth(later.getUTCMonth() + months);
  return later;
}
